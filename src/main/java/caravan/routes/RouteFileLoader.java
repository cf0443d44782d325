package caravan.routes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads route files one at a time, so that a bad file is reported with its file and line and never stops the
 * others. Remembers which routes came from which file.
 */
public final class RouteFileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileLoader.class);

    private final CamelContext camel;
    private final Map<Path, List<String>> routesByFile = new LinkedHashMap<>();
    private final Map<Path, List<RouteDefinition>> definitionsByFile = new LinkedHashMap<>();
    /** Read without the loader's lock, so that operators see errors while a reload waits for a run to finish. */
    private final Map<Path, RouteProblem> problems = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    public RouteFileLoader(CamelContext camel) {
        this.camel = camel;
    }

    public static List<Path> routeFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot list route files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads every route file of the folder; returns the problems found. */
    public synchronized List<RouteProblem> loadAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warn("Routes folder {} does not exist: no jobs loaded. Create it and add *.yaml files.", dir);
        }
        for (Path file : routeFiles(dir)) {
            load(file);
        }
        return problems();
    }

    /** Loads (or reloads) one file. On a problem the file's previous routes stay as they were. */
    public synchronized RouteProblem load(Path file) {
        Path key = file.toAbsolutePath().normalize();
        List<RouteProblem> found = new ArrayList<>();
        List<RouteBuilder> builders = parse(key, found);
        List<RouteDefinition> definitions = new ArrayList<>();
        if (found.isEmpty()) {
            for (RouteBuilder b : builders) {
                definitions.addAll(b.getRouteCollection().getRoutes());
            }
            new RouteChecks(camel, key, otherFilesRouteIds(key)).check(definitions, found);
        }
        if (!found.isEmpty()) {
            return fail(key, found.get(0));
        }
        List<String> previous = routesByFile.getOrDefault(key, List.of());
        removeRoutes(previous);
        try {
            for (RouteBuilder b : builders) {
                b.addRoutesToCamelContext(camel);
            }
        } catch (Exception e) {
            removeRoutes(definitions.stream().map(RouteDefinition::getRouteId).toList());
            String message = ProblemLines.messageOf(e);
            RouteProblem problem = new RouteProblem(key, lineOr(ProblemLines.lineOf(e), definitions, message), message);
            restorePrevious(key);
            return fail(key, problem);
        }
        routesByFile.put(key, definitions.stream().map(RouteDefinition::getRouteId).toList());
        definitionsByFile.put(key, definitions);
        problems.remove(key);
        return null;
    }

    /** After the new version failed to start, puts the previous good version of the file back. */
    private void restorePrevious(Path key) {
        List<RouteDefinition> previous = definitionsByFile.getOrDefault(key, List.of());
        if (previous.isEmpty()) {
            routesByFile.remove(key);
            return;
        }
        try {
            ((ModelCamelContext) camel).addRouteDefinitions(previous);
            LOG.warn("{}: the new version failed to start; its previous version runs again", key);
        } catch (Exception e) {
            routesByFile.remove(key);
            definitionsByFile.remove(key);
            LOG.error("{}: the new version failed to start and the previous one could not be restored ({}); fix the file",
                    key, ProblemLines.messageOf(e));
        }
    }

    private List<RouteBuilder> parse(Path file, List<RouteProblem> found) {
        try {
            Resource resource = PluginHelper.getResourceLoader(camel).resolveResource("file:" + file);
            Collection<RoutesBuilder> loaded = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource);
            List<RouteBuilder> builders = new ArrayList<>();
            for (RoutesBuilder rb : loaded) {
                if (rb instanceof RouteBuilder b) {
                    b.configureRoutes(camel);
                    builders.add(b);
                }
            }
            return builders;
        } catch (Exception e) {
            found.add(new RouteProblem(file, ProblemLines.lineOf(e), ProblemLines.messageOf(e)));
            return List.of();
        }
    }

    /** The line the error names, else the line of the step whose endpoint the error mentions, else the route's. */
    private static int lineOr(int line, List<RouteDefinition> definitions, String message) {
        if (line > 0 || definitions.isEmpty()) {
            return line;
        }
        String normalized = message.replace("://", ":");
        // the endpoint's whole URI first; then without its query, which Camel's message may give encoded otherwise
        for (boolean withQuery : new boolean[] {true, false}) {
            for (RouteDefinition def : definitions) {
                int step = stepLine(def.getOutputs(), normalized, withQuery);
                if (step > 0) {
                    return step;
                }
            }
        }
        return Math.max(0, definitions.get(0).getLineNumber());
    }

    private static int stepLine(List<ProcessorDefinition<?>> steps, String message, boolean withQuery) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof EndpointRequiredDefinition e && e.getEndpointUri() != null && step.getLineNumber() > 0) {
                String uri = e.getEndpointUri().replace("://", ":");
                if (!withQuery && uri.indexOf('?') > 0) {
                    uri = uri.substring(0, uri.indexOf('?')) + "?";
                }
                if (message.contains(uri)) {
                    return step.getLineNumber();
                }
            }
            int nested = stepLine(step.getOutputs(), message, withQuery);
            if (nested > 0) {
                return nested;
            }
        }
        return 0;
    }

    /** Records the problem; the caller reports it (the daemon's log, or validate's output), once. */
    private RouteProblem fail(Path file, RouteProblem problem) {
        problems.put(file, problem);
        return problem;
    }

    private Set<String> otherFilesRouteIds(Path file) {
        Set<String> ids = new HashSet<>();
        routesByFile.forEach((f, list) -> {
            if (!f.equals(file)) {
                ids.addAll(list);
            }
        });
        return ids;
    }

    /** Removes a deleted file's routes. */
    public synchronized void unload(Path file) {
        Path key = file.toAbsolutePath().normalize();
        removeRoutes(routesByFile.getOrDefault(key, List.of()));
        routesByFile.remove(key);
        definitionsByFile.remove(key);
        problems.remove(key);
    }

    private void removeRoutes(List<String> routeIds) {
        for (String id : routeIds) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
                RouteDefinition left = ((ModelCamelContext) camel).getRouteDefinition(id);
                if (left != null) {
                    ((ModelCamelContext) camel).removeRouteDefinition(left);
                }
            } catch (Exception e) {
                LOG.warn("Cannot remove route {}: {}", id, e.getMessage());
            }
        }
    }

    public List<RouteProblem> problems() {
        synchronized (problems) {
            return List.copyOf(problems.values());
        }
    }

    public synchronized Map<Path, List<String>> routesByFile() {
        return Map.copyOf(routesByFile);
    }
}
