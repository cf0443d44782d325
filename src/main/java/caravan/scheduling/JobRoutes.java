package caravan.scheduling;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.quartz.JobKey;

/** Finds jobs among the routes: a job is a route consuming from a {@code quartz:} endpoint; its route id is the job id. */
public final class JobRoutes {

    /** A job as Quartz knows it. */
    public record JobRoute(String jobId, QuartzEndpoint endpoint) {

        public JobKey jobKey() {
            return JobKey.jobKey(endpoint.getTriggerKey().getName(), endpoint.getTriggerKey().getGroup());
        }
    }

    private final CamelContext camel;

    public JobRoutes(CamelContext camel) {
        this.camel = camel;
    }

    public List<JobRoute> all() {
        List<JobRoute> jobs = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            quartzEndpoint(route.getEndpoint()).ifPresent(q -> jobs.add(new JobRoute(route.getRouteId(), q)));
        }
        jobs.sort((a, b) -> a.jobId().compareTo(b.jobId()));
        return jobs;
    }

    public Optional<JobRoute> byId(String jobId) {
        Route route = camel.getRoute(jobId);
        return route == null ? Optional.empty() : quartzEndpoint(route.getEndpoint()).map(q -> new JobRoute(jobId, q));
    }

    /** The job id for a Quartz job key (the quartz endpoint's group and name). */
    public Optional<String> jobIdOf(JobKey key) {
        // On every fire, several times: a plain scan, without building and sorting the list of all jobs.
        for (Route route : camel.getRoutes()) {
            Optional<QuartzEndpoint> q = quartzEndpoint(route.getEndpoint());
            if (q.isPresent() && q.get().getTriggerKey().getName().equals(key.getName())
                    && q.get().getTriggerKey().getGroup().equals(key.getGroup())) {
                return Optional.of(route.getRouteId());
            }
        }
        return Optional.empty();
    }

    public List<String> ids() {
        return all().stream().map(JobRoute::jobId).toList();
    }

    /** "Unknown job 'x'. Known jobs: a, b." */
    public IllegalArgumentException unknown(String jobId) {
        List<String> known = ids();
        return new IllegalArgumentException("Unknown job '" + jobId + "'. Known jobs: "
                + (known.isEmpty() ? "(none loaded)" : String.join(", ", known)) + ".");
    }

    static Optional<QuartzEndpoint> quartzEndpoint(Endpoint endpoint) {
        Endpoint e = endpoint instanceof DelegateEndpoint d ? d.getEndpoint() : endpoint;
        return e instanceof QuartzEndpoint q ? Optional.of(q) : Optional.empty();
    }
}
