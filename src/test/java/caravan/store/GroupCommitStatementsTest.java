package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit of single statements on a real H2 file: each caller returns once committed, with its own count. */
class GroupCommitStatementsTest {

    @TempDir
    Path data;

    private Database db;
    private GroupCommitStatements writes;
    private Jdbc jdbc;

    @BeforeEach
    void open() {
        db = Database.open(DbSettings.from(CaravanProperties.of(new Properties()), data));
        writes = new GroupCommitStatements(db.dataSource(), "test-writer");
        jdbc = new Jdbc(db.dataSource());
        jdbc.update("create table t (k varchar(10) primary key, v integer)");
    }

    @AfterEach
    void close() {
        writes.close();
        db.close();
    }

    @Test
    void parallel_statements_are_committed_before_each_caller_returns_with_its_own_count() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<Integer>> inserts = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = "k" + i;
                inserts.add(pool.submit(() -> {
                    int n = writes.update("insert into t (k, v) values (?, ?)", key, 0);
                    // committed: another connection sees it at once
                    assertThat(count("select count(*) from t where k = ?", key)).isEqualTo(1L);
                    return n;
                }));
            }
            for (Future<Integer> f : inserts) {
                assertThat(f.get()).isEqualTo(1);
            }
            List<Future<Integer>> updates = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                String key = i % 2 == 0 ? "k" + i : "missing" + i;
                updates.add(pool.submit(() -> writes.update("update t set v = 1 where k = ? and v = 0", key)));
            }
            for (int i = 0; i < 500; i++) {
                assertThat(updates.get(i).get()).as("update %d", i).isEqualTo(i % 2 == 0 ? 1 : 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from t where v = 1")).isEqualTo(250L);
    }

    @Test
    void a_statement_that_fails_fails_only_its_own_caller() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> good = new ArrayList<>();
            List<Future<Integer>> duplicates = new ArrayList<>();
            writes.update("insert into t (k, v) values (?, ?)", "taken", 0);
            for (int i = 0; i < 100; i++) {
                String key = "k" + i;
                good.add(pool.submit(() -> writes.update("insert into t (k, v) values (?, ?)", key, 0)));
                if (i % 10 == 0) {
                    duplicates.add(pool.submit(() -> writes.update("insert into t (k, v) values (?, ?)", "taken", 0)));
                }
            }
            for (Future<Integer> f : good) {
                assertThat(f.get()).isEqualTo(1);
            }
            for (Future<Integer> f : duplicates) {
                assertThatThrownBy(f::get).hasCauseInstanceOf(StoreException.class);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from t")).isEqualTo(101L);
    }

    @Test
    void after_close_statements_run_on_their_callers_thread() {
        writes.close();

        assertThat(writes.update("insert into t (k, v) values (?, ?)", "late", 0)).isEqualTo(1);
        assertThat(count("select count(*) from t where k = 'late'")).isEqualTo(1L);
    }

    private long count(String sql, Object... params) {
        return jdbc.queryOne(sql, (Jdbc.RowMapper<Long>) rs -> rs.getLong(1), params);
    }
}
