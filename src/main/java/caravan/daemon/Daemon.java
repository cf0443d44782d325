package caravan.daemon;

import caravan.cluster.Clustering;
import caravan.config.BackupSettings;
import caravan.config.CaravanProperties;
import caravan.config.ClusterSettings;
import caravan.config.EnvironmentPlaceholders;
import caravan.config.FanoutThreads;
import caravan.config.FilePlaceholders;
import caravan.config.NotifySettings;
import caravan.config.RunLogSettings;
import caravan.config.Secrets;
import caravan.config.Settings;
import caravan.config.UnknownSettings;
import caravan.config.UnsupportedCamelKeys;
import caravan.fetch.FetchDefaults;
import caravan.http.HttpDefaults;
import caravan.http.JobResilience;
import caravan.http.LastHttpUri;
import caravan.http.PoliteHttp;
import caravan.retention.Retention;
import caravan.retention.RetentionSchedule;
import caravan.jmx.DaemonFacts;
import caravan.jmx.JmxFace;
import caravan.jmx.Jobs;
import caravan.config.MetricsSettings;
import caravan.config.ReloadSettings;
import caravan.http.HttpListeners;
import caravan.metrics.CaravanMetrics;
import caravan.metrics.Health;
import caravan.metrics.MetricsServer;
import caravan.notify.RunNotifier;
import caravan.routes.RouteFileLoader;
import caravan.routes.RouteFolderWatcher;
import caravan.routes.RouteProblem;
import caravan.runs.ActiveRun;
import caravan.runs.ActiveRuns;
import caravan.runs.JobRun;
import caravan.runs.RunMdcUnitOfWork;
import caravan.runs.RunEnds;
import caravan.runs.RunLogAppender;
import caravan.runs.RunLogs;
import caravan.runs.RunRecorder;
import caravan.runs.RunRepository;
import caravan.runs.RunStatus;
import caravan.scheduling.Backfill;
import caravan.scheduling.DeadLetterRetries;
import caravan.scheduling.JobChains;
import caravan.scheduling.FireOnTime;
import caravan.scheduling.JobControl;
import caravan.scheduling.JobQuartzComponent;
import caravan.scheduling.JobRoutePolicies;
import caravan.scheduling.JobRoutes;
import caravan.scheduling.JobSchedule;
import caravan.scheduling.NoOverlapRule;
import caravan.scheduling.PauseStore;
import caravan.scheduling.QuartzSetup;
import caravan.scheduling.RecoveryFires;
import caravan.scheduling.ScheduleKeeping;
import caravan.store.BackupSchedule;
import caravan.store.CaravanComponent;
import caravan.store.Database;
import caravan.store.DatabaseBackup;
import caravan.store.DeadLetterStore;
import caravan.store.GroupCommitResultStore;
import caravan.store.GroupCommitStatements;
import caravan.store.JdbcResultStore;
import caravan.store.StoredItems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.quartz.Scheduler;
import org.quartz.impl.matchers.EverythingMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The long-running process: database, Camel Main, Quartz, route files. Start and stop read one step per line. */
public final class Daemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final Settings settings;
    private final Properties properties;
    private final Clock clock = Clock.systemUTC();
    private final ActiveRuns activeRuns = new ActiveRuns();
    /** Every value resolved from {@code {{env:...}}} or {@code {{file:...}}}: masked wherever Caravan writes. */
    private final Secrets secrets;
    private Database database;
    private GroupCommitResultStore results;
    private DeadLetterStore deadLetters;
    private StoredItems storedItems;
    private RunLogs runLogs;
    private RunLogAppender runLogAppender;
    private RunRecorder recorder;
    private JobChains chains;
    private RunRepository runs;
    private GroupCommitStatements runWrites;
    private RunEnds runEnds;
    private RunNotifier notifier;
    /** Runs a previous process on this node left running, marked interrupted at start. */
    private List<JobRun> crashedRuns = List.of();
    private Main main;
    private RouteFileLoader routeFiles;
    private JobControl jobControl;
    private ScheduleKeeping scheduleKeeping;
    private RetentionSchedule retention;
    private DatabaseBackup backups;
    private Instant startedAt;
    private BackupSchedule backupSchedule;
    private JmxFace jmx;
    private RouteFolderWatcher routeWatcher;
    private final CaravanMetrics metrics = new CaravanMetrics(activeRuns);
    private MetricsServer metricsServer;
    private Clustering clustering;
    private Scheduler scheduler;
    private volatile boolean stopped;

    private Daemon(DaemonOptions options, Settings settings, Properties properties, Secrets secrets) {
        this.secrets = secrets;
        this.options = options;
        this.settings = settings;
        this.properties = properties;
    }

    /** Starts the daemon and returns once every route file was loaded (or reported) and the scheduler runs. */
    public static Daemon start(DaemonOptions options) throws Exception {
        Secrets secrets = new Secrets();
        CaravanProperties props = CaravanProperties.load(options.config(), options.systemProperties(), options.environment(),
                secrets);
        Settings settings = Settings.from(props, options.data());
        UnknownSettings.warnings(props.writtenKeys()).forEach(LOG::warn);
        // Before the database opens or the node joins a cluster: a refused key changes nothing.
        UnsupportedCamelKeys.check(props.asProperties(), options.systemProperties(), options.environment());
        Daemon daemon = new Daemon(options, settings, props.asProperties(), secrets);
        try {
            daemon.doStart();
        } catch (Exception | Error e) {
            daemon.close();
            throw e;
        }
        return daemon;
    }

    private void doStart() throws Exception {
        long t0 = System.nanoTime();
        startedAt = clock.instant();
        LOG.info("{} starting: routes={} config={} data={} {} {}", BuildVersion.describe(), options.routes().toAbsolutePath().normalize(),
                options.config(), options.data().toAbsolutePath().normalize(), settings.summary(),
                FanoutThreads.from(CaravanProperties.of(properties)).describe(Runtime.version().feature()));
        Files.createDirectories(options.data());
        openDatabase();
        interruptRunsLeftByACrash();
        joinCluster();
        startCamel();
        loadRouteFiles();
        chains.schedulePending(settings.nodeId(), startedAt);
        startRetention();
        startBackups();
        logJobs();
        watchRouteFiles();
        startJmx();
        serveMetrics();
        LOG.info("Caravan started in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    private void openDatabase() {
        database = Database.open(settings.db());
        runWrites = new GroupCommitStatements(database.dataSource(), "caravan-run-writer");
        runs = new RunRepository(database.dataSource(), runWrites);
        runEnds = new RunEnds(runs);
        backups = new DatabaseBackup(database.dataSource(), settings.db(), settings.backup().dir(), clock);
    }

    private void interruptRunsLeftByACrash() {
        crashedRuns = runs.interruptRunning(settings.nodeId(), "the process stopped during the run (found at start)",
                clock.instant());
        if (!crashedRuns.isEmpty()) {
            LOG.warn("{} run(s) left running by a previous process on node {} marked interrupted", crashedRuns.size(),
                    settings.nodeId());
        }
    }

    private void joinCluster() throws InterruptedException {
        ClusterSettings cluster = ClusterSettings.from(CaravanProperties.of(properties), settings.db(), settings.nodeId());
        LOG.info("Node {}: {}", settings.nodeId(), cluster.summary());
        clustering = Clustering.prepare(cluster, database.dataSource(), clock);
    }

    private void startCamel() throws Exception {
        JobQuartzComponent quartz = QuartzSetup.component(settings.scheduler(), settings.schedule(), database.dataSource(),
                settings.db().isPostgres(), clustering.settings(), clustering.node());
        deadLetters = new DeadLetterStore(database.dataSource());
        storedItems = new StoredItems(database.dataSource());
        RunLogSettings runLog = RunLogSettings.from(CaravanProperties.of(properties));
        runLogs = new RunLogs(database.dataSource(), secrets, runLog.lines());
        if (runLog.lines() > 0) {
            runLogAppender = RunLogAppender.attach(activeRuns);
        }
        recorder = new RunRecorder(runs, activeRuns, settings.nodeId(), clock, quartz::runTimeout, deadLetters,
                secrets, runLogs);
        metrics.deadLetterKinds(storedItems::countByKind);
        metrics.lastSuccesses(runs.lastSucceeded());
        recorder.addListener(metrics);
        recorder.addListener(runEnds);
        NotifySettings notify = NotifySettings.from(CaravanProperties.of(properties));
        if (notify.enabled()) {
            notifier = new RunNotifier(notify, secrets, metrics::notification, runs::previousStatus);
            recorder.addListener(notifier);
            LOG.info("Runs that end {} are told to {}", notify.on().stream().map(RunStatus::dbName).toList(), notifier.host());
            crashedRuns.forEach(notifier::runEnded); // found at start: what a crash cut is news too
        }
        main = new Main();
        // Our own shutdown hook stops the daemon, so that runs are marked before the database closes.
        if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy camelHook) {
            camelHook.disableHangupSupport();
        }
        main.setInitialProperties(camelProperties());
        main.setDefaultPropertyPlaceholderLocation("false");
        main.bind("caravanSecrets", secrets);
        main.bind("caravanThreadPools", new NamedOnceThreadPoolFactory());
        // In cluster mode another node may write a job's results, so no node can cache their latest hashes.
        int hashCache = clustering.settings().enabled() ? 0 : settings.db().hashCacheSize();
        results = new GroupCommitResultStore(new JdbcResultStore(database.dataSource(), hashCache));
        main.bind("caravan", new CaravanComponent(results, activeRuns, deadLetters));
        // Jobs may use Caravan's database with the sql component: sql:...?dataSource=#caravanDataSource
        main.bind("caravanDataSource", database.dataSource());
        main.bind("caravanFetchDefaults", new FetchDefaults(settings.scheduler().fanoutConcurrency(), settings.retry()));
        // Bound before Camel Main configures components, so that camel.component.http.* keys apply on top of these
        // defaults (adding them afterwards failed the start when such a key had made Camel create its own).
        for (String scheme : List.of("http", "https")) {
            main.bind(scheme, HttpDefaults.configure(new HttpComponent(), settings.http(),
                    HttpListeners.of(new LastHttpUri(), metrics.http())));
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext camel = m.getCamelContext();
                // Added (not only bound) so that it starts with the context and the scheduler exists before routes.
                camel.addComponent("quartz", quartz);
                // The bound HTTP components join the context now, with any camel.component.http.* keys applied:
                // caravan:fetch reads the metrics listener off "http" even when no route names an http endpoint.
                camel.getComponent("http");
                camel.getComponent("https");
                camel.getManagementStrategy().addEventNotifier(metrics.retries());
                camel.addRoutePolicyFactory(new JobRoutePolicies(recorder));
                camel.getPropertiesComponent().addPropertiesFunction(new EnvironmentPlaceholders(options.environment(), secrets));
                camel.getPropertiesComponent().addPropertiesFunction(new FilePlaceholders(secrets));
                PoliteHttp polite = JobResilience.install(camel, settings, clock);
                metrics.limiter(polite.limiter());
                results.holdRequestsWhileFull(polite.limiter());
                camel.getRegistry().bind("caravanHttp", polite);
                camel.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, new RunMdcUnitOfWork.Factory());
            }
        });
        main.init();
        main.start();
        CamelContext camel = main.getCamelContext();
        scheduler = quartz.getScheduler();
        JobRoutes jobRoutes = new JobRoutes(camel);
        scheduler.getListenerManager().addTriggerListener(new RecoveryFires(), EverythingMatcher.allTriggers());
        clustering.attach(key -> jobRoutes.jobIdOf(key).isPresent(), runs, cut -> {
            runEnds.runEnded(cut);
            if (notifier != null) {
                notifier.runEnded(cut);
            }
        });
        clustering.repairStuckTriggers(scheduler);
        PauseStore pauses = new PauseStore(database.dataSource());
        jobControl = new JobControl(jobRoutes, scheduler, pauses, runs, activeRuns, deadLetters, clock);
        DeadLetterRetries laterRetries = new DeadLetterRetries(jobRoutes, quartz, scheduler, runs, deadLetters, pauses,
                settings.nodeId(), clock);
        recorder.addListener(laterRetries);
        scheduler.getListenerManager().addTriggerListener(laterRetries, EverythingMatcher.allTriggers());
        chains = new JobChains(jobRoutes, quartz, scheduler, runs, pauses, clock);
        recorder.addListener(chains);
        recorder.chainsAfter(chains::followed);
        clustering.afterNodeFailure(chains::takeOverPending);
        scheduler.getListenerManager().addTriggerListener(chains, EverythingMatcher.allTriggers());
        // Trigger listeners run in this order: the fire's watermark may be claimed ahead of time, then the fire waits
        // for its time, and only then does the no-overlap rule look at the previous run.
        scheduleKeeping = ScheduleKeeping.install(new ScheduleKeeping.Parts(camel, quartz, jobRoutes, activeRuns,
                database.dataSource(), jobControl), clock);
        scheduler.getListenerManager().addTriggerListener(new FireOnTime(clock, settings.scheduler().fireAhead()),
                EverythingMatcher.allTriggers());
        NoOverlapRule noOverlap = new NoOverlapRule(jobRoutes, activeRuns, runs, settings.nodeId(), clock, secrets);
        noOverlap.addListener(metrics);
        noOverlap.addListener(runEnds);
        if (notifier != null) {
            noOverlap.addListener(notifier);
        }
        noOverlap.checkOtherNodes(clustering.runningElsewhere());
        noOverlap.retryWhenFree(laterRetries::whenBusy);
        noOverlap.chainWhenFree(chains::whenBusy);
        scheduler.getListenerManager().addTriggerListener(noOverlap, EverythingMatcher.allTriggers());
        scheduler.getListenerManager().addJobListener(noOverlap, EverythingMatcher.allJobs());
        scheduleKeeping.catchUp().onMissed(metrics::missedFires);
        routeFiles = new RouteFileLoader(camel);
    }

    /** Camel Main's own keys and every user property, for {{placeholders}} in route files. */
    private Properties camelProperties() {
        Properties p = new Properties();
        p.setProperty("camel.main.name", "caravan");
        p.setProperty("camel.main.shutdownTimeout", Long.toString(Math.max(1, settings.scheduler().shutdownTimeout().toSeconds())));
        p.setProperty("camel.main.shutdownSuppressLoggingOnTimeout", "true");
        p.setProperty("camel.main.routesCollectorEnabled", "false");
        // Route-level JMX MBeans and statistics only: per-processor timing costs every item of a fan-out its share,
        // and per-processor MBeans cost memory and start-up time with many jobs. A property file may ask for more.
        p.setProperty("camel.main.jmxManagementStatisticsLevel", "RoutesOnly");
        p.setProperty("camel.main.jmxManagementMBeansLevel", "RoutesOnly");
        p.putAll(FanoutThreads.from(CaravanProperties.of(properties)).camelProperties(Runtime.version().feature()));
        p.putAll(properties);
        return p;
    }

    private void loadRouteFiles() {
        List<RouteProblem> problems = routeFiles.loadAll(options.routes());
        problems.forEach(p -> LOG.error("{}", p));
        if (!problems.isEmpty()) {
            LOG.warn("{} route file(s) failed to load; the other jobs run. Fix them and they are picked up on reload", problems.size());
        }
        jobControl.applyStoredPauses();
        jobControl.removeStoredJobsWithoutRoute();
    }

    private void startRetention() {
        retention = RetentionSchedule.start(new Retention(database.dataSource(), settings.retention(), clock),
                settings.retention().interval());
    }

    private void startBackups() {
        BackupSettings b = settings.backup();
        if (b.scheduled()) {
            backupSchedule = BackupSchedule.start(backups, b.schedule(), settings.schedule().timeZone(), b.keep(), clock);
        }
    }

    private void watchRouteFiles() {
        ReloadSettings reload = ReloadSettings.from(CaravanProperties.of(properties));
        if (reload.enabled()) {
            routeWatcher = new RouteFolderWatcher(options.routes(), routeFiles, loaded -> {
                jobControl.applyStoredPauses();
                List<JobSchedule> all = jobControl.schedules();
                logSchedules(all.stream().filter(j -> loaded.contains(j.jobId())).toList(), all);
            }).start(reload.interval());
        }
    }

    private void startJmx() throws Exception {
        jmx = JmxFace.start(settings.jmx(), new Jobs(jobControl, runs, activeRuns, routeFiles, scheduleKeeping.backfill(), runEnds,
                storedItems, runLogs, backups, new DaemonFacts(BuildVersion.caravan(), Runtime.version().toString(), settings.nodeId(), startedAt,
                        settings.db().safeUrl(), clustering.settings().enabled()), clock));
    }

    private void serveMetrics() throws java.io.IOException {
        MetricsSettings m = MetricsSettings.from(CaravanProperties.of(properties));
        if (m.enabled()) {
            metricsServer = MetricsServer.start(m, metrics, new Health(database.dataSource(), main.getCamelContext()));
        }
    }

    private void logJobs() {
        List<JobSchedule> jobs = jobControl.schedules();
        if (jobs.isEmpty()) {
            LOG.warn("No jobs loaded from {}: add a route file whose from: is a quartz: endpoint", options.routes());
        }
        logSchedules(jobs, jobs);
    }

    /**
     * One line per job: what a start logs for every job, and a reload for the jobs of the files it loaded. A job
     * chained after one that is not loaded gets a warning: a typo in {@code after} would otherwise never run it.
     */
    private static void logSchedules(List<JobSchedule> jobs, List<JobSchedule> loaded) {
        java.util.Set<String> known = loaded.stream().map(JobSchedule::jobId).collect(java.util.stream.Collectors.toSet());
        for (JobSchedule j : jobs) {
            List<String> after = j.options() == null ? List.of() : j.options().after();
            if (!after.isEmpty() && JobQuartzComponent.NEVER.equals(j.cron())) {
                LOG.info("Job {}: runs after {}{}", j.jobId(), String.join(", ", after), j.paused() ? " (paused)" : "");
            } else {
                LOG.info("Job {}: cron '{}' ({}), next fire {}{}{}", j.jobId(), j.cron(), j.timeZone(),
                        j.nextFire() == null ? "none" : j.nextFire().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                        after.isEmpty() ? "" : ", and after " + String.join(", ", after), j.paused() ? " (paused)" : "");
            }
            List<String> missing = after.stream().filter(id -> !known.contains(id)).toList();
            if (!missing.isEmpty()) {
                LOG.warn("Job {} runs after {}, which no route file defines (yet): it runs after them once they are"
                        + " loaded; check the spelling of its after option", j.jobId(), String.join(", ", missing));
            }
        }
    }

    public Settings settings() {
        return settings;
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public JobControl jobs() {
        return jobControl;
    }

    /** Backfill runs of a job (JMX and the CLI call this). */
    public Backfill backfill() {
        return scheduleKeeping.backfill();
    }

    public RunRepository runs() {
        return runs;
    }

    public RouteFileLoader routeFiles() {
        return routeFiles;
    }

    /** The metrics port actually bound (useful when configured as a fixed port), or 0 when metrics are off. */
    public int metricsPort() {
        return metricsServer == null ? 0 : metricsServer.port();
    }

    public javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    /** Graceful stop: in-flight runs may finish within the shutdown timeout; the rest are marked interrupted. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        LOG.info("Caravan stopping: waiting up to {} s for {} run(s) in progress",
                settings.scheduler().shutdownTimeout().toSeconds(), activeRuns.all().size());
        closeQuietly(metricsServer);
        closeQuietly(routeWatcher);
        closeQuietly(jmx);
        stopRetention();
        leaveCluster();
        stopCamel();
        closeQuietly(results);
        closeQuietly(notifier);
        interruptUnfinishedRuns();
        if (runLogAppender != null) {
            runLogAppender.detach();
        }
        closeQuietly(runWrites);
        interruptRunsStillRecorded();
        closeQuietly(clustering);
        closeDatabase();
        LOG.info("Caravan stopped");
    }

    private void leaveCluster() {
        if (clustering != null) {
            clustering.leave(scheduler);
        }
    }

    private void stopRetention() {
        if (retention != null) {
            retention.close();
        }
        closeQuietly(backupSchedule);
    }

    private void stopCamel() {
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                LOG.warn("Error while stopping Camel: {}", e.getMessage());
            }
        }
    }

    private void interruptUnfinishedRuns() {
        if (runs == null) {
            return;
        }
        for (ActiveRun run : activeRuns.all()) {
            if (runs.interrupt(run.run().runId(), RunRecorder.INTERRUPTED_BY_STOP, clock.instant())) {
                LOG.warn("Run {} of job {} marked interrupted: it did not finish within the shutdown timeout",
                        run.run().runId(), run.run().jobId());
            }
            // what it was doing when the stop cut it, unless its own end took it off first and keeps the log itself
            if (activeRuns.end(run.run().runId()) != null && recorder != null) {
                recorder.keepLog(run);
            }
        }
    }

    /**
     * A run that ended just as the stop forced Camel down may not have recorded its end yet (it left the active runs
     * first): whatever is still {@code running} for this node when the database closes is interrupted, so that no
     * stop leaves a run {@code running}. Its late end, if it comes, is refused as a move from interrupted.
     */
    private void interruptRunsStillRecorded() {
        if (runs == null) {
            return;
        }
        try {
            int n = runs.interruptRunning(settings.nodeId(), RunRecorder.INTERRUPTED_BY_STOP, clock.instant()).size();
            if (n > 0) {
                LOG.warn("{} run(s) still recorded as running at the stop marked interrupted", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not mark runs still recorded as running interrupted: {}", e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Error while closing {}: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    private void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Runs until SIGTERM (or Ctrl-C), then stops gracefully. */
    public void awaitShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop();
            done.countDown();
        }, "caravan-shutdown"));
        done.await();
    }

    static Path normalize(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
