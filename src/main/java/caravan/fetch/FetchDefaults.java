package caravan.fetch;

import caravan.config.RetrySettings;

/**
 * What {@code caravan:fetch} does when a step does not say: the configured fan-out concurrency and the daemon's
 * retry policy (attempts, backoff, Retry-After), so that a fetch step behaves as a split of {@code toD} steps would.
 */
public record FetchDefaults(int concurrency, RetrySettings retry) {
}
