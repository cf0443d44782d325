package caravan.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** Bodies as stored text: strings as they are, records and lists as JSON. */
public final class Payloads {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    public static String toText(Object body) {
        if (body == null) {
            return null;
        }
        if (body instanceof String s) {
            return s;
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (body instanceof InputStream in) {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the body: " + e.getMessage(), e);
            }
        }
        if (body instanceof Map || body instanceof Collection || body.getClass().isArray()) {
            try {
                return JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Cannot write the body as JSON: " + e.getMessage(), e);
            }
        }
        return body.toString();
    }
}
