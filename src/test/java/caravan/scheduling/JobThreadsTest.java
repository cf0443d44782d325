package caravan.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Caravan's Quartz thread pool: a thread per fire, at most threadCount at once. */
class JobThreadsTest {

    private static JobThreads pool(int threads, boolean virtual) throws Exception {
        JobThreads pool = new JobThreads();
        pool.setThreadCount(threads);
        pool.setThreadNamePrefix("test-job");
        pool.setVirtual(virtual);
        pool.initialize();
        return pool;
    }

    @Test
    void at_most_thread_count_fires_run_at_once_and_quartz_is_held_until_one_ends() throws Exception {
        JobThreads pool = pool(2, false);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        Runnable fire = () -> {
            running.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        assertThat(pool.blockForAvailableThreads()).isEqualTo(2);
        assertThat(pool.runInThread(fire)).isTrue();
        assertThat(pool.runInThread(fire)).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> running.get() == 2);

        CompletableFuture<Integer> available = CompletableFuture.supplyAsync(pool::blockForAvailableThreads);
        Thread.sleep(100); // the pool is full: the scheduler's wait must not return
        assertThat(available).isNotDone();
        release.countDown();
        assertThat(available.get()).isBetween(1, 2);
        pool.shutdown(true);
        assertThat(pool.runInThread(fire)).as("no fires after shutdown").isFalse();
    }

    @Test
    void threads_are_made_per_fire_with_names_and_virtual_ones_when_asked() throws Exception {
        boolean hasVirtual = Runtime.version().feature() >= 21;
        JobThreads pool = pool(4, hasVirtual);
        List<Thread> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            pool.runInThread(() -> {
                seen.add(Thread.currentThread());
                done.countDown();
            });
        }
        done.await();
        pool.shutdown(true);
        assertThat(seen).hasSize(3).doesNotHaveDuplicates();
        assertThat(seen).allSatisfy(t -> assertThat(t.getName()).startsWith("test-job-"));
        if (hasVirtual) {
            Boolean virtual = (Boolean) Thread.class.getMethod("isVirtual").invoke(seen.get(0));
            assertThat(virtual).isTrue();
        }
    }

    @Test
    void a_failing_fire_does_not_take_its_slot_with_it() throws Exception {
        JobThreads pool = pool(1, false);
        pool.runInThread(() -> {
            throw new IllegalStateException("boom");
        });
        CountDownLatch ran = new CountDownLatch(1);
        assertThat(pool.runInThread(ran::countDown)).isTrue();
        ran.await();
        pool.shutdown(true);
    }
}
