package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How the writer's linger shapes batches: items still arriving join the batch, a quiet queue ends it early. */
class GroupCommitWriterTest {

    private static final long LINGER = TimeUnit.SECONDS.toNanos(8); // quiet after 2 s

    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @Test
    void a_batch_whose_items_stop_arriving_is_written_long_before_its_linger_ends() {
        try (GroupCommitWriter<Integer> writer = new GroupCommitWriter<>("test-writer", 100, LINGER, b -> batches.add(List.copyOf(b)))) {
            long start = System.nanoTime();
            writer.offer(1);
            await().atMost(Duration.ofSeconds(6)).until(() -> !batches.isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofNanos(LINGER));
            assertThat(batches).containsExactly(List.of(1));
        }
    }

    @Test
    void items_arriving_within_the_quiet_time_join_one_batch() throws Exception {
        try (GroupCommitWriter<Integer> writer = new GroupCommitWriter<>("test-writer", 100, LINGER, b -> batches.add(List.copyOf(b)))) {
            for (int i = 1; i <= 4; i++) {
                writer.offer(i);
                Thread.sleep(200); // well within the 2 s of quiet that end a batch: the point of the test is the spacing
            }
            await().atMost(Duration.ofSeconds(8)).until(() -> !batches.isEmpty());
            assertThat(batches).containsExactly(List.of(1, 2, 3, 4));
        }
    }
}
