package caravan.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What this build is, from the {@code caravan/version.properties} the build writes: for the start-up log and {@code --version}. */
public final class BuildVersion {

    private static final Properties BUILD = load();

    private BuildVersion() {
    }

    public static String caravan() {
        return BUILD.getProperty("caravan.version", "unknown");
    }

    /** {@code Caravan 0.1.0 (Camel 4.22.0, Java 25.0.3+9-LTS)}: what a bug report needs. */
    public static String describe() {
        return "Caravan " + caravan() + " (Camel " + BUILD.getProperty("camel.version", "unknown") + ", Java "
                + Runtime.version() + ")";
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildVersion.class.getResourceAsStream("/caravan/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // left "unknown": the version is informative, never a reason not to start
        }
        return p;
    }
}
