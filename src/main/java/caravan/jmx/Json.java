package caravan.jmx;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The JSON the MBean answers with, written and read in one place. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    /** One JSON object as a map (the MBean's {@code awaitRun}); null for a null or empty text. */
    public static Map<String, Object> readRow(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The daemon answered with unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON array of objects, as the MBean's {@code Jobs} and {@code history} return. */
    public static List<Map<String, Object>> readRows(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<List<Map<String, Object>>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The daemon answered with unreadable JSON: " + e.getOriginalMessage(), e);
        }
    }
}
