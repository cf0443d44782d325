package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A database of a release before {@code result_latest}: its results' newest hashes carry over on upgrade. */
class ResultLatestMigrationTest {

    private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path data;

    @Test
    void upgrading_fills_each_items_current_hash_from_its_newest_result() {
        DbSettings settings = DbSettings.from(CaravanProperties.of(new Properties()), data);
        JdbcDataSource old = new JdbcDataSource();
        old.setURL(Database.jdbcUrl(settings.url()));
        old.setUser(settings.user());
        old.setPassword(settings.password());
        Flyway.configure().dataSource(old).locations("classpath:db/migration", Database.vendorLocation(settings))
                .table("caravan_schema_history").target("32").load().migrate();
        Jdbc before = new Jdbc(old);
        String insert = "insert into result (job_id, run_id, item_key, payload, content_hash, fetched_at) values (?, ?, ?, ?, ?, ?)";
        before.update(insert, "job", "run-1", "a", "1", "hash-a1", AT);
        before.update(insert, "job", "run-2", "a", "2", "hash-a2", AT);
        before.update(insert, "job", "run-1", "b", "1", "hash-b1", AT);
        before.update(insert, "other", "run-3", "a", "1", "hash-other", AT);

        try (Database db = Database.open(settings)) {
            Jdbc after = new Jdbc(db.dataSource());
            assertThat(after.query("select job_id || '/' || item_key || '=' || content_hash from result_latest order by 1",
                    rs -> rs.getString(1))).containsExactly("job/a=hash-a2", "job/b=hash-b1", "other/a=hash-other");
            JdbcResultStore store = new JdbcResultStore(db.dataSource(), 0);
            assertThat(store.store(new ResultStore.NewResult("job", "run-4", "a", "3", AT), false)).isEqualTo(ResultStore.Outcome.CHANGED);
            assertThat(after.query("select content_hash from result_latest where job_id = 'job' and item_key = 'a'", rs -> rs.getString(1)))
                    .containsExactly(JdbcResultStore.sha256("3"));
        }
    }
}
