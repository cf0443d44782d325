package caravan.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.runs.JobRun;
import caravan.runs.RunHeaders;
import caravan.runs.TriggerType;
import caravan.store.Jdbc;
import caravan.store.ResultStore;
import caravan.support.FixtureServer;
import caravan.support.FixtureServer.Answer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a fetch step handles its replies: a plain 2xx reply on the HTTP client's I/O thread, its result queued for the
 * writer there without a thread of its own; anything that could block there (a writer with no room, a body to
 * decode) on a thread of its own. Either way every item is stored once.
 */
class FetchReplyThreadsTest {

    private static final String IO_THREAD = "httpclient-dispatch";

    @RegisterExtension
    final FixtureServer server = new FixtureServer();

    @TempDir
    Path data;

    private StandaloneFetch fetch;
    private WatchedStore results;

    /** The daemon's store, noting how and on which thread each result came to it; it can refuse to queue without waiting. */
    private static final class WatchedStore implements ResultStore {
        final ResultStore store;
        final Queue<String> queuedFrom = new ConcurrentLinkedQueue<>();
        final Queue<String> storedFrom = new ConcurrentLinkedQueue<>();
        volatile boolean refuseToQueue;

        WatchedStore(ResultStore store) {
            this.store = store;
        }

        @Override
        public Outcome store(NewResult result, boolean skipUnchanged) {
            storedFrom.add(Thread.currentThread().getName());
            return store.store(result, skipUnchanged);
        }

        @Override
        public CompletableFuture<Outcome> storeLater(NewResult result, boolean skipUnchanged) {
            storedFrom.add(Thread.currentThread().getName());
            return store.storeLater(result, skipUnchanged);
        }

        @Override
        public CompletableFuture<Outcome> storeWithoutWaiting(NewResult result, boolean skipUnchanged) {
            if (refuseToQueue) {
                return null;
            }
            queuedFrom.add(Thread.currentThread().getName());
            return store.storeWithoutWaiting(result, skipUnchanged);
        }
    }

    @BeforeEach
    void start() throws Exception {
        fetch = new StandaloneFetch(data, server.baseUrl(), writer -> results = new WatchedStore(writer));
    }

    @AfterEach
    void stop() {
        fetch.close();
    }

    @Test
    void a_plain_reply_is_queued_for_the_writer_on_the_clients_io_thread() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}"));

        assertThat(run("run-1", 50)).isEqualTo(Map.of("items", 50, "stored", 50, "deadLetters", 0, "notModified", 0));

        assertThat(results.queuedFrom).hasSize(50).allMatch(thread -> thread.startsWith(IO_THREAD));
        assertThat(results.storedFrom).isEmpty();
        assertThat(storedOnce("run-1")).isEqualTo(50L);
    }

    @Test
    void when_the_writer_has_no_room_a_reply_is_stored_from_a_thread_of_its_own_and_none_is_lost() throws Exception {
        server.on("/item/*", (n, ex) -> Answer.json("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}"));
        results.refuseToQueue = true;

        assertThat(run("run-1", 50)).isEqualTo(Map.of("items", 50, "stored", 50, "deadLetters", 0, "notModified", 0));

        assertThat(results.storedFrom).hasSize(50).noneMatch(thread -> thread.startsWith(IO_THREAD));
        assertThat(storedOnce("run-1")).isEqualTo(50L);
    }

    @Test
    void a_compressed_reply_is_decoded_and_stored_off_the_io_thread() throws Exception {
        server.on("/item/*", (n, ex) -> new Answer(200, gzip("{\"path\":\"" + ex.getRequestURI().getPath() + "\"}"),
                Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"), 0));

        assertThat(run("run-1", 20)).isEqualTo(Map.of("items", 20, "stored", 20, "deadLetters", 0, "notModified", 0));

        assertThat(results.queuedFrom).isEmpty();
        assertThat(results.storedFrom).hasSize(20).noneMatch(thread -> thread.startsWith(IO_THREAD));
        String payload = new Jdbc(fetch.db.dataSource()).queryOne("select payload from result where run_id = ? and item_key like ?",
                rs -> rs.getString(1), "run-1", "%/item/7");
        assertThat(payload).isEqualTo("{\"path\":\"/item/7\"}");
    }

    private Object run(String runId, int items) throws Exception {
        fetch.runs.begin(JobRun.started(runId, "job", TriggerType.MANUAL, null, "node", Instant.now()));
        List<String> body = IntStream.rangeClosed(1, items).mapToObj(Integer::toString).toList();
        return fetch.camel.createProducerTemplate().asyncRequestBodyAndHeaders("direct:fetch", body,
                Map.of(RunHeaders.RUN_ID, runId, RunHeaders.JOB_ID, "job")).get(20, TimeUnit.SECONDS);
    }

    private long storedOnce(String runId) {
        return new Jdbc(fetch.db.dataSource()).queryOne(
                "select count(distinct item_key) from result where run_id = ? having count(*) = count(distinct item_key)",
                rs -> rs.getLong(1), runId);
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
