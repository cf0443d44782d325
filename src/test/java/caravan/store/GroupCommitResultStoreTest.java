package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit on a real H2 file: many parallel callers, each returning only once its result is committed. */
class GroupCommitResultStoreTest {

    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path data;

    private Database db;
    private GroupCommitResultStore store;
    private Jdbc jdbc;

    @BeforeEach
    void open() {
        db = Database.open(DbSettings.from(CaravanProperties.of(new Properties()), data));
        store = new GroupCommitResultStore(new JdbcResultStore(db.dataSource()));
        jdbc = new Jdbc(db.dataSource());
    }

    @AfterEach
    void close() {
        store.close();
        db.close();
    }

    private List<ResultStore.Outcome> storeInParallel(String runId, int items, String content) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<ResultStore.Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                String key = "item-" + i;
                futures.add(pool.submit(() -> {
                    ResultStore.Outcome outcome = store.store(new ResultStore.NewResult("job", runId, key, content + key, AT), true);
                    // committed before store returns: another connection sees it
                    assertThat(jdbc.queryOne("select count(*) from result where run_id = ? and item_key = ?",
                            (Jdbc.RowMapper<Long>) rs -> rs.getLong(1), runId, key)).isEqualTo(outcome == ResultStore.Outcome.SKIPPED_UNCHANGED ? 0L : 1L);
                    return outcome;
                }));
            }
            List<ResultStore.Outcome> outcomes = new ArrayList<>();
            for (Future<ResultStore.Outcome> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallel_results_are_each_stored_once_and_committed_before_the_caller_returns() throws Exception {
        List<ResultStore.Outcome> outcomes = storeInParallel("run-1", 2000, "a ");

        assertThat(outcomes).hasSize(2000).containsOnly(ResultStore.Outcome.NEW);
        assertThat(jdbc.queryOne("select count(*), count(distinct item_key) from result where run_id = 'run-1'",
                (Jdbc.RowMapper<String>) rs -> rs.getLong(1) + "/" + rs.getLong(2))).isEqualTo("2000/2000");
    }

    @Test
    void change_detection_compares_each_item_with_its_latest_result() throws Exception {
        storeInParallel("run-1", 300, "a ");
        assertThat(storeInParallel("run-2", 300, "a ")).containsOnly(ResultStore.Outcome.SKIPPED_UNCHANGED);
        assertThat(storeInParallel("run-3", 300, "b ")).containsOnly(ResultStore.Outcome.CHANGED);
        assertThat(storeInParallel("run-4", 300, "a ")).containsOnly(ResultStore.Outcome.CHANGED);
    }

    @Test
    void with_the_hash_cache_change_detection_gives_the_same_outcomes() throws Exception {
        store.close();
        store = new GroupCommitResultStore(new JdbcResultStore(db.dataSource(), 1000));

        assertThat(storeInParallel("run-1", 300, "a ")).containsOnly(ResultStore.Outcome.NEW);
        assertThat(storeInParallel("run-2", 300, "a ")).containsOnly(ResultStore.Outcome.SKIPPED_UNCHANGED);
        assertThat(storeInParallel("run-3", 300, "b ")).containsOnly(ResultStore.Outcome.CHANGED);
        assertThat(storeInParallel("run-4", 300, "a ")).containsOnly(ResultStore.Outcome.CHANGED);
    }

    @Test
    void the_hash_cache_answers_for_recent_items_and_the_database_for_the_others() {
        JdbcResultStore cached = new JdbcResultStore(db.dataSource(), 10);
        for (int i = 0; i < 20; i++) {
            cached.store(new ResultStore.NewResult("job", "run-1", "item-" + i, "same", AT), true);
        }
        // Behind the store's back (only another process would do this): the cache still knows the 10 newest items.
        jdbc.update("delete from result");
        jdbc.update("delete from result_latest");

        List<ResultStore.Outcome> outcomes = new ArrayList<>();
        for (int i = 19; i >= 0; i--) {
            outcomes.add(cached.store(new ResultStore.NewResult("job", "run-2", "item-" + i, "same", AT), true));
        }
        assertThat(outcomes.subList(0, 10)).as("items 19..10, cached").containsOnly(ResultStore.Outcome.SKIPPED_UNCHANGED);
        assertThat(outcomes.subList(10, 20)).as("items 9..0, evicted: read from the database")
                .containsOnly(ResultStore.Outcome.NEW);
    }

    @Test
    void an_items_current_hash_is_written_when_it_is_new_or_changed_and_read_by_a_store_without_a_cache() {
        JdbcResultStore first = new JdbcResultStore(db.dataSource(), 100);
        assertThat(first.store(new ResultStore.NewResult("job", "run-1", "page", "a", AT), false)).isEqualTo(ResultStore.Outcome.NEW);
        assertThat(first.store(new ResultStore.NewResult("job", "run-2", "page", "a", AT), false)).isEqualTo(ResultStore.Outcome.UNCHANGED);
        assertThat(first.store(new ResultStore.NewResult("job", "run-3", "page", "b", AT), false)).isEqualTo(ResultStore.Outcome.CHANGED);
        assertThat(first.store(new ResultStore.NewResult("other-job", "run-4", "page", "a", AT), false)).isEqualTo(ResultStore.Outcome.NEW);

        assertThat(jdbc.query("select job_id || ':' || content_hash from result_latest where item_key = 'page' order by job_id",
                rs -> rs.getString(1))).containsExactly("job:" + JdbcResultStore.sha256("b"), "other-job:" + JdbcResultStore.sha256("a"));
        assertThat(jdbc.queryOne("select count(*) from result where job_id = 'job'", (Jdbc.RowMapper<Long>) rs -> rs.getLong(1))).isEqualTo(3L);
        JdbcResultStore uncached = new JdbcResultStore(db.dataSource(), 0);
        assertThat(uncached.store(new ResultStore.NewResult("job", "run-5", "page", "b", AT), true)).isEqualTo(ResultStore.Outcome.SKIPPED_UNCHANGED);
        assertThat(uncached.store(new ResultStore.NewResult("job", "run-5", "page", "a", AT), true)).isEqualTo(ResultStore.Outcome.CHANGED);
        assertThat(new JdbcResultStore(db.dataSource(), 0).store(new ResultStore.NewResult("job", "run-6", "page", "a", AT), true))
                .isEqualTo(ResultStore.Outcome.SKIPPED_UNCHANGED);
    }

    @Test
    void two_results_of_one_item_in_one_batch_compare_with_each_other() {
        JdbcResultStore jdbcStore = new JdbcResultStore(db.dataSource());
        List<ResultStore.Outcome> outcomes = jdbcStore.storeAll(List.of(
                new JdbcResultStore.Request(new ResultStore.NewResult("job", "run-1", "x", "one", AT), false),
                new JdbcResultStore.Request(new ResultStore.NewResult("job", "run-1", "x", "one", AT), true),
                new JdbcResultStore.Request(new ResultStore.NewResult("job", "run-1", "x", "two", AT), true)));

        assertThat(outcomes).containsExactly(ResultStore.Outcome.NEW, ResultStore.Outcome.SKIPPED_UNCHANGED,
                ResultStore.Outcome.CHANGED);
        assertThat(jdbc.queryOne("select content_hash from result_latest where item_key = 'x'", (Jdbc.RowMapper<String>) rs -> rs.getString(1)))
                .isEqualTo(JdbcResultStore.sha256("two"));
    }

    @Test
    void a_result_that_cannot_be_stored_fails_only_its_own_caller() throws Exception {
        String tooLong = "k".repeat(3000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ResultStore.Outcome>> good = new ArrayList<>();
            Future<ResultStore.Outcome> bad = null;
            for (int i = 0; i < 100; i++) {
                String key = i == 50 ? tooLong : "item-" + i;
                Future<ResultStore.Outcome> f = pool.submit(() -> store.store(new ResultStore.NewResult("job", "run-1", key, "x", AT), false));
                if (i == 50) {
                    bad = f;
                } else {
                    good.add(f);
                }
            }
            for (Future<ResultStore.Outcome> f : good) {
                assertThat(f.get()).isEqualTo(ResultStore.Outcome.NEW);
            }
            Future<ResultStore.Outcome> failed = bad;
            assertThatThrownBy(failed::get).hasCauseInstanceOf(StoreException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryOne("select count(*) from result", (Jdbc.RowMapper<Long>) rs -> rs.getLong(1))).isEqualTo(99L);
    }

    @Test
    void a_result_is_queued_without_waiting_while_the_writer_has_room_and_refused_when_it_has_none() throws Exception {
        Properties props = new Properties();
        props.setProperty("caravan.db.pool-size", "2");
        try (Database small = Database.open(DbSettings.from(CaravanProperties.of(props), data.resolve("small")));
                GroupCommitResultStore roomForTwo = new GroupCommitResultStore(new JdbcResultStore(small.dataSource()), 2)) {
            List<CompletableFuture<ResultStore.Outcome>> queued = new ArrayList<>();
            // the writer waits for a connection while the test holds both
            try (Connection one = small.dataSource().getConnection(); Connection two = small.dataSource().getConnection()) {
                queued.add(roomForTwo.storeWithoutWaiting(new ResultStore.NewResult("job", "run-1", "a", "x", AT), false));
                queued.add(roomForTwo.storeWithoutWaiting(new ResultStore.NewResult("job", "run-1", "b", "x", AT), false));
                assertThat(queued).doesNotContainNull();

                assertThat(roomForTwo.storeWithoutWaiting(new ResultStore.NewResult("job", "run-1", "c", "x", AT), false)).isNull();
                assertThat(queued).noneMatch(CompletableFuture::isDone);
            }
            for (CompletableFuture<ResultStore.Outcome> f : queued) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(ResultStore.Outcome.NEW);
            }
            // room again once the batch is committed
            assertThat(roomForTwo.storeWithoutWaiting(new ResultStore.NewResult("job", "run-1", "c", "x", AT), false)
                    .get(10, TimeUnit.SECONDS)).isEqualTo(ResultStore.Outcome.NEW);
            roomForTwo.close();
            assertThat(roomForTwo.storeWithoutWaiting(new ResultStore.NewResult("job", "run-1", "d", "x", AT), false))
                    .as("the writer has stopped: the caller stores it itself").isNull();
        }
    }

    @Test
    void after_close_results_are_still_stored_by_their_callers() {
        store.close();

        assertThat(store.store(new ResultStore.NewResult("job", "run-1", "late", "x", AT), false)).isEqualTo(ResultStore.Outcome.NEW);
        assertThat(jdbc.queryOne("select count(*) from result where item_key = 'late'", (Jdbc.RowMapper<Long>) rs -> rs.getLong(1))).isEqualTo(1L);
    }

    @Test
    void validators_are_remembered_with_their_content_and_count_only_while_it_is_the_items_latest() {
        caravan.http.Validators v1 = new caravan.http.Validators("http://site/a", "\"v1\"", null);
        assertThat(store.remembersValidators("job")).isFalse();
        store.store(new ResultStore.NewResult("job", "run-1", "a", "one", AT, v1), true);
        assertThat(store.remembersValidators("job")).isTrue();
        assertThat(store.remembersValidators("other-job")).isFalse();
        assertThat(store.validators("job", "a")).isEqualTo(v1);

        // the same content again, with new validators: not stored again, but its validators are
        caravan.http.Validators v2 = new caravan.http.Validators("http://site/a", "\"v2\"", "Tue, 01 Dec 2026 10:00:00 GMT");
        assertThat(store.store(new ResultStore.NewResult("job", "run-2", "a", "one", AT, v2), true))
                .isEqualTo(ResultStore.Outcome.SKIPPED_UNCHANGED);
        assertThat(store.validators("job", "a")).isEqualTo(v2);

        // other content stored without validators (another step, or a site that stopped sending them): none count
        assertThat(store.store(new ResultStore.NewResult("job", "run-3", "a", "two", AT), true)).isEqualTo(ResultStore.Outcome.CHANGED);
        assertThat(store.validators("job", "a")).as("they came with content that is no longer the latest").isNull();
        assertThat(store.store(new ResultStore.NewResult("job", "run-4", "a", "one", AT), true)).isEqualTo(ResultStore.Outcome.CHANGED);
        assertThat(store.validators("job", "a")).as("content they came with is the latest again: a 304 means it").isEqualTo(v2);
    }
}
