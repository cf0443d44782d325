package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.CaravanProperties;
import caravan.config.DbSettings;
import caravan.runs.RunRecorder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which dead letters a retry redoes: every one by hand, those worth it when on its own (a real H2 file). */
class DeadLetterKeysTest {

    @TempDir
    Path data;

    private Database db;
    private DeadLetterStore store;

    @BeforeEach
    void open() {
        db = Database.open(DbSettings.from(CaravanProperties.of(new Properties()), data));
        store = new DeadLetterStore(db.dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void dead(String key, Integer status, String error) {
        store.record(new DeadLetterStore.DeadLetter("job", "run-1", key, "http://example.org/" + key, 1, status, error,
                null, Instant.now()));
    }

    @Test
    void an_automatic_retry_leaves_out_answers_and_refusals_that_will_not_change() {
        dead("timeout", null, "SocketTimeoutException: Read timed out");
        dead("busy", 503, "HttpOperationFailedException: HTTP operation failed ... with statusCode: 503");
        dead("slow-down", 429, "HttpOperationFailedException: ... statusCode: 429");
        dead("late", 408, "HttpOperationFailedException: ... statusCode: 408");
        dead("cut-off", null, "PermanentFailure: the run passed its timeout of 50m: this request was not sent");
        dead("gone", 404, "HttpOperationFailedException: ... statusCode: 404");
        dead("forbidden", 403, "HttpOperationFailedException: ... statusCode: 403");
        dead("robots", null, "PermanentFailure: robots.txt of example.org disallows /robots for this user agent: the item is not fetched");
        dead("bad-url", null, "PermanentFailure: Invalid url for item bad-url: it needs a scheme and a host");
        dead("vanished", null, RunRecorder.NOT_RETRIED);

        assertThat(store.deadLetterKeys("run-1", false)).hasSize(10);
        assertThat(store.deadLetterKeys("run-1", true))
                .containsExactlyInAnyOrder("timeout", "busy", "slow-down", "late", "cut-off");
    }
}
