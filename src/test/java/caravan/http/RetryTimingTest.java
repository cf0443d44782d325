package caravan.http;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.config.RetrySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

/** Backoff, Retry-After and what counts as transient, without Camel running. */
class RetryTimingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);
    private final RetrySettings settings = new RetrySettings(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), true);

    @Test
    void backoff_grows_by_the_multiplier_with_jitter_and_stops_at_the_max_delay() {
        Backoff low = new Backoff(settings, () -> 0.0);
        Backoff high = new Backoff(settings, () -> 0.999);
        assertThat(low.before(1, Optional.empty())).isEqualTo(Duration.ofMillis(800));
        assertThat(high.before(1, Optional.empty())).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
        assertThat(low.before(3, Optional.empty())).isEqualTo(Duration.ofMillis(3200));
        assertThat(high.before(5, Optional.empty())).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void retry_after_replaces_the_backoff_and_is_capped_by_the_max_delay() {
        Backoff b = new Backoff(settings, () -> 0.5);
        assertThat(b.before(1, Optional.of(Duration.ofSeconds(2)))).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.before(1, Optional.of(Duration.ofMinutes(5)))).isEqualTo(Duration.ofSeconds(10));
        Backoff ignoring = new Backoff(new RetrySettings(4, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), false), () -> 0.5);
        assertThat(ignoring.before(1, Optional.of(Duration.ofSeconds(7)))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retry_after_reads_seconds_and_http_dates_on_429_and_503_only() {
        RetryAfter r = new RetryAfter(CLOCK);
        assertThat(r.of(failed(429, "Retry-After", "2"))).contains(Duration.ofSeconds(2));
        assertThat(r.of(failed(503, "retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"))).contains(Duration.ofSeconds(30));
        assertThat(r.of(failed(503, "Retry-After", "Wed, 21 Oct 2015 07:00:00 GMT"))).contains(Duration.ZERO);
        assertThat(r.of(failed(500, "Retry-After", "2"))).isEmpty();
        assertThat(r.of(failed(429, "Retry-After", "soon"))).isEmpty();
        assertThat(r.of(failed(429, "X-Other", "1"))).isEmpty();
    }

    @Test
    void connection_errors_timeouts_5xx_408_and_429_are_transient_other_4xx_and_bugs_are_not() {
        assertThat(FailureKind.of(new java.net.ConnectException("Connection refused"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new java.net.SocketTimeoutException("Read timed out"))).isEqualTo(FailureKind.TRANSIENT);
        assertThat(FailureKind.of(new RuntimeException(new java.io.IOException("reset")))).isEqualTo(FailureKind.TRANSIENT);
        for (int status : new int[] {500, 502, 503, 504, 408, 429}) {
            assertThat(FailureKind.of(failed(status, "X", "y"))).as("%d", status).isEqualTo(FailureKind.TRANSIENT);
        }
        for (int status : new int[] {400, 401, 403, 404, 410, 422, 301}) {
            assertThat(FailureKind.of(failed(status, "X", "y"))).as("%d", status).isEqualTo(FailureKind.PERMANENT);
        }
        assertThat(FailureKind.of(new IllegalArgumentException("bad selector"))).isEqualTo(FailureKind.PERMANENT);
        assertThat(FailureKind.of(new FailureKind.PermanentFailure("robots.txt"))).isEqualTo(FailureKind.PERMANENT);
    }

    static HttpOperationFailedException failed(int status, String header, String value) {
        return new HttpOperationFailedException("http://example.org/x", status, "status", null, Map.of(header, value), "");
    }
}
