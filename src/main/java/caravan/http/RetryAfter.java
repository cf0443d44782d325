package caravan.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.http.base.HttpOperationFailedException;

/** A server's {@code Retry-After}: delay-seconds or an HTTP date (RFC 9110 10.2.3). */
public final class RetryAfter {

    private final Clock clock;

    public RetryAfter(Clock clock) {
        this.clock = clock;
    }

    /** How long the server asks to wait, if it asks: only 429 and 503 answers are read. */
    public Optional<Duration> of(Throwable failure) {
        HttpOperationFailedException http = FailureKind.cause(failure, HttpOperationFailedException.class);
        if (http == null || http.getStatusCode() != 429 && http.getStatusCode() != 503) {
            return Optional.empty();
        }
        return header(http.getResponseHeaders()).flatMap(this::parse);
    }

    static Optional<String> header(Map<String, String> headers) {
        if (headers == null) {
            return Optional.empty();
        }
        return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase("Retry-After"))
                .map(Map.Entry::getValue).findFirst();
    }

    /** Seconds ({@code 120}) or an HTTP date ({@code Wed, 21 Oct 2015 07:28:00 GMT}); a date in the past means now. */
    public Optional<Duration> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
