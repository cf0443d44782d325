package caravan.store;

import caravan.config.Secrets;
import caravan.extract.ExtractEndpoint;
import caravan.fetch.FetchEndpoint;
import caravan.runs.ActiveRuns;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code caravan:} component: {@code caravan:store} persists the body as one result, {@code caravan:fetch} GETs
 * and stores many items in one step, {@code caravan:extract} turns a page into a record. Holds the shared stores;
 * endpoints are thin.
 */
public final class CaravanComponent extends DefaultComponent {

    private final ResultStore results;
    private final ActiveRuns runs;
    private final DeadLetterStore deadLetters;
    private Secrets secrets;
    private ExecutorService continuation;
    private ScheduledExecutorService timer;

    public CaravanComponent(ResultStore results, ActiveRuns runs, DeadLetterStore deadLetters) {
        this.deadLetters = deadLetters;
        this.results = results;
        this.runs = runs;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        return switch (remaining) {
            case "store" -> {
                StoreEndpoint endpoint = new StoreEndpoint(uri, this);
                setProperties(endpoint, parameters);
                yield endpoint;
            }
            case "extract" -> ExtractEndpoint.create(uri, this, parameters);
            case "fetch" -> {
                FetchEndpoint endpoint = new FetchEndpoint(uri, this);
                setProperties(endpoint, parameters);
                yield endpoint;
            }
            case "dead-letter" -> new DeadLetterEndpoint(uri, this);
            default -> throw new IllegalArgumentException("Unknown endpoint '" + uri
                    + "': Caravan offers caravan:store, caravan:fetch, caravan:extract and caravan:dead-letter");
        };
    }

    public ResultStore results() {
        return results;
    }

    public ActiveRuns runs() {
        return runs;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    /**
     * Where a branch goes on after its result is committed: as many threads as a fan-out has branches (virtual ones
     * when Camel runs on virtual threads), never blocking the writer that hands the branch over.
     */
    public synchronized Executor continuation() {
        if (continuation == null) {
            int size = Math.max(4, getCamelContext().getExecutorServiceManager().getDefaultThreadPoolProfile().getMaxPoolSize());
            continuation = getCamelContext().getExecutorServiceManager().newThreadPool(this, "CaravanStored",
                    new ThreadPoolProfileBuilder("CaravanStored").poolSize(size).maxPoolSize(size).maxQueueSize(-1)
                            .allowCoreThreadTimeOut(true).keepAliveTime(60L).build());
        }
        return continuation;
    }

    /** Where items wait for their next attempt without a thread (caravan:fetch). */
    public synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            // An unbounded queue: Camel's default profile rejects tasks beyond 1000, and in a storm every item waits.
            timer = getCamelContext().getExecutorServiceManager().newScheduledThreadPool(this, "CaravanFetchRetry",
                    new ThreadPoolProfileBuilder("CaravanFetchRetry").poolSize(1).maxQueueSize(-1).build());
        }
        return timer;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (continuation != null) {
            getCamelContext().getExecutorServiceManager().shutdown(continuation);
            continuation = null;
        }
        if (timer != null) {
            getCamelContext().getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
    }

    /** The daemon's secrets, bound in the registry; none when used on its own. */
    public Secrets secrets() {
        if (secrets == null) {
            Secrets bound = getCamelContext().getRegistry().findSingleByType(Secrets.class);
            secrets = bound != null ? bound : new Secrets();
        }
        return secrets;
    }
}
