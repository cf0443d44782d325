package caravan.http;

import caravan.runs.RunHeaders;
import org.apache.camel.http.common.HttpHeaderFilterStrategy;

/**
 * Keeps a run's own headers off the wire: Caravan's run headers and the Quartz fire headers (fireTime, jobDetail,
 * trigger, ...) would otherwise be sent to every site as HTTP request headers.
 */
public final class JobHeaderFilterStrategy extends HttpHeaderFilterStrategy {

    @Override
    protected void initialize() {
        super.initialize();
        setOutFilterStartsWith("Camel", "camel", "org.apache.camel.", "Caravan");
        for (String quartz : RunHeaders.QUARTZ) {
            getOutFilter().add(quartz.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
