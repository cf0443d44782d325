package caravan.ai;

import caravan.store.Payloads;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;

/**
 * Builds the body of an OpenAI-compatible {@code POST /v1/chat/completions} for one item, so that route files need
 * not assemble JSON by hand: {@code method: {beanType: caravan.ai.ChatCompletions, method: request}} with the
 * exchange properties {@code CaravanModel} and {@code CaravanPrompt} set.
 */
public final class ChatCompletions {

    public static final String MODEL = "CaravanModel";
    public static final String PROMPT = "CaravanPrompt";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static String request(@ExchangeProperty(MODEL) String model, @ExchangeProperty(PROMPT) String prompt,
            @Body Object item) throws JsonProcessingException {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("No model for the chat completion: set the exchange property " + MODEL
                    + " (e.g. setProperty: {name: CaravanModel, constant: \"{{ai.model}}\"})");
        }
        String content = Payloads.toText(item);
        return JSON.writeValueAsString(Map.of(
                "model", model,
                "messages", List.of(
                        Map.of("role", "system", "content", prompt == null ? "" : prompt),
                        Map.of("role", "user", "content", content == null ? "" : content))));
    }
}
