package caravan.http;

import caravan.config.HttpSettings;
import caravan.config.PolitenessSettings;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Puts every camel-http endpoint of the context behind one {@link HostLimiter}, so that the global cap, the
 * per-host cap and the per-host delay hold across all jobs. Install once, before routes are added.
 */
public final class PoliteHttp implements EndpointStrategy {

    /** Exchange property: HTTP requests sent for the item's current step since its last success. */
    public static final String REQUESTS = PoliteHttpProducer.REQUESTS;

    private final HostLimiter limiter;
    private final RobotsTxt robots;
    private final AsyncHttpTransport transport;
    private final PoliteGet get;

    private PoliteHttp(CamelContext camel, HttpSettings settings, HostLimiter limiter, RobotsTxt robots,
            AsyncHttpTransport transport) {
        this.limiter = limiter;
        this.robots = robots;
        this.transport = transport;
        // the same activity listener (metrics) and cookie setting as camel-http's requests, once the component exists
        this.get = transport == null ? null : new PoliteGet(limiter, robots, transport, settings.userAgent(),
                settings.followRedirects(), () -> camel.hasComponent("http") instanceof HttpComponent http ? http : null);
    }

    public static PoliteHttp install(CamelContext camel, HttpSettings settings) {
        PolitenessSettings p = settings.politeness();
        ScheduledExecutorService timer = camel.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(PoliteHttp.class, "CaravanHostDelay");
        // Runs requests that waited for a permit (at most max-concurrent run at once, so the pool needs no more), and
        // what a job does with a response of the non-blocking client.
        ExecutorService runner = camel.getExecutorServiceManager().newThreadPool(PoliteHttp.class, "CaravanHttp",
                new ThreadPoolProfileBuilder("CaravanHttp").poolSize(p.maxConcurrent()).maxPoolSize(p.maxConcurrent())
                        .allowCoreThreadTimeOut(true).keepAliveTime(60L).maxQueueSize(-1).build());
        AutoThrottle throttle = p.autoThrottle()
                ? new AutoThrottle(p.autoThrottleTargetConcurrency(), p.hostDelay(), p.autoThrottleMaxDelay()) : null;
        HostLimiter limiter = new HostLimiter(p.maxConcurrent(), host -> p.maxPerHost(host, settings.maxPerHost()),
                p.hostDelay().toNanos(), throttle, timer, runner, sender(), System::nanoTime,
                HostLimiter.defaultMaxWaiting(p.maxConcurrent()));
        RobotsTxt robots = new RobotsTxt(settings.userAgent(), p.robotsTxt(), settings.connectTimeout());
        AsyncHttpTransport transport = null;
        if (settings.nonBlockingClient()) {
            transport = new AsyncHttpTransport(settings, limiter::runOnOwnThread);
            try {
                camel.addService(transport, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the HTTP client: " + e.getMessage(), e);
            }
        }
        PoliteHttp polite = new PoliteHttp(camel, settings, limiter, robots, transport);
        camel.getCamelContextExtension().registerEndpointCallback(polite);
        return polite;
    }

    /**
     * One platform thread that only hands queued requests to the non-blocking client: the system schedules it as soon
     * as a slot frees, where a virtual thread would wait its turn behind every reply being handled. It ends when idle.
     */
    private static Executor sender() {
        ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "CaravanHttpSend");
            t.setDaemon(true);
            return t;
        });
        sender.allowCoreThreadTimeOut(true);
        return sender;
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof HttpEndpoint http) {
            return new PoliteHttpEndpoint(http, limiter, robots, transport);
        }
        return endpoint;
    }

    public HostLimiter limiter() {
        return limiter;
    }

    /**
     * GETs without an exchange under the same limits, through the non-blocking client; empty with
     * {@code caravan.http.client=classic}, which has no such client.
     */
    public Optional<PoliteGet> get() {
        return Optional.ofNullable(get);
    }
}
