package caravan.scheduling;

import caravan.runs.RunRecorder;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

/** Gives every job route (one that consumes from {@code quartz:}) the run recorder. */
public final class JobRoutePolicies implements RoutePolicyFactory {

    private final RunRecorder recorder;

    public JobRoutePolicies(RunRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (route instanceof RouteDefinition def && def.getInput() != null
                && def.getInput().getEndpointUri() != null && def.getInput().getEndpointUri().startsWith("quartz:")) {
            return recorder;
        }
        return null;
    }
}
