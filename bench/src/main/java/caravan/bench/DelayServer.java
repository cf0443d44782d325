package caravan.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.impl.bootstrap.AsyncServerBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncServer;
import org.apache.hc.core5.http.nio.AsyncRequestConsumer;
import org.apache.hc.core5.http.nio.AsyncServerRequestHandler;
import org.apache.hc.core5.http.nio.entity.DiscardingEntityConsumer;
import org.apache.hc.core5.http.nio.support.AsyncResponseBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.reactor.ListenerEndpoint;

/**
 * A non-blocking loopback server that answers every GET after D ms (a timer, not a sleeping thread), so that it is
 * never the bottleneck. In retry mode the first request for each path answers 503 with Retry-After: 1.
 */
public final class DelayServer implements AutoCloseable {

    private final HttpAsyncServer server;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1);
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private final AtomicLong lastResponseNanos = new AtomicLong();
    // The number of requests being delayed, integrated over time: its mean over a run's span says how full the
    // client kept its C slots.
    private int inFlight;
    private long inFlightChangedNanos;
    private double inFlightNanos;
    private final int port;
    private volatile long delayMillis;
    private volatile boolean retryStorm;
    /** {@code CARAVAN_BENCH_TRACE=1}: each measured run also prints when its requests started and were answered. */
    static final boolean TRACE = System.getenv("CARAVAN_BENCH_TRACE") != null;
    private static final int TRACE_BUCKETS = 250;
    private final List<Long> starts = new ArrayList<>();
    private final List<Long> replies = new ArrayList<>();

    public DelayServer(int port, long delayMillis) throws Exception {
        this.delayMillis = delayMillis;
        server = AsyncServerBootstrap.bootstrap()
                .setCanonicalHostName("127.0.0.1")
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(1).setSoReuseAddress(true).build())
                .register("*", new Handler())
                .create();
        server.start();
        ListenerEndpoint endpoint = server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).get();
        this.port = ((InetSocketAddress) endpoint.getAddress()).getPort();
    }

    public int port() {
        return port;
    }

    public void configure(long delayMillis, boolean retryStorm) {
        this.delayMillis = delayMillis;
        this.retryStorm = retryStorm;
        seen.clear();
        markPhases();
    }

    /** Starts a new run's phases: the next request is its first. */
    public void markPhases() {
        firstRequestNanos.set(0);
        lastResponseNanos.set(0);
        synchronized (this) {
            starts.clear();
            replies.clear();
            inFlightNanos = 0;
            inFlightChangedNanos = System.nanoTime();
        }
    }

    /** The mean number of requests in flight between the first request and the last response since the mark. */
    public synchronized double meanInFlight() {
        long span = lastResponseNanos.get() - firstRequestNanos.get();
        return span <= 0 ? 0 : inFlightNanos / span;
    }

    /**
     * Requests started and replies sent since the mark, counted per {@code bucketMs} from the first request: shows
     * how fast a client fills its slots and takes a freed one again.
     */
    public synchronized String timeline(int bucketMs) {
        long first = firstRequestNanos.get();
        int[] started = buckets(starts, first, bucketMs);
        int[] answered = buckets(replies, first, bucketMs);
        int last = 0;
        for (int i = 0; i < TRACE_BUCKETS; i++) {
            if (started[i] > 0 || answered[i] > 0) {
                last = i;
            }
        }
        StringBuilder text = new StringBuilder("requests per " + bucketMs + " ms:");
        for (int i = 0; i <= last; i++) {
            text.append(' ').append(started[i]);
        }
        text.append("\n               replies  per ").append(bucketMs).append(" ms:");
        for (int i = 0; i <= last; i++) {
            text.append(' ').append(answered[i]);
        }
        return text.toString();
    }

    private static int[] buckets(List<Long> times, long first, int bucketMs) {
        int[] counts = new int[TRACE_BUCKETS];
        for (long t : times) {
            int bucket = (int) ((t - first) / 1_000_000 / bucketMs);
            counts[Math.max(0, Math.min(TRACE_BUCKETS - 1, bucket))]++;
        }
        return counts;
    }

    private synchronized void inFlight(int delta) {
        long now = System.nanoTime();
        if (TRACE) {
            (delta > 0 ? starts : replies).add(now);
        }
        inFlightNanos += (double) inFlight * (now - inFlightChangedNanos);
        inFlightChangedNanos = now;
        inFlight += delta;
    }

    /** {@code System.nanoTime()} of the first request since {@link #markPhases()}, 0 if none. */
    public long firstRequestNanos() {
        return firstRequestNanos.get();
    }

    /** {@code System.nanoTime()} of the last response sent since {@link #markPhases()}, 0 if none. */
    public long lastResponseNanos() {
        return lastResponseNanos.get();
    }

    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        server.close(CloseMode.IMMEDIATE);
        timer.shutdownNow();
    }

    private final class Handler implements AsyncServerRequestHandler<Message<HttpRequest, Void>> {

        @Override
        public AsyncRequestConsumer<Message<HttpRequest, Void>> prepare(HttpRequest request, EntityDetails entityDetails,
                HttpContext context) {
            return new BasicRequestConsumer<>(entityDetails != null ? new DiscardingEntityConsumer<>() : null);
        }

        @Override
        public void handle(Message<HttpRequest, Void> message, ResponseTrigger trigger, HttpContext context)
                throws HttpException {
            firstRequestNanos.compareAndSet(0, System.nanoTime());
            inFlight(1);
            String path = message.getHead().getPath();
            boolean firstTry = retryStorm && seen.add(path);
            timer.schedule(() -> {
                try {
                    inFlight(-1);
                    served.incrementAndGet();
                    if (firstTry) {
                        trigger.submitResponse(AsyncResponseBuilder.create(HttpStatus.SC_SERVICE_UNAVAILABLE)
                                .setHeader("Retry-After", "1").build(), context);
                    } else {
                        trigger.submitResponse(AsyncResponseBuilder.create(HttpStatus.SC_OK)
                                .setEntity("{\"path\":\"" + path + "\"}", ContentType.APPLICATION_JSON).build(), context);
                    }
                    lastResponseNanos.set(System.nanoTime());
                } catch (Exception e) {
                    // the client went away: nothing to answer
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
