package caravan.store;

import caravan.runs.RunHeaders;
import org.apache.camel.Exchange;

/** Reads the run an exchange belongs to: the exchange property survives helpers that drop headers. */
public final class RunContext {

    private RunContext() {
    }

    public static String runId(Exchange exchange) {
        String runId = exchange.getProperty(RunHeaders.RUN_ID, String.class);
        return runId != null ? runId : exchange.getMessage().getHeader(RunHeaders.RUN_ID, String.class);
    }

    public static String jobId(Exchange exchange) {
        String jobId = exchange.getProperty(RunHeaders.JOB_ID, String.class);
        return jobId != null ? jobId : exchange.getMessage().getHeader(RunHeaders.JOB_ID, String.class);
    }
}
