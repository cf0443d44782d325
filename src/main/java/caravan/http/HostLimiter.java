package caravan.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Admits requests under a global cap, a per-host cap and a per-host minimum delay between request starts
 * (fixed, or adapted by an {@link AutoThrottle}). A request that must wait is a queued callback, not a blocked
 * thread: it runs on {@code runner} when a permit frees up or the host's delay has passed.
 *
 * <p>The queue is bounded ({@code maxWaiting}, all hosts together): a waiting item holds no thread, so nothing else would stop a
 * streaming split of a million items against one slow host from queueing all of them (and running out of heap, as
 * it did). Once the queue is full, a new request that must wait blocks its caller until the queue has room. That
 * caller is a fan-out branch's thread, and through it the split's iteration: the backpressure that bounds memory.
 * The limiter's own threads (the runner, and through it the replies of the non-blocking client) are never
 * blocked, since the queue drains through them.
 *
 * <p>Nor does the HTTP client's I/O thread ever wait for the limiter's lock when it reports a finished request: it
 * leaves the report in a queue when the lock is taken, and whoever holds the lock applies it on the way out. With
 * hundreds of fan-out branches taking the lock, an I/O thread waiting its turn stalled every connection it serves for
 * 10-100 ms at a time, behind a branch that held the lock while it waited for a core.
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
    private final Executor sender;
    private final LongSupplier nanoTime;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final int maxWaiting;
    private int inFlight;
    private int waiting;
    /** Guards the counts, hosts and queues above. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when queued requests start: callers waiting for room in the queue. */
    private final Condition room = lock.newCondition();
    /** Finished requests reported while the lock was taken; applied by whoever holds it next. */
    private final Queue<Finished> finishedReports = new ConcurrentLinkedQueue<>();

    private record Finished(String host, long latencyNanos, Integer status) {
    }

    /** How often a caller waiting for room looks at the finished reports that nobody else has applied. */
    private static final long REPORT_CHECK_MILLIS = 20;
    /** The latency reported for a slot given back unsent ({@link #notSent}). */
    private static final long NOT_SENT = -1;

    /** Whether requests may start at all: closed while what their replies go on to cannot keep up (see {@link #gate}). */
    private volatile IntPredicate gate = inFlight -> true;
    /** Set when the gate kept a request from starting; {@link #reopened} has nothing to do until then. */
    private volatile boolean heldAtGate;
    /** Tasks given to {@link #runOnOwnThread} that have not returned yet. */
    private final AtomicInteger handling = new AtomicInteger();
    /** Set while one of the limiter's own tasks runs on this thread: such a thread is never blocked. */
    private static final ThreadLocal<Boolean> OWN_THREAD = new ThreadLocal<>();

    public HostLimiter(int maxConcurrent, int maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, LongSupplier nanoTime) {
        this(maxConcurrent, host -> maxPerHost, fixedDelayNanos, throttle, timer, runner, nanoTime);
    }

    /** {@code maxPerHost} gives each host ({@code name:port}) its cap. */
    public HostLimiter(int maxConcurrent, ToIntFunction<String> maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, LongSupplier nanoTime) {
        this(maxConcurrent, maxPerHost, fixedDelayNanos, throttle, timer, runner, nanoTime, defaultMaxWaiting(maxConcurrent));
    }

    /** {@code maxWaiting}: requests queued at most, all hosts together, before callers wait for room. */
    public HostLimiter(int maxConcurrent, ToIntFunction<String> maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, LongSupplier nanoTime, int maxWaiting) {
        this(maxConcurrent, maxPerHost, fixedDelayNanos, throttle, timer, runner, runner, nanoTime, maxWaiting);
    }

    /** {@code sender} runs the queued requests that are {@link NonBlocking}; {@code runner} the others. */
    public HostLimiter(int maxConcurrent, ToIntFunction<String> maxPerHost, long fixedDelayNanos, AutoThrottle throttle,
            ScheduledExecutorService timer, Executor runner, Executor sender, LongSupplier nanoTime, int maxWaiting) {
        this.maxWaiting = Math.max(1, maxWaiting);
        this.maxConcurrent = maxConcurrent;
        this.maxPerHost = maxPerHost;
        this.fixedDelayNanos = fixedDelayNanos;
        this.throttle = throttle;
        this.timer = timer;
        this.runner = task -> runner.execute(() -> runAsOwn(task));
        this.sender = task -> sender.execute(() -> runAsOwn(task));
        this.nanoTime = nanoTime;
    }

    /**
     * A queued request whose start never blocks (it hands the request to the non-blocking client and returns): it
     * runs on the sender, which does nothing else, so that a freed slot is taken again at once instead of after the
     * replies and route steps queued on the runner's threads.
     */
    public interface NonBlocking extends Runnable {
    }

    /** A few thousand small queued exchanges: megabytes, not the heap. */
    public static int defaultMaxWaiting(int maxConcurrent) {
        return Math.max(1000, 2 * maxConcurrent);
    }

    private static void runAsOwn(Runnable task) {
        if (Boolean.TRUE.equals(OWN_THREAD.get())) {
            task.run();
            return;
        }
        OWN_THREAD.set(Boolean.TRUE);
        try {
            task.run();
        } finally {
            OWN_THREAD.remove();
        }
    }

    /**
     * Asks to start a request to {@code host}. Returns true when it may start now (the caller runs it); otherwise
     * {@code request} is queued and run later on the runner.
     */
    public boolean tryStart(String host, Runnable request) {
        return tryStart(host, request, !Boolean.TRUE.equals(OWN_THREAD.get()));
    }

    /** As {@link #tryStart(String, Runnable)}, but never blocks the caller: for threads the queue drains through. */
    public boolean tryStartWithoutBlocking(String host, Runnable request) {
        return tryStart(host, request, false);
    }

    private boolean tryStart(String host, Runnable request, boolean mayBlock) {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            while (true) {
                if (applyFinished()) {
                    ready = concat(ready, admit()); // requests queued before this one go first
                }
                long now = nanoTime.getAsLong();
                Host h = hosts.computeIfAbsent(host, k -> newHost(k, now));
                if (h.waiting.isEmpty() && canStart(h, now)) {
                    start(h, now);
                    return true;
                }
                if (waiting < maxWaiting || !mayBlock) {
                    h.waiting.add(request);
                    waiting++;
                    armTimer(host, h, now);
                    return false;
                }
                dispatch(ready); // before waiting: they may be what frees the room
                ready = List.of();
                try {
                    // Signalled when a queued request starts. A report that came while this thread held the lock,
                    // just before it waits, is applied by no one until the next lock holder: hence the time limit.
                    room.await(REPORT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    mayBlock = false; // queued over the bound rather than lost
                }
            }
        } finally {
            unlockAndSettle();
            dispatch(ready);
        }
    }

    /**
     * A request to {@code host} finished after {@code latencyNanos}; {@code status} is null when nothing answered.
     * Never waits for the lock: an HTTP client's I/O thread calls it.
     */
    public void finished(String host, long latencyNanos, Integer status) {
        finishedReports.add(new Finished(host, latencyNanos, status));
        settle();
    }

    /** Gives back the slot of a request that was admitted but never sent: the throttle learns nothing from it. */
    public void notSent(String host) {
        finished(host, NOT_SENT, null);
    }

    /** Applies the finished reports while the lock is free, and starts what may start then. */
    private void settle() {
        while (!finishedReports.isEmpty() && lock.tryLock()) {
            List<Runnable> ready = List.of();
            try {
                if (applyFinished()) {
                    ready = admit();
                }
            } finally {
                lock.unlock();
            }
            dispatch(ready);
        }
    }

    /** Unlocks, then applies what was reported meanwhile: a reporter that found the lock taken left it to us. */
    private void unlockAndSettle() {
        lock.unlock();
        settle();
    }

    /** Under the lock: applies the finished reports; true if there were any (and requests may start now). */
    private boolean applyFinished() {
        Finished f = finishedReports.poll();
        if (f == null) {
            return false;
        }
        for (; f != null; f = finishedReports.poll()) {
            Host h = hosts.get(f.host());
            if (h == null) {
                continue;
            }
            h.inFlight--;
            inFlight--;
            if (throttle != null && f.latencyNanos() != NOT_SENT) {
                h.delay = throttle.next(h.delay, f.latencyNanos(), f.status());
            }
        }
        return true;
    }

    private static List<Runnable> concat(List<Runnable> a, List<Runnable> b) {
        if (a.isEmpty()) {
            return b;
        }
        List<Runnable> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    private void dispatch(List<Runnable> ready) {
        for (Runnable request : ready) {
            (request instanceof NonBlocking ? sender : runner).execute(request);
        }
    }

    /**
     * Runs a task on the limiter's own threads instead of the caller's: an admitted request, or what a job does with
     * a reply. Until it returns it counts against the {@link #gate} as if still in flight: a reply that has given its
     * slot back but whose result has not reached the store yet still needs room there.
     */
    public void runOnOwnThread(Runnable task) {
        handling.incrementAndGet();
        try {
            runner.execute(() -> {
                try {
                    task.run();
                } finally {
                    handling.decrementAndGet();
                    reopened();
                }
            });
        } catch (RuntimeException e) {
            handling.decrementAndGet();
            throw e;
        }
    }

    public int inFlight() {
        return read(() -> inFlight);
    }

    /** Requests queued now, all hosts together. */
    public int waiting() {
        return read(() -> waiting);
    }

    /** The current delay between request starts to a host, in nanoseconds. */
    public long delayOf(String host) {
        return read(() -> {
            Host h = hosts.get(host);
            return h == null ? fixedDelayNanos : h.delay;
        });
    }

    private <T> T read(Supplier<T> value) {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            if (applyFinished()) {
                ready = admit();
            }
            return value.get();
        } finally {
            unlockAndSettle();
            dispatch(ready);
        }
    }

    private Host newHost(String host, long now) {
        Host h = new Host();
        h.cap = Math.max(1, maxPerHost.applyAsInt(host));
        h.delay = throttle != null ? throttle.startNanos() : fixedDelayNanos;
        h.nextStart = now;
        return h;
    }

    private boolean canStart(Host h, long now) {
        if (inFlight >= maxConcurrent || h.inFlight >= h.cap || now - h.nextStart < 0) {
            return false;
        }
        if (!gate.test(inFlight + handling.get())) {
            heldAtGate = true;
            return false;
        }
        return true;
    }

    /**
     * Starts no request while {@code open} says no, given the requests in flight and the replies still being handled
     * ({@link #runOnOwnThread}): for what the replies go on to (a result store's queue) when it cannot keep up. Call {@link #reopened} when it may say yes again; requests that
     * find it closed wait in the queue, and their callers for room in it, as usual.
     */
    public void gate(IntPredicate open) {
        this.gate = open;
    }

    /** The gate may be open again: starts what may start now, if the gate held anything back. */
    public void reopened() {
        if (heldAtGate) {
            heldAtGate = false;
            startWhatMayStart(() -> { });
        }
    }

    /** Under the lock, {@code first}, then the finished reports and every queued request that may start now. */
    private void startWhatMayStart(Runnable first) {
        List<Runnable> ready = List.of();
        lock.lock();
        try {
            first.run();
            applyFinished();
            ready = admit();
        } finally {
            unlockAndSettle();
            dispatch(ready);
        }
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
                    waiting--;
                    progress = true;
                } else if (!h.waiting.isEmpty()) {
                    armTimer(e.getKey(), h, now);
                }
            }
        }
        forgetIdleHosts(now);
        if (!ready.isEmpty()) {
            room.signalAll();
        }
        return ready;
    }

    private void armTimer(String host, Host h, long now) {
        long wait = h.nextStart - now;
        if (h.timerSet || wait <= 0 || h.inFlight >= h.cap) {
            return;
        }
        h.timerSet = true;
        timer.schedule(() -> startWhatMayStart(() -> h.timerSet = false), wait, TimeUnit.NANOSECONDS);
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
