package caravan.http;

import caravan.config.Settings;
import java.time.Clock;
import org.apache.camel.CamelContext;

/** Everything that makes a fan-out resilient without the job author writing error handling. */
public final class JobResilience {

    private JobResilience() {
    }

    /** Call before routes are added: the default error handler and the per-host limiter apply to routes added later. */
    public static PoliteHttp install(CamelContext camel, Settings settings, Clock clock) {
        camel.getCamelContextExtension().setErrorHandlerFactory(JobErrorHandler.create(settings.retry(), clock));
        return PoliteHttp.install(camel, settings.http());
    }
}
