package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.http.FailureKind;
import caravan.runs.JobRun;
import caravan.runs.RunRecorder;
import caravan.runs.RunStatus;
import caravan.runs.TriggerType;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which dead letters a retry redoes: every one by hand, those another try can help when on its own, told by the
 * kind each was recorded with (a real H2 file).
 */
class DeadLetterKeysTest {

    @TempDir
    Path data;

    private DbSettings settings;
    private Database db;
    private DeadLetterStore store;

    @BeforeEach
    void settings() {
        settings = DbSettings.from(CaravanProperties.of(new Properties()), data);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private void open() {
        db = Database.open(settings);
        store = new DeadLetterStore(db.dataSource());
    }

    private void dead(String key, Throwable failure) {
        store.record(new DeadLetterStore.DeadLetter("job", "run-1", key, "http://example.org/" + key, 1,
                FailureKind.httpStatus(failure), DeadLetterKind.of(failure), DeadLetterStore.describe(failure), null,
                Instant.now()));
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://example.org/", status, "status " + status, null, Map.of(), "");
    }

    @Test
    void each_failure_is_recorded_with_its_kind() {
        open();
        dead("timeout", new SocketTimeoutException("Read timed out"));
        dead("refused-connection", new CamelExecutionException("in a step", null, new ConnectException("Connection refused")));
        dead("busy", http(503));
        dead("gone", http(404));
        dead("robots", new FailureKind.PermanentFailure("robots.txt of example.org disallows /robots for this user agent"));
        dead("cut-off", new FailureKind.PermanentFailure("the run passed its timeout of 50m: this request was not sent"));
        dead("bad-json", new IllegalArgumentException("Unexpected character '<' at position 0"));
        dead("no-exception", null);

        assertThat(new Jdbc(db.dataSource()).query("select item_key || '=' || failure_kind from dead_letter order by id",
                rs -> rs.getString(1))).containsExactly("timeout=transient", "refused-connection=transient",
                "busy=transient", "gone=permanent", "robots=refused", "cut-off=cut_off", "bad-json=permanent",
                "no-exception=permanent");
    }

    @Test
    void an_automatic_retry_leaves_out_failures_that_will_not_change() {
        open();
        dead("timeout", new SocketTimeoutException("Read timed out"));
        dead("busy", http(503));
        dead("slow-down", http(429));
        dead("late", http(408));
        dead("cut-off", new FailureKind.PermanentFailure("the run was cancelled: this request was not sent"));
        dead("gone", http(404));
        dead("forbidden", http(403));
        dead("robots", new FailureKind.PermanentFailure("robots.txt of example.org disallows /robots for this user agent"));
        dead("bad-url", new FailureKind.PermanentFailure("Invalid url for item bad-url: it needs a scheme and a host"));
        dead("bad-selector", new IllegalStateException("no element matches h1.title"));

        assertThat(store.deadLetterKeys("run-1", false)).hasSize(10);
        assertThat(store.deadLetterKeys("run-1", true))
                .containsExactlyInAnyOrder("timeout", "busy", "slow-down", "late", "cut-off");
    }

    @Test
    void an_item_a_retry_did_not_meet_is_not_retried_again_on_its_own() {
        open();
        dead("vanished", http(503));
        store.notRetried(new JobRun("run-2", "job", TriggerType.RETRY, null, "node", Instant.now(), null,
                RunStatus.RUNNING, 0, 0, 0, null, "run-1"), "run-1", List.of("vanished"), RunRecorder.NOT_RETRIED);

        assertThat(new Jdbc(db.dataSource()).query("select failure_kind from dead_letter where run_id = 'run-2'",
                rs -> rs.getString(1))).containsExactly("not_retried");
        assertThat(store.deadLetterKeys("run-2", true)).isEmpty();
        assertThat(store.deadLetterKeys("run-2", false)).containsExactly("vanished");
    }

    @Test
    void upgrading_gives_earlier_dead_letters_the_kind_their_error_tells() {
        JdbcDataSource old = new JdbcDataSource();
        old.setURL(Database.jdbcUrl(settings.url()));
        old.setUser(settings.user());
        old.setPassword(settings.password());
        Flyway.configure().dataSource(old).locations("classpath:db/migration", Database.vendorLocation(settings))
                .table("caravan_schema_history").target("34").load().migrate();
        Jdbc before = new Jdbc(old);
        String insert = "insert into dead_letter (job_id, run_id, item_key, endpoint, attempts, http_status, error, failed_at)"
                + " values ('job', 'run-1', ?, 'http://example.org/', 1, ?, ?, ?)";
        before.update(insert, "busy", 503, "HttpOperationFailedException: ... statusCode: 503", Instant.now());
        before.update(insert, "gone", 404, "HttpOperationFailedException: ... statusCode: 404", Instant.now());
        before.update(insert, "robots", null, "PermanentFailure: robots.txt of example.org disallows /robots", Instant.now());
        before.update(insert, "cut-off", null, "PermanentFailure: the run passed its timeout of 5m: this request was not sent", Instant.now());
        before.update(insert, "vanished", null, RunRecorder.NOT_RETRIED, Instant.now());
        before.update(insert, "timeout", null, "SocketTimeoutException: Read timed out", Instant.now());

        open();
        assertThat(new Jdbc(db.dataSource()).query("select item_key || '=' || coalesce(failure_kind, '?') from dead_letter order by id",
                rs -> rs.getString(1))).containsExactly("busy=transient", "gone=permanent", "robots=refused",
                "cut-off=cut_off", "vanished=not_retried", "timeout=?");
        // a kind the text cannot tell is retried, as it was before
        assertThat(store.deadLetterKeys("run-1", true)).containsExactlyInAnyOrder("busy", "cut-off", "timeout");
    }
}
