package caravan.extract;

import caravan.http.LastHttpUri;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Replaces the HTML (or JSON) body with the extracted record, or list of records. */
final class ExtractProducer extends DefaultProducer {

    private final HtmlExtractor extractor;
    private final String baseUri;

    ExtractProducer(ExtractEndpoint endpoint, HtmlExtractor extractor, String baseUri) {
        super(endpoint);
        this.extractor = extractor;
        this.baseUri = baseUri;
    }

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        String base = baseUri != null ? baseUri : exchange.getProperty(LastHttpUri.PROPERTY, String.class);
        exchange.getMessage().setBody(extractor.extract(body, base));
    }
}
