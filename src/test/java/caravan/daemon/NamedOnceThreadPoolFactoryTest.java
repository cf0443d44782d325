package caravan.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.concurrent.CamelThreadFactory;
import org.junit.jupiter.api.Test;

/** Pools made through the factory run their tasks, on virtual threads named once per pool when the JVM has them. */
class NamedOnceThreadPoolFactoryTest {

    @Test
    void a_pool_runs_tasks_on_threads_named_after_it() throws Exception {
        System.setProperty("camel.threads.virtual.enabled", Boolean.toString(Runtime.version().feature() >= 21));
        // Camel decides once per JVM whether its threads are virtual: the first test to make a thread decides it.
        boolean virtual = new CamelThreadFactory("#name#", "probe", true).isVirtual();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getCamelContextExtension().setName("caravan");
            NamedOnceThreadPoolFactory factory = new NamedOnceThreadPoolFactory();
            factory.setCamelContext(camel);
            camel.getExecutorServiceManager().setThreadPoolFactory(factory);
            camel.start();
            ExecutorService pool = camel.getExecutorServiceManager().newThreadPool(this, "Fetch", 4, 4);
            try {
                for (int i = 1; i <= 3; i++) {
                    CompletableFuture<Thread> ran = new CompletableFuture<>();
                    pool.execute(() -> ran.complete(Thread.currentThread()));
                    Thread thread = ran.get(10, TimeUnit.SECONDS);
                    if (virtual) {
                        assertThat(thread.getName()).isEqualTo("Camel (caravan) Fetch #" + i);
                        assertThat((Boolean) Thread.class.getMethod("isVirtual").invoke(thread)).isTrue();
                    } else {
                        assertThat(thread.getName()).contains("Fetch");
                    }
                }
            } finally {
                camel.getExecutorServiceManager().shutdownNow(pool);
            }
        } finally {
            System.clearProperty("camel.threads.virtual.enabled");
        }
    }
}
