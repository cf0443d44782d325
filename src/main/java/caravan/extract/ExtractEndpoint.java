package caravan.extract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code caravan:extract?title=h1&link=a.next @href}: every parameter is a field; {@code each} selects records.
 * Fields are taken verbatim from the parameters, so selectors need no escaping in YAML {@code parameters:}.
 */
@UriEndpoint(scheme = "caravan", title = "Caravan extract", syntax = "caravan:extract", producerOnly = true, category = {})
public final class ExtractEndpoint extends DefaultEndpoint {

    /** Parameters that are options, not fields. */
    static final String EACH = "each";
    static final String BASE_URI = "baseUri";

    private final HtmlExtractor extractor;
    private final String baseUri;

    private ExtractEndpoint(String uri, Component component, HtmlExtractor extractor, String baseUri) {
        super(uri, component);
        this.extractor = extractor;
        this.baseUri = baseUri;
    }

    public static ExtractEndpoint create(String uri, Component component, Map<String, Object> parameters) {
        String each = stringOf(parameters.remove(EACH));
        String baseUri = stringOf(parameters.remove(BASE_URI));
        List<FieldSpec> fields = new ArrayList<>();
        parameters.forEach((name, value) -> fields.add(FieldSpec.parse(name, stringOf(value))));
        parameters.clear();
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("caravan:extract needs at least one field, e.g. parameters: {title: \"h1\"}");
        }
        return new ExtractEndpoint(uri, component, new HtmlExtractor(fields, each), baseUri);
    }

    private static String stringOf(Object value) {
        return value == null ? null : value.toString();
    }

    @Override
    public Producer createProducer() {
        return new ExtractProducer(this, extractor, baseUri);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan:extract can only be used in to:, not in from:");
    }
}
