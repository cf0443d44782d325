package caravan.scheduling;

import java.text.ParseException;
import org.quartz.CronExpression;

/**
 * Quartz's cron parse errors made actionable: the usual mistakes (a Unix crontab's five fields, a day given in both
 * day fields) are told what to write instead, with a corrected expression when one can be derived safely.
 */
public final class CronSyntax {

    static final String FIELDS = "sec min hour day-of-month month day-of-week [year]";

    private CronSyntax() {
    }

    /** {@code cron '0/15 * * * *' is invalid: Unexpected end of expression; it has 5 fields, ...}. */
    public static String invalid(String cron, ParseException e) {
        String message = String.valueOf(e.getMessage()).strip();
        if (message.endsWith(".")) {
            message = message.substring(0, message.length() - 1);
        }
        return "cron '" + cron + "' is invalid: " + message + hint(cron, message);
    }

    static String hint(String cron, String message) {
        String[] fields = cron.strip().split("\\s+");
        if (fields.length == 5) {
            String quartz = fromCrontab(fields);
            return "; it has 5 fields, as a Unix crontab, but Quartz's cron starts with seconds (" + FIELDS + ")"
                    + (quartz == null ? "" : ": '" + quartz + "'");
        }
        if (fields.length < 6 || fields.length > 7) {
            return "; Quartz's cron has 6 or 7 fields (" + FIELDS + "), this one " + fields.length;
        }
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("day-of-week and a day-of-month") || lower.contains("day-of-month -or- day-of-week")) {
            return "; give one of day-of-month and day-of-week and put '?' in the other, e.g. '0 0 12 ? * MON' or '0 0 12 1 * ?'";
        }
        return "";
    }

    /**
     * The crontab's fields with a leading second and '?' in the day field left open, or null when that is not safe
     * to derive: a numbered day of week (Unix counts Sunday as 0, Quartz as 1) or both day fields given.
     */
    private static String fromCrontab(String[] f) {
        String dayOfMonth = f[2];
        String dayOfWeek = f[4];
        String quartz;
        if (dayOfWeek.equals("*")) {
            quartz = String.join(" ", "0", f[0], f[1], dayOfMonth, f[3], "?");
        } else if (dayOfMonth.equals("*") && !dayOfWeek.matches(".*\\d.*")) {
            quartz = String.join(" ", "0", f[0], f[1], "?", f[3], dayOfWeek);
        } else {
            return null;
        }
        return CronExpression.isValidExpression(quartz) ? quartz : null;
    }
}
