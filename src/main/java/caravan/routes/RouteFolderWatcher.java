package caravan.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production live reload of one routes folder: scans it every interval and, per file, loads a new or changed file,
 * or unloads a deleted one, through {@link RouteFileLoader} (which keeps a failing file's previous version). A file
 * is acted on once its content is the same in two scans in a row, so a half-written file is never loaded. Only the
 * changed file's routes restart; stopping them is graceful, so a run in progress finishes first.
 */
public final class RouteFolderWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFolderWatcher.class);
    private static final String ABSENT = "absent";

    private final Path dir;
    private final RouteFileLoader loader;
    private final Consumer<Set<String>> afterChange;
    private final Map<Path, String> applied = new HashMap<>();
    private final Map<Path, String> lastSeen = new HashMap<>();
    private ScheduledExecutorService scanner;

    /**
     * {@code afterChange} runs after each batch of changes with the ids of the routes just loaded (added or
     * reloaded), e.g. to re-apply stored pauses to reloaded jobs and log their schedules.
     */
    public RouteFolderWatcher(Path dir, RouteFileLoader loader, Consumer<Set<String>> afterChange) {
        this.dir = dir.toAbsolutePath().normalize();
        this.loader = loader;
        this.afterChange = afterChange;
    }

    /** Takes the folder as it is now as already loaded, then scans every {@code interval}. */
    public RouteFolderWatcher start(Duration interval) {
        applied.putAll(snapshot());
        lastSeen.putAll(applied);
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-route-reload");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scanSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Watching {} for route file changes every {} ms", dir, interval.toMillis());
        return this;
    }

    private void scanSafely() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("Route reload of {} failed: {}; trying again at the next scan", dir, e.getMessage(), e);
        }
    }

    /** One scan: acts on files whose content is stable since the previous scan and differs from what was loaded. */
    synchronized void scan() {
        Map<Path, String> now = snapshot();
        Set<Path> files = new TreeSet<>(now.keySet());
        files.addAll(applied.keySet());
        files.addAll(lastSeen.keySet());
        Set<Path> changed = new HashSet<>();
        for (Path file : files) {
            String state = now.getOrDefault(file, ABSENT);
            boolean stable = state.equals(lastSeen.getOrDefault(file, ABSENT));
            if (stable && !state.equals(applied.getOrDefault(file, ABSENT))) {
                changed.add(file);
            }
        }
        lastSeen.clear();
        lastSeen.putAll(now);
        Set<String> loaded = new TreeSet<>();
        for (Path file : new TreeSet<>(changed)) {
            apply(file, now.getOrDefault(file, ABSENT), loaded);
        }
        if (!changed.isEmpty()) {
            afterChange.accept(loaded);
        }
    }

    private void apply(Path file, String state, Set<String> loaded) {
        if (state.equals(ABSENT)) {
            var routes = loader.routesByFile().getOrDefault(file, java.util.List.of());
            loader.unload(file);
            applied.remove(file);
            LOG.info("{} deleted: routes {} removed", file, routes);
            return;
        }
        boolean known = applied.containsKey(file);
        RouteProblem problem = loader.load(file);
        applied.put(file, state);
        if (problem == null) {
            var routes = loader.routesByFile().getOrDefault(file, java.util.List.of());
            loaded.addAll(routes);
            LOG.info("{} {}: routes {}", file, known ? "reloaded" : "added", routes);
        } else {
            LOG.error("{}; not loaded, {}", problem,
                    loader.routesByFile().containsKey(file) ? "its previous version keeps running" : "it has no routes running");
        }
    }

    private Map<Path, String> snapshot() {
        Map<Path, String> states = new HashMap<>();
        for (Path file : RouteFileLoader.routeFiles(dir)) {
            try {
                states.put(file.toAbsolutePath().normalize(), sha256(Files.readAllBytes(file)));
            } catch (IOException e) {
                // vanished or unreadable between listing and reading: seen again at the next scan
                LOG.debug("Cannot read {}: {}", file, e.getMessage());
            }
        }
        return states;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (scanner != null) {
            // A reload in progress may be waiting for a run to finish: let it, for a while.
            scanner.shutdown();
            try {
                if (!scanner.awaitTermination(5, TimeUnit.SECONDS)) {
                    scanner.shutdownNow();
                }
            } catch (InterruptedException e) {
                scanner.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
