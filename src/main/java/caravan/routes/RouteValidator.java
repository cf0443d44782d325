package caravan.routes;

import caravan.config.CaravanProperties;
import caravan.config.Durations;
import caravan.config.FilePlaceholders;
import caravan.config.ScheduleSettings;
import caravan.config.SchedulerSettings;
import caravan.config.Secrets;
import caravan.runs.RunStatus;
import caravan.scheduling.CronFires;
import caravan.scheduling.JobQuartzComponent;
import caravan.scheduling.QuartzSetup;
import caravan.store.CaravanComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;

/**
 * Offline checks of route files, the same the daemon makes at load: each file in a scratch Camel context that
 * creates its routes (so unknown components and EIPs show) but starts none of them.
 */
public final class RouteValidator {

    /** Problems found, and one line per valid job with its next three fire times. */
    public record Report(int files, List<RouteProblem> problems, List<String> jobs) {
    }

    private RouteValidator() {
    }

    public static Report validate(List<Path> paths, Path config) throws Exception {
        CaravanProperties props = CaravanProperties.load(config, Map.of(), System.getenv());
        List<Path> files = new ArrayList<>();
        List<RouteProblem> problems = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                files.addAll(RouteFileLoader.routeFiles(p));
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                problems.add(new RouteProblem(p, 0, "no such file or folder"));
            }
        }
        List<String> jobs = new ArrayList<>();
        for (Path file : files) {
            RouteProblem problem = validateFile(file, props, jobs);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return new Report(files.size(), problems, jobs);
    }

    private static RouteProblem validateFile(Path file, CaravanProperties props, List<String> jobs) throws Exception {
        ScheduleSettings schedule = ScheduleSettings.from(props);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.getPropertiesComponent().setInitialProperties(props.asProperties());
            camel.getPropertiesComponent().addPropertiesFunction(new FilePlaceholders(new Secrets()));
            camel.addComponent("caravan", new CaravanComponent(null, null, null));
            camel.addComponent("quartz", QuartzSetup.forValidation(SchedulerSettings.from(props), schedule));
            camel.setAutoStartup(false);
            camel.start();
            RouteFileLoader loader = new RouteFileLoader(camel);
            RouteProblem problem = loader.load(file);
            if (problem == null) {
                describeJobs(camel, schedule, jobs);
            }
            return problem;
        }
    }

    /** Each job's cron in its zone, its run timeout and automatic retries if it has them, and its next three fires. */
    private static void describeJobs(CamelContext camel, ScheduleSettings defaults, List<String> out) {
        for (RouteDefinition def : ((ModelCamelContext) camel).getRouteDefinitions()) {
            String uri = camel.resolvePropertyPlaceholders(def.getInput().getEndpointUri());
            if (!uri.startsWith("quartz:")) {
                continue;
            }
            String cron = CronParameter.of(uri);
            String zone = CronParameter.option(uri, "trigger.timeZone");
            ZoneId z = zone == null ? defaults.timeZone() : ZoneId.of(zone);
            // the options as the quartz component read them off the job's endpoint, defaults included
            Route route = camel.getRoute(def.getRouteId());
            JobQuartzComponent.JobOptions options = camel.getComponent("quartz", JobQuartzComponent.class)
                    .options(route != null && route.getEndpoint() instanceof QuartzEndpoint q ? q.getTriggerKey() : null);
            Duration runTimeout = options.runTimeout();
            Duration retryAfter = options.retryDeadLetters();
            String after = options.after().isEmpty() ? "" : "after " + String.join(", ", options.after()) + " ("
                    + String.join(", ", options.afterStatus().stream().sorted().map(RunStatus::dbName).toList()) + ")";
            String more = (runTimeout.isZero() ? "" : ", run timeout " + Durations.format(runTimeout))
                    + (retryAfter.isZero() ? "" : ", dead letters retried after " + Durations.format(retryAfter) + " (at most "
                            + options.retryDeadLettersMax() + " times in a row)");
            if (!after.isEmpty() && (cron == null || JobQuartzComponent.NEVER.equals(cron))) {
                out.add(def.getRouteId() + ": runs " + after + more);
                continue;
            }
            out.add(def.getRouteId() + ": " + (cron == null ? "(no cron)" : "cron '" + cron + "' in " + z.getId()
                    + (after.isEmpty() ? "" : ", and " + after) + more
                    + ", next: " + String.join(", ", nextFires(cron, z, 3))));
        }
    }

    static List<String> nextFires(String cron, ZoneId zone, int count) {
        try {
            return CronFires.of(cron, zone).upcoming(Instant.now(), count).stream().map(Object::toString).toList();
        } catch (IllegalArgumentException e) {
            return List.of("invalid cron");
        }
    }
}
