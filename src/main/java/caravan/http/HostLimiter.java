package caravan.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * Admits requests under a global cap, a per-host cap and a per-host minimum delay between request starts
 * (fixed, or adapted by an {@link AutoThrottle}). A request that must wait is a queued callback, not a blocked
 * thread: it runs on {@code runner} when a permit frees up or the host's delay has passed.
 */
public final class HostLimiter {

    private static final class Host {
        final Deque<Runnable> waiting = new ArrayDeque<>();
        int inFlight;
        int cap;
        long nextStart;
        long delay;
        boolean timerSet;
    }

    private final int maxConcurrent;
    private final ToIntFunction<String> maxPerHost;
    private final long fixedDelayNanos;
    private final AutoThrottle throttle;
    private final ScheduledExecutorService timer;
    private final Executor runner;
    private final LongSupplier nanoTime;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private int inFlight;

    public HostLimiter(int maxConcurrent, int maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, LongSupplier nanoTime) {
        this(maxConcurrent, host -> maxPerHost, fixedDelayNanos, throttle, timer, runner, nanoTime);
    }

    /** {@code maxPerHost} gives each host ({@code name:port}) its cap. */
    public HostLimiter(int maxConcurrent, ToIntFunction<String> maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, LongSupplier nanoTime) {
        this.maxConcurrent = maxConcurrent;
        this.maxPerHost = maxPerHost;
        this.fixedDelayNanos = fixedDelayNanos;
        this.throttle = throttle;
        this.timer = timer;
        this.runner = runner;
        this.nanoTime = nanoTime;
    }

    /**
     * Asks to start a request to {@code host}. Returns true when it may start now (the caller runs it); otherwise
     * {@code request} is queued and run later on the runner.
     */
    public boolean tryStart(String host, Runnable request) {
        synchronized (this) {
            long now = nanoTime.getAsLong();
            Host h = hosts.computeIfAbsent(host, k -> newHost(k, now));
            if (h.waiting.isEmpty() && canStart(h, now)) {
                start(h, now);
                return true;
            }
            h.waiting.add(request);
            armTimer(host, h, now);
        }
        return false;
    }

    /** A request to {@code host} finished after {@code latencyNanos}; {@code status} is null when nothing answered. */
    public void finished(String host, long latencyNanos, Integer status) {
        List<Runnable> ready;
        synchronized (this) {
            Host h = hosts.get(host);
            if (h == null) {
                return;
            }
            h.inFlight--;
            inFlight--;
            if (throttle != null) {
                h.delay = throttle.next(h.delay, latencyNanos, status);
            }
            ready = admit();
        }
        ready.forEach(runner::execute);
    }

    /** Runs an admitted request on the limiter's own threads instead of the caller's. */
    public void runOnOwnThread(Runnable request) {
        runner.execute(request);
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** The current delay between request starts to a host, in nanoseconds. */
    public synchronized long delayOf(String host) {
        Host h = hosts.get(host);
        return h == null ? fixedDelayNanos : h.delay;
    }

    private Host newHost(String host, long now) {
        Host h = new Host();
        h.cap = Math.max(1, maxPerHost.applyAsInt(host));
        h.delay = throttle != null ? throttle.startNanos() : fixedDelayNanos;
        h.nextStart = now;
        return h;
    }

    private boolean canStart(Host h, long now) {
        return inFlight < maxConcurrent && h.inFlight < h.cap && now - h.nextStart >= 0;
    }

    private void start(Host h, long now) {
        h.inFlight++;
        inFlight++;
        h.nextStart = now + h.delay;
    }

    /** Starts whatever may start now, hosts in turn; arms timers for hosts that wait on their delay. */
    private List<Runnable> admit() {
        List<Runnable> ready = new ArrayList<>();
        long now = nanoTime.getAsLong();
        boolean progress = true;
        while (progress && inFlight < maxConcurrent) {
            progress = false;
            for (Map.Entry<String, Host> e : hosts.entrySet()) {
                Host h = e.getValue();
                if (!h.waiting.isEmpty() && canStart(h, now)) {
                    start(h, now);
                    ready.add(h.waiting.poll());
                    progress = true;
                } else if (!h.waiting.isEmpty()) {
                    armTimer(e.getKey(), h, now);
                }
            }
        }
        forgetIdleHosts(now);
        return ready;
    }

    private void armTimer(String host, Host h, long now) {
        long wait = h.nextStart - now;
        if (h.timerSet || wait <= 0 || h.inFlight >= h.cap) {
            return;
        }
        h.timerSet = true;
        timer.schedule(() -> {
            List<Runnable> ready;
            synchronized (this) {
                h.timerSet = false;
                ready = admit();
            }
            ready.forEach(runner::execute);
        }, wait, TimeUnit.NANOSECONDS);
    }

    private void forgetIdleHosts(long now) {
        if (throttle != null) {
            return; // an adapted delay is what the host taught us: keep it
        }
        Iterator<Host> it = hosts.values().iterator();
        while (it.hasNext()) {
            Host h = it.next();
            if (h.inFlight == 0 && h.waiting.isEmpty() && !h.timerSet && now - h.nextStart >= 0) {
                it.remove();
            }
        }
    }
}
