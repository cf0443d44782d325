package caravan.routes;

import java.nio.file.Path;

/** Something wrong in a route file, where it is and what to do about it. */
public record RouteProblem(Path file, int line, String message) {

    /** {@code routes/prices.yaml:12: cron '0 0 25 * * ?' is invalid: ...}; line 0 when unknown. */
    @Override
    public String toString() {
        return display(file) + (line > 0 ? ":" + line : "") + ": " + message;
    }

    /** Relative to the working directory when the file is below it, as the user wrote the routes folder. */
    static String display(Path file) {
        Path cwd = Path.of("").toAbsolutePath();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
    }
}
