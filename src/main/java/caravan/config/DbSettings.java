package caravan.config;

import java.nio.file.Path;

/**
 * Where results, runs and dead letters live. {@code hashCacheSize} ({@code caravan.store.hash-cache-size}): how many
 * items' latest content hashes the result writer keeps in memory for change detection (0: read each from the
 * database); not used in cluster mode.
 */
public record DbSettings(String url, String user, String password, int poolSize, int hashCacheSize) {

    public static final String DEFAULT_USER = "sa";
    public static final String DEFAULT_PASSWORD = "";
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int DEFAULT_HASH_CACHE_SIZE = 100_000;

    public DbSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, DEFAULT_HASH_CACHE_SIZE);
    }

    public static String defaultUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("caravan");
    }

    public static DbSettings from(CaravanProperties p, Path dataDir) {
        return new DbSettings(
                p.get("caravan.db.url", defaultUrl(dataDir)),
                p.get("caravan.db.user", DEFAULT_USER),
                p.get("caravan.db.password", DEFAULT_PASSWORD),
                p.getInt("caravan.db.pool-size", DEFAULT_POOL_SIZE),
                hashCacheSize(p.getInt("caravan.store.hash-cache-size", DEFAULT_HASH_CACHE_SIZE)));
    }

    private static int hashCacheSize(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("caravan.store.hash-cache-size=" + size + " must be 0 (no cache) or more");
        }
        return size;
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL without credentials, for logs. */
    public String safeUrl() {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
