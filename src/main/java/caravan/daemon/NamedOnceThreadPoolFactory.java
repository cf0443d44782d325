package caravan.daemon;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.apache.camel.util.concurrent.ThreadFactoryTypeAware;

/**
 * Camel's thread pools, with virtual threads named from a prefix worked out once per pool. A virtual-thread pool
 * starts a new thread for every task (a split's branch, an HTTP reply, a stored result's continuation), and Camel's
 * own factory works each name out from its pattern with regular expressions: that was 4-5% of a fan-out's CPU.
 * Names are {@code Camel (caravan) NAME #N}. Platform threads, and pools whose factory is not Camel's, are as Camel
 * makes them. Bound in the registry, where Camel Main picks it up.
 */
public final class NamedOnceThreadPoolFactory extends DefaultThreadPoolFactory {

    @Override
    public ExecutorService newCachedThreadPool(ThreadFactory factory) {
        return super.newCachedThreadPool(namedOnce(factory));
    }

    @Override
    public ExecutorService newThreadPool(ThreadPoolProfile profile, ThreadFactory factory) {
        return super.newThreadPool(profile, namedOnce(factory));
    }

    @Override
    public ExecutorService newThreadPool(int corePoolSize, int maxPoolSize, long keepAliveTime, TimeUnit timeUnit,
            int maxQueueSize, boolean allowCoreThreadTimeOut, RejectedExecutionHandler rejectedExecutionHandler,
            ThreadFactory factory) {
        return super.newThreadPool(corePoolSize, maxPoolSize, keepAliveTime, timeUnit, maxQueueSize,
                allowCoreThreadTimeOut, rejectedExecutionHandler, namedOnce(factory));
    }

    private ThreadFactory namedOnce(ThreadFactory factory) {
        if (factory instanceof CamelThreadFactory camel && camel.isVirtual()) {
            String context = getCamelContext() == null ? "camel" : getCamelContext().getName();
            return new VirtualThreads(virtualThreadFactory("Camel (" + context + ") " + camel.getName() + " #"));
        }
        return factory;
    }

    /**
     * {@code Thread.ofVirtual().name(prefix, 1).factory()}, called reflectively: the build targets Java 17, and a
     * factory is only asked for on a JVM that has virtual threads (Camel's own factory said so).
     */
    static ThreadFactory virtualThreadFactory(String prefix) {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Method name = Class.forName("java.lang.Thread$Builder$OfVirtual").getMethod("name", String.class, long.class);
            builder = name.invoke(builder, prefix, 1L);
            return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This JVM has no virtual threads: " + e, e);
        }
    }

    /** Tells Camel's pools that the threads are virtual, so that they bound by a semaphore instead of a pool size. */
    private record VirtualThreads(ThreadFactory threads) implements ThreadFactoryTypeAware {
        @Override
        public boolean isVirtual() {
            return true;
        }

        @Override
        public Thread newThread(Runnable task) {
            return threads.newThread(task);
        }
    }
}
