package caravan.config;

import java.nio.file.Path;

/** Where results, runs and dead letters live. */
public record DbSettings(String url, String user, String password, int poolSize) {

    public static final String DEFAULT_USER = "sa";
    public static final String DEFAULT_PASSWORD = "";
    public static final int DEFAULT_POOL_SIZE = 10;

    public static String defaultUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("caravan");
    }

    public static DbSettings from(CaravanProperties p, Path dataDir) {
        return new DbSettings(
                p.get("caravan.db.url", defaultUrl(dataDir)),
                p.get("caravan.db.user", DEFAULT_USER),
                p.get("caravan.db.password", DEFAULT_PASSWORD),
                p.getInt("caravan.db.pool-size", DEFAULT_POOL_SIZE));
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for logs. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
