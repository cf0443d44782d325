package caravan.routes;

import caravan.scheduling.CronSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.quartz.CronExpression;

/** Rules the YAML DSL does not enforce: jobs need an id, ids are unique, crons are valid. */
final class RouteChecks {

    private final CamelContext camel;
    private final Path file;
    private final Set<String> takenIds;

    RouteChecks(CamelContext camel, Path file, Set<String> takenIds) {
        this.camel = camel;
        this.file = file;
        this.takenIds = takenIds;
    }

    void check(List<RouteDefinition> definitions, List<RouteProblem> found) {
        Set<String> seen = new HashSet<>();
        for (RouteDefinition def : definitions) {
            int line = Math.max(0, def.getInput() != null && def.getInput().getLineNumber() > 0
                    ? def.getInput().getLineNumber() : def.getLineNumber());
            String uri = def.getInput() == null ? "" : def.getInput().getEndpointUri();
            boolean job = uri != null && uri.startsWith("quartz:");
            if (job && !def.hasCustomIdAssigned()) {
                found.add(new RouteProblem(file, Math.max(0, def.getLineNumber()), "the job from '"
                        + uri.replaceFirst("\\?.*", "") + "' has no id: add 'id: my-job' to the route (the id is the job's name)"));
                continue;
            }
            String id = def.getRouteId();
            if (id != null && (!seen.add(id) || takenIds.contains(id))) {
                found.add(new RouteProblem(file, line, "route id '" + id
                        + "' is already used" + (takenIds.contains(id) ? " by another route file" : " in this file")
                        + ": give each route its own id"));
            }
            if (job) {
                checkCron(uri, cronLine(def, line), found);
            }
            checkComponents(def, line, found);
        }
    }

    /** Unknown components fail only when the route is created: find them first, so the old version keeps running. */
    private void checkComponents(RouteDefinition def, int routeLine, List<RouteProblem> found) {
        List<String[]> uris = new ArrayList<>();
        collectUris(def.getInput() == null ? List.of() : List.of(def.getInput()), uris, routeLine);
        collectUris(def.getOutputs(), uris, routeLine);
        for (String[] u : uris) {
            String uri = u[0];
            String resolved;
            try {
                resolved = camel.resolvePropertyPlaceholders(uri);
            } catch (RuntimeException e) {
                found.add(new RouteProblem(file, Integer.parseInt(u[1]), ProblemLines.messageOf(e)));
                continue;
            }
            int colon = resolved.indexOf(':');
            if (colon <= 0 || resolved.startsWith("${") || resolved.substring(0, colon).contains("$")) {
                continue;
            }
            String scheme = resolved.substring(0, colon);
            if (camel.getComponent(scheme) == null) {
                found.add(new RouteProblem(file, Integer.parseInt(u[1]), "unknown component '" + scheme + "' in '"
                        + uri + "': check the spelling, or add the camel-" + scheme + " dependency"));
            }
        }
    }

    private static void collectUris(List<?> nodes, List<String[]> out, int fallbackLine) {
        for (Object node : nodes) {
            int line = fallbackLine;
            if (node instanceof org.apache.camel.LineNumberAware l && l.getLineNumber() > 0) {
                line = l.getLineNumber();
            }
            if (node instanceof org.apache.camel.model.EndpointRequiredDefinition e && e.getEndpointUri() != null) {
                out.add(new String[] {e.getEndpointUri(), Integer.toString(line)});
            } else if (node instanceof org.apache.camel.model.ToDynamicDefinition d && d.getUri() != null) {
                out.add(new String[] {d.getUri(), Integer.toString(line)});
            } else if (node instanceof org.apache.camel.model.FromDefinition f && f.getEndpointUri() != null) {
                out.add(new String[] {f.getEndpointUri(), Integer.toString(line)});
            }
            if (node instanceof org.apache.camel.model.ProcessorDefinition<?> p) {
                collectUris(p.getOutputs(), out, line);
            }
            if (node instanceof org.apache.camel.model.ChoiceDefinition c) {
                collectUris(c.getWhenClauses(), out, line);
                if (c.getOtherwise() != null) {
                    collectUris(List.of(c.getOtherwise()), out, line);
                }
            }
        }
    }

    /** The line of the job's {@code cron:}, searched from its {@code from:}; else the route's line. */
    private int cronLine(RouteDefinition def, int routeLine) {
        int from = Math.max(routeLine, def.getInput().getLineNumber());
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = Math.max(0, from - 1); i < lines.size(); i++) {
                if (lines.get(i).contains("cron")) {
                    return i + 1;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // fall back to the route's line
        }
        return from > 0 ? from : routeLine;
    }

    private void checkCron(String uri, int line, List<RouteProblem> found) {
        String resolved;
        try {
            resolved = camel.resolvePropertyPlaceholders(uri);
        } catch (RuntimeException e) {
            found.add(new RouteProblem(file, line, ProblemLines.messageOf(e)));
            return;
        }
        String cron = CronParameter.of(resolved);
        if (cron == null) {
            return;
        }
        try {
            CronExpression.validateExpression(cron);
        } catch (java.text.ParseException e) {
            found.add(new RouteProblem(file, line, CronSyntax.invalid(cron, e)));
        }
    }
}
