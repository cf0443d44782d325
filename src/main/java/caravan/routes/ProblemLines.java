package caravan.routes;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds the line an exception from the YAML DSL points at, and a message without Camel's noise. */
final class ProblemLines {

    private static final Pattern LINE = Pattern.compile("line[: ]+(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILE_LINE = Pattern.compile("\\.ya?ml:(\\d+)");

    private ProblemLines() {
    }

    static int lineOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m == null) {
                continue;
            }
            Matcher fl = FILE_LINE.matcher(m);
            if (fl.find()) {
                return Integer.parseInt(fl.group(1));
            }
            Matcher l = LINE.matcher(m);
            if (l.find()) {
                return Integer.parseInt(l.group(1));
            }
        }
        return 0;
    }

    /** The innermost message that says something, on one line. */
    static String messageOf(Throwable t) {
        String best = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                best = c.getMessage();
            }
        }
        String text = best == null ? t.getClass().getSimpleName() : best;
        return text.replaceAll("\\s*\\R\\s*", " ")
                // the YAML parser repeats the file, line and column we already print, with a caret under the text
                .replaceAll(" in file:\\S+, line \\d+, column \\d+:.*?\\^", "")
                .replaceAll(" in file:\\S+, line \\d+, column \\d+:?", "")
                .trim();
    }
}
