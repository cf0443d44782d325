package caravan.runs;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.spi.InflightRepository;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;

/** Puts the job and run ids in the logging MDC on whatever thread processes a run's exchange, split branches too. */
public final class RunMdcUnitOfWork extends DefaultUnitOfWork {

    RunMdcUnitOfWork(Exchange exchange, InflightRepository inflight, boolean allowUseOriginalMessage, boolean useBreadcrumb) {
        super(exchange, inflight, allowUseOriginalMessage, useBreadcrumb);
    }

    @Override
    public boolean isBeforeAfterProcess() {
        return true;
    }

    @Override
    public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
        String runId = exchange.getProperty(RunHeaders.RUN_ID, String.class);
        if (runId != null) {
            MDC.put(RunHeaders.MDC_RUN, runId);
            MDC.put(RunHeaders.MDC_JOB, exchange.getProperty(RunHeaders.JOB_ID, String.class));
        }
        return super.beforeProcess(processor, exchange, callback);
    }

    @Override
    public void done(Exchange exchange) {
        super.done(exchange);
        MDC.remove(RunHeaders.MDC_RUN);
        MDC.remove(RunHeaders.MDC_JOB);
    }

    /** Installed on the Camel context in place of the default factory. */
    public static final class Factory implements UnitOfWorkFactory {

        private InflightRepository inflight;
        private boolean allowUseOriginalMessage;
        private boolean useBreadcrumb;

        @Override
        public UnitOfWork createUnitOfWork(Exchange exchange) {
            return new RunMdcUnitOfWork(exchange, inflight, allowUseOriginalMessage, useBreadcrumb);
        }

        @Override
        public void afterPropertiesConfigured(CamelContext camelContext) {
            inflight = camelContext.getInflightRepository();
            allowUseOriginalMessage = Boolean.TRUE.equals(camelContext.isAllowUseOriginalMessage());
            useBreadcrumb = Boolean.TRUE.equals(camelContext.isUseBreadcrumb());
        }
    }
}
