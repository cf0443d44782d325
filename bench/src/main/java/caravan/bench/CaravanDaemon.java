package caravan.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** The real daemon in its own JVM, driven the way an operator drives it: route files, JMX trigger, history. */
final class CaravanDaemon implements AutoCloseable {

    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern RUN_ID = Pattern.compile("\"run_?[iI]d\"\\s*:\\s*\"([^\"]+)\"");

    private static final long RUN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(300);

    private final Process process;
    private final Path home;
    private final long startedToScheduledMs;
    private final JMXConnector jmx;
    private final MBeanServerConnection mbeans;
    private final ObjectName jobs = new ObjectName("caravan:type=Jobs");

    /**
     * Starts the daemon as users do, through {@code bin/caravan run} (the launcher's JVM defaults included) on the
     * given JDK, with {@code -Xmx<heap>}, the extra JVM options and {@code $CARAVAN_BENCH_DAEMON_OPTS}
     * (e.g. {@code -XX:StartFlightRecording=filename=/tmp/daemon.jfr} to profile the daemons).
     */
    CaravanDaemon(Path javaHome, Path jar, Path home, int jmxPort, String heap, List<String> extraProps) throws Exception {
        this.home = home;
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap));
        jvm.addAll(extraProps);
        String opts = System.getenv("CARAVAN_BENCH_DAEMON_OPTS");
        if (opts != null && !opts.isBlank()) {
            jvm.addAll(List.of(opts.trim().split("\\s+")));
        }
        jvm.add("-Dcaravan.jmx.port=" + jmxPort);
        Path launcher = jar.toAbsolutePath().getParent().getParent().resolve("bin/caravan");
        List<String> cmd = List.of("sh", launcher.toString(), "run",
                "--routes", home.resolve("routes").toString(), "--config", home.resolve("application.properties").toString(),
                "--data", home.resolve("data").toString());
        long t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("JAVA_OPTS", String.join(" ", jvm));
        process = builder.start();
        CompletableFuture<Long> scheduled = new CompletableFuture<>();
        Thread reader = new Thread(() -> pump(t0, scheduled), "daemon-log");
        reader.setDaemon(true);
        reader.start();
        startedToScheduledMs = scheduled.get(120, TimeUnit.SECONDS);
        jmx = connect(jmxPort);
        mbeans = jmx.getMBeanServerConnection();
    }

    private void pump(long t0, CompletableFuture<Long> scheduled) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var log = Files.newBufferedWriter(home.resolve("daemon.log"))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.newLine();
                if (!scheduled.isDone() && line.contains(" next fire ")) {
                    scheduled.complete((System.nanoTime() - t0) / 1_000_000);
                }
                log.flush(); // readable while the daemon runs
            }
        } catch (IOException e) {
            scheduled.completeExceptionally(e);
        }
        scheduled.completeExceptionally(new IllegalStateException("daemon exited; see " + home.resolve("daemon.log")));
    }

    private static JMXConnector connect(int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        Exception last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return JMXConnectorFactory.connect(url);
            } catch (Exception e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }

    long startedToScheduledMs() {
        return startedToScheduledMs;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Triggers the job and waits for its run to end (the MBean's awaitRun, as {@code caravan trigger --wait} does: no
     * polling load on the daemon while it is timed); returns wall ms and the run id.
     */
    Run triggerAndWait(String job) throws Exception {
        long t0 = System.nanoTime();
        String runId = (String) mbeans.invoke(jobs, "trigger", new Object[] {job}, new String[] {String.class.getName()});
        while (true) {
            String run = (String) mbeans.invoke(jobs, "awaitRun", new Object[] {runId, 10_000L},
                    new String[] {String.class.getName(), long.class.getName()});
            String status = run == null ? null : statusOf(run, runId);
            if (status != null && !status.equals("running")) {
                long t1 = System.nanoTime();
                return new Run(runId, status, (t1 - t0) / 1_000_000, t0, t1);
            }
            if (System.nanoTime() - t0 > RUN_TIMEOUT_NANOS) {
                throw new IllegalStateException("run " + runId + " of " + job + " did not end within "
                        + TimeUnit.NANOSECONDS.toSeconds(RUN_TIMEOUT_NANOS) + " s; see " + home.resolve("daemon.log"));
            }
            if (run == null) {
                Thread.sleep(5); // not started yet
            }
        }
    }

    /** Waits until the daemon has {@code n} jobs loaded; returns the ms it took from now. */
    long awaitJobs(int n) throws Exception {
        long t0 = System.nanoTime();
        while (true) {
            String json = (String) mbeans.getAttribute(jobs, "Jobs");
            int loaded = json.split("\"id\"\\s*:", -1).length - 1;
            if (loaded >= n) {
                return (System.nanoTime() - t0) / 1_000_000;
            }
            if (System.nanoTime() - t0 > RUN_TIMEOUT_NANOS) {
                throw new IllegalStateException(loaded + " of " + n + " jobs loaded; see " + home.resolve("daemon.log"));
            }
            Thread.sleep(50);
        }
    }

    /** {@code startNanos}, {@code endNanos}: {@code System.nanoTime()} at the trigger and when the run's end was seen. */
    record Run(String runId, String status, long wallMs, long startNanos, long endNanos) {
    }

    static String statusOf(String historyJson, String runId) {
        int at = historyJson.indexOf(runId);
        if (at < 0) {
            return null;
        }
        int start = historyJson.lastIndexOf('{', at);
        int end = historyJson.indexOf('}', at);
        Matcher m = STATUS.matcher(historyJson.substring(start, end));
        return m.find() ? m.group(1) : null;
    }

    /**
     * CPU time the daemon's process has used so far (user + system, all threads: GC and JIT too), in ms. Unlike wall
     * time it hardly moves with what else the machine runs, so it compares builds on a busy machine.
     */
    long cpuMs() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15 of stat)
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** Linux's USER_HZ, the unit of /proc/PID/stat times, is 100 on every mainstream kernel build. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    @Override
    public void close() throws Exception {
        try {
            jmx.close();
        } catch (Exception ignored) {
            // the daemon may already be gone
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** After close: how many results the run stored, and how many distinct items. */
    static long[] storedOnce(Path home, String runId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/caravan"), "sa", "");
                var ps = c.prepareStatement("select count(*), count(distinct item_key) from result where run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Lags in ms between scheduled and actual start of every scheduled run. */
    /** Scheduled-to-started lag of every scheduled run whose slot lies in [from, to). */
    static List<Long> scheduleLags(Path home, java.time.Instant from, java.time.Instant to) throws Exception {
        List<Long> lags = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/caravan"), "sa", "");
                var ps = c.prepareStatement("select scheduled_at, started_at from job_run where trigger_type = 'schedule'"
                        + " and scheduled_at >= ? and scheduled_at < ?")) {
            ps.setObject(1, from.atOffset(java.time.ZoneOffset.UTC));
            ps.setObject(2, to.atOffset(java.time.ZoneOffset.UTC));
            ResultSet rs = ps.executeQuery();
            while (rs.next()) {
                var scheduled = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                var started = rs.getObject(2, java.time.OffsetDateTime.class).toInstant();
                lags.add(java.time.Duration.between(scheduled, started).toMillis());
            }
        }
        return lags;
    }

    static long countRuns(Path home, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.resolve("data/caravan"), "sa", "");
                var ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
