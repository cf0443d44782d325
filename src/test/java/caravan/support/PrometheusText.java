package caravan.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one series' value out of a Prometheus text scrape. */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The value of {@code series} (its name with labels, as scraped); an error listing Caravan's series if absent. */
    public static double value(String prometheus, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(prometheus);
        if (!m.find()) {
            throw new AssertionError("No series " + series + " in:\n" + prometheus.lines()
                    .filter(l -> l.startsWith("caravan_")).reduce("", (a, b) -> a + b + "\n"));
        }
        return Double.parseDouble(m.group(1));
    }
}
