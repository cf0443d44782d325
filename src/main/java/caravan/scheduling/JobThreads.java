package caravan.scheduling;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads Quartz runs job fires on ({@code org.quartz.threadPool.class}). A run holds its thread until it ends
 * (camel-quartz runs the route synchronously), so this pool admits {@code threadCount} runs at once and creates a
 * thread per fire only when one is due: a virtual thread when {@code virtual} (the JVM has them), else a platform
 * thread. Nothing is created up front, and idle jobs cost no threads.
 * <p>
 * Quartz's own {@code SimpleThreadPool} starts all its threads at start-up and hands each fire over through one
 * monitor that its workers also take when they finish: with hundreds of jobs due in the same second, fires queued
 * behind that monitor and behind the pool's size, which also caps how many triggers Quartz acquires ahead of time.
 */
public final class JobThreads implements ThreadPool {

    private static final Logger LOG = LoggerFactory.getLogger(JobThreads.class);

    private int threadCount = 25;
    private String threadNamePrefix = "caravan-job";
    private boolean virtual;

    private Semaphore slots;
    private ThreadFactory threads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    /** Quartz property {@code org.quartz.threadPool.threadCount}: runs at the same moment. */
    public void setThreadCount(int threadCount) {
        this.threadCount = threadCount;
    }

    /** Quartz property {@code org.quartz.threadPool.threadNamePrefix}. */
    public void setThreadNamePrefix(String threadNamePrefix) {
        this.threadNamePrefix = threadNamePrefix;
    }

    /** Quartz property {@code org.quartz.threadPool.virtual}: run fires on virtual threads (Java 21+). */
    public void setVirtual(boolean virtual) {
        this.virtual = virtual;
    }

    @Override
    public void initialize() throws SchedulerConfigException {
        if (threadCount < 1) {
            throw new SchedulerConfigException("caravan.scheduler.threads must be at least 1, not " + threadCount);
        }
        slots = new Semaphore(threadCount);
        threads = virtual ? virtualThreads(threadNamePrefix) : platformThreads(threadNamePrefix);
    }

    @Override
    public boolean runInThread(Runnable runnable) {
        if (runnable == null || shutdown) {
            return false;
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Thread thread = threads.newThread(() -> {
            try {
                runnable.run();
            } catch (RuntimeException | Error e) {
                if (shutdown) {
                    // a run that ended while the scheduler stopped: Quartz's store is closed, the run is recorded
                    LOG.debug("Job fire ended after the scheduler stopped: {}", e.toString());
                } else {
                    LOG.error("Job fire failed outside its run", e);
                }
            } finally {
                running.remove(Thread.currentThread());
                slots.release();
            }
        });
        running.add(thread);
        thread.start();
        return true;
    }

    @Override
    public int blockForAvailableThreads() {
        if (shutdown) {
            return 0;
        }
        try {
            slots.acquire();
            slots.release();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        return Math.max(1, slots.availablePermits());
    }

    @Override
    public void shutdown(boolean waitForJobsToComplete) {
        shutdown = true;
        if (!waitForJobsToComplete) {
            return;
        }
        for (Thread thread : running) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public int getPoolSize() {
        return threadCount;
    }

    @Override
    public void setInstanceId(String schedInstId) {
    }

    @Override
    public void setInstanceName(String schedName) {
    }

    private static ThreadFactory platformThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread t = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            t.setDaemon(false);
            return t;
        };
    }

    /** {@code Thread.ofVirtual().name(prefix + "-", 1).factory()}, looked up at run time: the build targets Java 17. */
    private static ThreadFactory virtualThreads(String prefix) throws SchedulerConfigException {
        try {
            var lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            Object b = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)).invoke();
            b = lookup.findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class, long.class))
                    .invoke(b, prefix + "-", 1L);
            return (ThreadFactory) lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)).invoke(b);
        } catch (Throwable e) {
            throw new SchedulerConfigException("virtual threads are not available in this JVM: " + e, e);
        }
    }
}
