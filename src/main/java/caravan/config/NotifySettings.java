package caravan.config;

import caravan.runs.RunStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the end of a run is told: {@code caravan.notify.url} receives a JSON POST for every run that ends with a
 * status in {@code caravan.notify.on}; no URL, no notifications. {@code onChange} ({@code caravan.notify.repeat=
 * on-change}): only a run whose status differs from its job's run before, and a job's recovery.
 */
public record NotifySettings(URI url, Set<RunStatus> on, String authorization, Duration timeout, boolean onChange) {

    static final String EVERY = "every";
    static final String ON_CHANGE = "on-change";

    static final String DEFAULT_ON = "failed,partial,interrupted";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The statuses a run can end with. Interrupted: a run a crash cut, found when the node starts again, or a run of
     * a failed node found by another; a run cut by a stop of this node is not told (the stop is the operator's).
     */
    static final Set<RunStatus> CHOICES = EnumSet.of(RunStatus.SUCCEEDED, RunStatus.PARTIAL, RunStatus.FAILED,
            RunStatus.INTERRUPTED, RunStatus.SKIPPED);

    public static NotifySettings from(CaravanProperties p) {
        String url = p.get("caravan.notify.url", null);
        return new NotifySettings(url == null ? null : uri(url), statuses(p.get("caravan.notify.on", DEFAULT_ON)),
                p.get("caravan.notify.authorization", null), p.getDuration("caravan.notify.timeout", DEFAULT_TIMEOUT),
                onChange(p.get("caravan.notify.repeat", EVERY)));
    }

    private static boolean onChange(String repeat) {
        String value = repeat.strip().toLowerCase(Locale.ROOT);
        if (!value.equals(EVERY) && !value.equals(ON_CHANGE)) {
            throw new IllegalArgumentException("caravan.notify.repeat: '" + repeat.strip() + "' is not " + EVERY
                    + " (each run with a status in caravan.notify.on) or " + ON_CHANGE
                    + " (only a change of a job's status, and its recovery)");
        }
        return value.equals(ON_CHANGE);
    }

    public boolean enabled() {
        return url != null;
    }

    private static URI uri(String url) {
        try {
            URI uri = URI.create(url);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // said below
        }
        throw new IllegalArgumentException("caravan.notify.url: '" + url + "' is not an http:// or https:// URL");
    }

    private static Set<RunStatus> statuses(String list) {
        Set<RunStatus> on = EnumSet.noneOf(RunStatus.class);
        for (String name : list.split(",")) {
            String status = name.strip().toLowerCase(Locale.ROOT);
            RunStatus found = CHOICES.stream().filter(s -> s.dbName().equals(status)).findFirst().orElse(null);
            if (found == null) {
                List<String> choices = new ArrayList<>();
                CHOICES.forEach(s -> choices.add(s.dbName()));
                throw new IllegalArgumentException("caravan.notify.on: '" + name.strip() + "' is not a status a run ends"
                        + " with: use a comma-separated list of " + String.join(", ", choices));
            }
            on.add(found);
        }
        return on;
    }
}
