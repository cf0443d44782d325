package caravan.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{file:PATH}}}: the content of a file, trailing line breaks removed, as container platforms hand out
 * secrets ({@code /run/secrets/db_password}). Every value it hands out is remembered as a secret and masked.
 */
public final class FilePlaceholders implements PropertiesFunction {

    private final Secrets secrets;

    public FilePlaceholders(Secrets secrets) {
        this.secrets = secrets;
    }

    @Override
    public String getName() {
        return "file";
    }

    @Override
    public String apply(String remainder) {
        String value = read(remainder.strip());
        secrets.add(value);
        return value;
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
        } catch (IOException e) {
            // no cause: route problems show the innermost message, and the file system's is only the path
            throw new IllegalArgumentException("{{file:" + path + "}}: cannot read " + Path.of(path).toAbsolutePath()
                    + " (" + e.getClass().getSimpleName() + "): create it, or correct the path");
        }
    }
}
