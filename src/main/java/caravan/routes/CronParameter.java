package caravan.routes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads the {@code cron} option of a {@code quartz:} URI (spaces may be written as {@code +} or {@code %20}). */
public final class CronParameter {

    private CronParameter() {
    }

    public static String of(String uri) {
        return option(uri, "cron");
    }

    public static String option(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : uri.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                String value = pair.substring(eq + 1);
                if (value.startsWith("RAW(") && value.endsWith(")")) {
                    return value.substring(4, value.length() - 1);
                }
                return URLDecoder.decode(value, StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
