package caravan.metrics;

import caravan.runs.RunHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeRedeliveryEvent;
import org.apache.camel.support.EventNotifierSupport;

/** Counts redelivery attempts by job ({@code caravan_retries_total}), from Camel's redelivery events (which Camel files under failure events: those must stay on). */
public final class RetryMetrics extends EventNotifierSupport {

    private final MeterRegistry registry;

    RetryMetrics(MeterRegistry registry) {
        this.registry = registry;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreExchangeSentEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof ExchangeRedeliveryEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        ExchangeRedeliveryEvent redelivery = (ExchangeRedeliveryEvent) event;
        String job = redelivery.getExchange().getProperty(RunHeaders.JOB_ID, String.class);
        Counter.builder("caravan.retries").description("Redelivery attempts, by job")
                .tag("job", job == null ? "none" : job).register(registry).increment();
    }
}
