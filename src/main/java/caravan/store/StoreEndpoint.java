package caravan.store;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** {@code caravan:store}: persists the current body as one result of the running job. */
@UriEndpoint(scheme = "caravan", title = "Caravan store", syntax = "caravan:store", producerOnly = true, category = {})
public final class StoreEndpoint extends DefaultEndpoint {

    @UriParam(defaultValue = "true",
            description = "Skip storing an item whose content equals its latest stored result (change detection)")
    private boolean skipUnchanged = true;

    StoreEndpoint(String uri, CaravanComponent component) {
        super(uri, component);
    }

    @Override
    public Producer createProducer() {
        CaravanComponent c = (CaravanComponent) getComponent();
        return new StoreProducer(this, c.results(), c.runs(), c.secrets(), c.continuation());
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan:store can only be used in to:, not in from:");
    }

    public boolean isSkipUnchanged() {
        return skipUnchanged;
    }

    /** Skip storing an item whose content equals its latest stored result. */
    public void setSkipUnchanged(boolean skipUnchanged) {
        this.skipUnchanged = skipUnchanged;
    }
}
