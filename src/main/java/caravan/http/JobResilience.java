package caravan.http;

import caravan.config.Settings;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/** Everything that makes a fan-out resilient without the job author writing error handling. */
public final class JobResilience {

    private JobResilience() {
    }

    /** Call before routes are added: the default error handler and the per-host limiter apply to routes added later. */
    public static PoliteHttp install(CamelContext camel, Settings settings, Clock clock) {
        ScheduledExecutorService redeliveries = camel.getExecutorServiceManager().newScheduledThreadPool(JobErrorHandler.class,
                "CaravanRedelivery", new ThreadPoolProfileBuilder("CaravanRedelivery").poolSize(2).maxQueueSize(-1).build());
        camel.getCamelContextExtension().setErrorHandlerFactory(JobErrorHandler.create(settings.retry(), clock, redeliveries));
        return PoliteHttp.install(camel, settings.http());
    }
}
