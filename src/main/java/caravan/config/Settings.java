package caravan.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/** Every {@code caravan.*} setting, read once at start. */
public record Settings(DbSettings db, JmxSettings jmx, RetrySettings retry, HttpSettings http,
        SchedulerSettings scheduler, ScheduleSettings schedule, RetentionSettings retention, BackupSettings backup,
        String nodeId) {

    /** Keys whose environment variable names are ambiguous without this list ({@code -} vs {@code .}). */
    static final List<String> KNOWN_KEYS = List.of(
            "caravan.db.url", "caravan.db.user", "caravan.db.password", "caravan.db.pool-size",
            "caravan.jmx.host", "caravan.jmx.port", "caravan.jmx.password-file",
            "caravan.retry.max-attempts", "caravan.retry.initial-delay", "caravan.retry.multiplier",
            "caravan.retry.max-delay", "caravan.retry.respect-retry-after",
            "caravan.fanout.concurrency", "caravan.fanout.virtual-threads", "caravan.scheduler.threads", "caravan.scheduler.fire-ahead", "caravan.shutdown-timeout",
            "caravan.http.connect-timeout", "caravan.http.response-timeout", "caravan.http.max-connections",
            "caravan.http.max-per-host", "caravan.http.user-agent", "caravan.http.follow-redirects",
            "caravan.http.max-concurrent", "caravan.http.host-delay", "caravan.http.auto-throttle",
            "caravan.http.auto-throttle.target-concurrency", "caravan.http.auto-throttle.max-delay",
            "caravan.http.robots-txt",
            "caravan.cluster.enabled", "caravan.cluster.node-id", "caravan.cluster.checkin-interval",
            "caravan.cluster.failure-grace", "caravan.cluster.idle-wait", "caravan.cluster.late-fire",
            "caravan.scheduler.misfire-threshold", "caravan.scheduler.time-zone", "caravan.scheduler.catchup",
            "caravan.scheduler.catchup-max", "caravan.backfill.max-runs", ScheduleSettings.RUN_TIMEOUT_KEY,
            ScheduleSettings.RETRY_DEAD_LETTERS_KEY, ScheduleSettings.RETRY_DEAD_LETTERS_MAX_KEY,
            "caravan.retention.max-age", "caravan.retention.max-runs", "caravan.retention.interval",
            "caravan.routes.reload-interval", "caravan.metrics.host", "caravan.metrics.port",
            "caravan.notify.url", "caravan.notify.on", "caravan.notify.authorization", "caravan.notify.timeout",
            "caravan.notify.repeat", RunLogSettings.KEY,
            "caravan.store.hash-cache-size", HttpSettings.CLIENT_KEY,
            BackupSettings.DIR_KEY, BackupSettings.SCHEDULE_KEY, BackupSettings.KEEP_KEY);

    /** Keys named after a host or a job: {@code caravan.http.max-per-host.HOST}, {@code caravan.retention.job.JOB.*}. */
    static final List<String> KEY_FAMILIES = List.of(PolitenessSettings.MAX_PER_HOST_PREFIX, RetentionSettings.JOB_PREFIX);

    public static Settings from(CaravanProperties p, Path dataDir) {
        DbSettings db = DbSettings.from(p, dataDir);
        return new Settings(db, JmxSettings.from(p), RetrySettings.from(p),
                HttpSettings.from(p), SchedulerSettings.from(p), ScheduleSettings.from(p), RetentionSettings.from(p),
                BackupSettings.from(p, dataDir, db), p.get("caravan.cluster.node-id", hostName()));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** One line for the start-up log; never includes secrets. */
    public String summary() {
        return "db=" + db.safeUrl() + " node=" + nodeId + " jmx=" + (jmx.enabled() ? jmx.host() + ":" + jmx.port() : "off")
                + " retry=" + retry.maxAttempts() + "x(" + Durations.format(retry.initialDelay()) + "*" + retry.multiplier()
                + "<=" + Durations.format(retry.maxDelay()) + ") fanout=" + scheduler.fanoutConcurrency()
                + " http.max-per-host=" + http.maxPerHost() + " http.max-concurrent=" + http.politeness().maxConcurrent()
                + " http.host-delay=" + Durations.format(http.politeness().hostDelay())
                + " http.auto-throttle=" + http.politeness().autoThrottle() + " http.robots-txt=" + http.politeness().robotsTxt()
                + " http.max-connections=" + http.maxConnections() + " http.client=" + http.client()
                + " scheduler.threads=" + scheduler.threads() + (scheduler.virtualThreads() ? "(virtual)" : "")
                + " fire-ahead=" + scheduler.fireAhead().toMillis() + "ms time-zone=" + schedule.timeZone().getId()
                + " catchup=" + schedule.catchUp().configName() + "(max " + schedule.catchUpMax() + ")"
                + " misfire-threshold=" + Durations.format(schedule.misfireThreshold())
                + " retention=" + Durations.format(retention.defaults().maxAge()) + "/" + retention.defaults().maxRuns() + " runs";
    }
}
