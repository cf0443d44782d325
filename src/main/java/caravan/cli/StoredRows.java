package caravan.cli;

import java.io.PrintWriter;
import java.util.Map;

/** What {@code caravan results} and {@code caravan dead-letters} print alike: the run's line and short cells. */
final class StoredRows {

    /** Characters of a payload shown in a table cell, and of an error (what to fix is often at its end). */
    static final int PAYLOAD_PREVIEW = 80;
    static final int ERROR_PREVIEW = 240;

    private StoredRows() {
    }

    static void checkLimit(int limit, String what) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("--limit " + limit + ": give a number of " + what + " from 1 to 1000");
        }
    }

    /** Prints which run the rows are of; false when the job has no run yet (said instead). */
    static boolean printRun(PrintWriter out, String job, Map<String, Object> answer, int shown, String what) {
        @SuppressWarnings("unchecked")
        Map<String, Object> run = (Map<String, Object>) answer.get("run");
        if (run == null) {
            out.println("Job " + job + " has not run yet.");
            out.flush();
            return false;
        }
        out.println("Run " + run.get("run_id") + " (" + run.get("trigger_type") + ", " + run.get("status") + ", started "
                + run.get("started_at") + "): " + run.get("items_total") + " items, " + run.get("items_failed")
                + " dead-lettered; " + shown + " " + what + " shown, newest first");
        return true;
    }

    /** One line, at most {@code max} characters ({@code --json} gives the text whole). */
    static String preview(String text, int max) {
        if (text == null) {
            return null;
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, max - 1) + "…";
    }
}
