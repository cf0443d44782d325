package caravan.routes;

import java.nio.file.Path;

/** Something wrong in a route file, where it is and what to do about it. */
public record RouteProblem(Path file, int line, String message) {

    /** {@code routes/prices.yaml:12: cron '0 0 25 * * ?' is invalid: ...}; line 0 when unknown. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
