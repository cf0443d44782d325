package caravan.daemon;

import java.nio.file.Path;
import java.util.Map;

/** Where the daemon finds its routes, configuration and data, and the overrides it was started with. */
public record DaemonOptions(Path routes, Path config, Path data, Map<String, String> systemProperties,
        Map<String, String> environment) {

    public static final Path DEFAULT_ROUTES = Path.of("routes");
    public static final Path DEFAULT_CONFIG = Path.of("config", "application.properties");
    public static final Path DEFAULT_DATA = Path.of("data");

    public static DaemonOptions of(Path routes, Path config, Path data) {
        Map<String, String> sys = new java.util.HashMap<>();
        System.getProperties().forEach((k, v) -> sys.put(k.toString(), v.toString()));
        return new DaemonOptions(routes, config, data, sys, System.getenv());
    }
}
