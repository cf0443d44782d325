package caravan.config;

import java.time.Duration;

/** Live reload of route files: how often the routes folder is scanned; 0 turns reload off. */
public record ReloadSettings(Duration interval) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);

    public static ReloadSettings from(CaravanProperties p) {
        return new ReloadSettings(p.getDuration("caravan.routes.reload-interval", DEFAULT_INTERVAL));
    }

    public boolean enabled() {
        return !interval.isZero();
    }
}
