package caravan.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.TriggerType;
import caravan.store.Jdbc;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch step in a Camel context of its own (the daemon's HTTP client, limiter and stores, no scheduler): it reads
 * a streamed body only as request slots free up, so a long input is never held in memory.
 */
class FetchReadAheadTest {

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path data;

    private StandaloneFetch fetch;

    @BeforeEach
    void start() throws Exception {
        fetch = new StandaloneFetch(data, server.baseUrl(), results -> results);
    }

    @AfterEach
    void stop() {
        fetch.close();
    }

    @Test
    void a_streamed_body_is_read_as_requests_free_up_and_every_item_is_stored_once() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server.on("/item/*", (n, ex) -> {
            release.await(20, TimeUnit.SECONDS);
            return Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}");
        });
        AtomicInteger read = new AtomicInteger();
        Iterator<String> items = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return read.get() < 200;
            }

            @Override
            public String next() {
                return Integer.toString(read.incrementAndGet());
            }
        };
        fetch.runs.begin(JobRun.started("run-1", "job", TriggerType.MANUAL, null, "node", Instant.now()));

        CompletableFuture<Object> summary = fetch.camel.createProducerTemplate().asyncRequestBodyAndHeaders("direct:fetch", items,
                Map.of(RunHeaders.RUN_ID, "run-1", RunHeaders.JOB_ID, "job"));

        await().atMost(Duration.ofSeconds(10)).until(() -> server.requests().size() == 5);
        // five requests in flight (the step's concurrency), five items read, none ahead
        assertThat(read.get()).isEqualTo(5);
        release.countDown();
        assertThat(summary.get(20, TimeUnit.SECONDS)).isEqualTo(Map.of("items", 200, "stored", 200, "deadLetters", 0, "notModified", 0));
        Long distinct = new Jdbc(fetch.db.dataSource()).queryOne("select count(distinct item_key) from result where run_id = ?",
                rs -> rs.getLong(1), "run-1");
        assertThat(distinct).isEqualTo(200L);
        assertThat(server.maxInFlight()).isEqualTo(5);
    }
}
