package caravan.retention;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.config.RetentionSettings;
import caravan.runs.JobRun;
import caravan.runs.RunCounts;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import caravan.store.Database;
import caravan.store.DeadLetterKind;
import caravan.store.DeadLetterStore;
import caravan.store.Jdbc;
import caravan.store.JdbcResultStore;
import caravan.store.ResultStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention on a real H2 file, with a fixed clock. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    @TempDir
    Path data;

    private Database db;
    private RunRepository runs;
    private JdbcResultStore results;
    private DeadLetterStore deadLetters;
    private Jdbc jdbc;

    @BeforeEach
    void open() {
        db = Database.open(DbSettings.from(CaravanProperties.of(new Properties()), data));
        runs = new RunRepository(db.dataSource());
        results = new JdbcResultStore(db.dataSource());
        deadLetters = new DeadLetterStore(db.dataSource());
        jdbc = new Jdbc(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Retention retention(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return new Retention(db.dataSource(), RetentionSettings.from(CaravanProperties.of(p)), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void run(String runId, String jobId, Instant at, RunStatus status, String... items) {
        runs.insert(JobRun.started(runId, jobId, TriggerType.SCHEDULE, at, "node", at));
        for (String item : items) {
            results.store(new ResultStore.NewResult(jobId, runId, item, item + " at " + at, at), false);
        }
        if (status != RunStatus.RUNNING) {
            runs.finish(runId, status, new RunCounts(), null, at.plusSeconds(1));
        }
    }

    private long count(String sql, Object... params) {
        return jdbc.queryOne(sql, rs -> rs.getLong(1), params);
    }

    @Test
    void runs_results_and_dead_letters_older_than_the_max_age_go_and_the_newest_result_per_item_stays() {
        Instant old = NOW.minus(Duration.ofDays(10));
        run("r-old", "prices", old, RunStatus.SUCCEEDED, "a", "b");
        deadLetters.record(new DeadLetterStore.DeadLetter("prices", "r-old", "c", "http://x", 3, 503, DeadLetterKind.TRANSIENT, "boom", null, old));
        run("r-new", "prices", NOW.minus(Duration.ofDays(1)), RunStatus.SUCCEEDED, "a");
        run("r-running", "prices", NOW.minus(Duration.ofDays(30)), RunStatus.RUNNING);
        for (String runId : List.of("r-old", "r-new")) {
            jdbc.update("insert into run_log (run_id, job_id, logged_at, level, logger, message) values (?, 'prices', ?,"
                    + " 'WARN', 'x', 'a line')", runId, old);
        }

        Retention.Purged purged = retention("caravan.retention.max-age", "7d").purgeAll();

        assertThat(purged).isEqualTo(new Retention.Purged(1, 1, 1));
        assertThat(jdbc.query("select run_id from job_run order by run_id", rs -> rs.getString(1)))
                .containsExactly("r-new", "r-running");
        assertThat(jdbc.query("select item_key || ':' || run_id from result order by item_key", rs -> rs.getString(1)))
                .as("b's only result is its newest, so it stays for change detection")
                .containsExactly("a:r-new", "b:r-old");
        assertThat(count("select count(*) from dead_letter")).isZero();
        assertThat(jdbc.query("select run_id from run_log", rs -> rs.getString(1))).as("a run's log goes with it")
                .containsExactly("r-new");
    }

    @Test
    void runs_beyond_the_max_count_go_per_job_and_a_per_job_setting_overrides_the_default() {
        for (int i = 0; i < 6; i++) {
            run("p" + i, "prices", NOW.minusSeconds(600 - i * 60L), RunStatus.SUCCEEDED, "page");
            run("n" + i, "news", NOW.minusSeconds(600 - i * 60L), RunStatus.FAILED);
        }

        retention("caravan.retention.max-runs", "2", "caravan.retention.job.news.max-runs", "4").purgeAll();

        assertThat(jdbc.query("select run_id from job_run where job_id = 'prices' order by run_id", rs -> rs.getString(1)))
                .containsExactly("p4", "p5");
        assertThat(count("select count(*) from job_run where job_id = 'news'")).isEqualTo(4);
        assertThat(jdbc.query("select run_id from result order by id", rs -> rs.getString(1))).containsExactly("p4", "p5");
    }

    @Test
    void a_result_kept_as_its_items_newest_after_its_run_went_is_purged_once_a_newer_one_replaces_it() {
        Retention keepOne = retention("caravan.retention.max-runs", "1");
        run("r1", "prices", NOW.minusSeconds(300), RunStatus.SUCCEEDED, "a", "b");
        run("r2", "prices", NOW.minusSeconds(240), RunStatus.SUCCEEDED, "a");
        keepOne.purgeAll();
        assertThat(jdbc.query("select item_key || ':' || run_id from result order by item_key", rs -> rs.getString(1)))
                .as("b's newest result outlives its run").containsExactly("a:r2", "b:r1");

        run("r3", "prices", NOW.minusSeconds(180), RunStatus.SUCCEEDED, "b");
        Retention.Purged purged = keepOne.purgeAll();

        assertThat(purged).isEqualTo(new Retention.Purged(1, 1, 0));
        assertThat(jdbc.query("select item_key || ':' || run_id from result order by item_key", rs -> rs.getString(1)))
                .containsExactly("a:r2", "b:r3");
    }

    @Test
    void a_purge_with_nothing_old_removes_nothing() {
        run("r1", "prices", NOW.minus(Duration.ofDays(2)), RunStatus.SUCCEEDED, "a", "b");
        run("r2", "prices", NOW.minus(Duration.ofDays(1)), RunStatus.SUCCEEDED, "a", "b");

        assertThat(retention("caravan.retention.max-age", "7d").purgeAll().isEmpty()).isTrue();
        assertThat(count("select count(*) from result")).isEqualTo(4);
    }

    @Test
    void a_zero_limit_keeps_everything() {
        run("r-old", "prices", NOW.minus(Duration.ofDays(400)), RunStatus.SUCCEEDED, "a");
        assertThat(retention("caravan.retention.max-age", "0").purgeAll().isEmpty()).isTrue();
        assertThat(count("select count(*) from job_run")).isEqualTo(1);
    }

    @Test
    void unknown_per_job_keys_are_refused_with_the_keys_to_write() {
        Properties p = new Properties();
        p.setProperty("caravan.retention.job.prices.max-days", "3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RetentionSettings.from(CaravanProperties.of(p)))
                .hasMessage("caravan.retention.job.prices.max-days is not a retention key: write "
                        + "caravan.retention.job.JOB.max-age or caravan.retention.job.JOB.max-runs");
    }

}
