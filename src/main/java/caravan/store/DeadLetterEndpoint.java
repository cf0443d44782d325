package caravan.store;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code caravan:dead-letter}: where Caravan's error handler sends an item that exhausted its attempts or failed for
 * good. Writes one {@code dead_letter} row and stops the item, so that it is never also stored.
 */
@UriEndpoint(scheme = "caravan", title = "Caravan dead letter", syntax = "caravan:dead-letter", producerOnly = true, category = {})
public final class DeadLetterEndpoint extends DefaultEndpoint {

    DeadLetterEndpoint(String uri, CaravanComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        CaravanComponent c = (CaravanComponent) getComponent();
        return new DeadLetterProducer(this, c.deadLetters(), c.runs(), c.secrets());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan:dead-letter can only be used in to: or as a dead letter URI");
    }
}
