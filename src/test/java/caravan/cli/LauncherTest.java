package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/caravan, run with a stand-in JDK whose java prints its arguments. */
class LauncherTest {

    @TempDir
    Path jdk;

    @Test
    void run_gets_the_daemon_memory_defaults_before_java_opts() throws Exception {
        String args = launch("21.0.4", "run", "--routes", "r");
        assertThat(args).startsWith("-Xms48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:GCTimeRatio=49 -XX:G1PeriodicGCInterval=10000"
                + " -XX:TrimNativeHeapInterval=10000 -Xmx1g -jar ").endsWith(" run --routes r");
    }

    @Test
    void a_jvm_without_native_heap_trimming_is_not_given_the_option() throws Exception {
        assertThat(launch("17.0.8", "run")).contains("-Xms48m").doesNotContain("TrimNativeHeapInterval");
        assertThat(launch("21", "run")).doesNotContain("TrimNativeHeapInterval");
        assertThat(launch("17.0.15", "run")).contains("-XX:TrimNativeHeapInterval=10000");
    }

    @Test
    void on_two_cpus_or_fewer_the_daemon_runs_on_c1_compiled_code() throws Exception {
        assertThat(launchOn("2", "21.0.4", "run")).contains(" -XX:TieredStopAtLevel=1 -Xmx1g -jar ");
        assertThat(launchOn("1", "17.0.15", "run")).contains("-XX:TieredStopAtLevel=1");
        assertThat(launchOn("4", "21.0.4", "run")).doesNotContain("TieredStopAtLevel");
        assertThat(launchOn("2", "21.0.4", "validate", "routes")).doesNotContain("TieredStopAtLevel");
    }

    @Test
    void caravan_jit_hot_gives_c2_only_the_named_libraries_trained_into_a_cache_of_its_own() throws Exception {
        environment.put("CARAVAN_JIT", "hot");
        String first = launchOn("2", "25.0.3", "run");
        Path hotCache = aotCache("-hot");
        String training = Files.readString(Path.of(hotCache + ".log")).trim();
        assertThat(training).contains(FEW_C2, "-XX:AOTCacheOutput=" + hotCache).doesNotContain("TieredStopAtLevel");
        String daemon = first.lines().reduce((a, b) -> b).orElseThrow();
        assertThat(daemon).contains(FEW_C2, "-XX:AOTCache=" + hotCache).doesNotContain("TieredStopAtLevel")
                .endsWith(" run");
        assertThat(launchOn("2", "25.0.3", "validate", "routes")).doesNotContain("CompilerDirectivesFile");

        environment.remove("CARAVAN_JIT"); // the usual choice keeps its own cache, trained without the directives
        String usual = launchOn("2", "25.0.3", "run");
        assertThat(usual).contains("Training", "-XX:AOTCache=" + aotCache(), "-XX:TieredStopAtLevel=1")
                .doesNotContain("CompilerDirectivesFile");
    }

    @Test
    void caravan_jit_hot_without_the_cache_says_so_and_starts_as_usual() throws Exception {
        environment.put("CARAVAN_JIT", "hot");
        String java21 = launchOn("2", "21.0.4", "run");
        assertThat(java21).contains("CARAVAN_JIT=hot needs Java 25 or later and the ahead-of-time cache")
                .contains("-XX:TieredStopAtLevel=1").doesNotContain("CompilerDirectivesFile");
        assertThat(launchOn("8", "21.0.4", "run")).doesNotContain("CompilerDirectivesFile")
                .doesNotContain("TieredStopAtLevel");
        failTraining = true;
        String failed = launchOn("2", "25.0.3", "run");
        assertThat(failed).contains("the training run failed", "CARAVAN_JIT=hot needs");
        assertThat(failed.lines().reduce((a, b) -> b).orElseThrow()).contains("-XX:TieredStopAtLevel=1")
                .doesNotContain("CompilerDirectivesFile").doesNotContain("AOTCache");
    }

    @Test
    void an_unknown_caravan_jit_stops_the_launcher_with_the_choices() throws Exception {
        environment.put("CARAVAN_JIT", "fast");
        Process p = start("2", "25.0.3", "run");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out).isEqualTo("CARAVAN_JIT=fast is not a choice: leave it unset, or set it to hot");
    }

    /** The shipped directives, read by a real JVM: one it could not parse would stop the daemon's JVM from starting. */
    @Test
    void the_directives_file_is_one_the_jvm_accepts_and_names_the_two_libraries() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + DIRECTIVES, "-XX:+CompilerDirectivesPrint", "-version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("2 compiler directives added", "org/apache/hc/core5/*.*", "org/h2/mvstore/*.*");
    }

    @Test
    void other_commands_start_with_the_jvm_defaults() throws Exception {
        assertThat(launch("21.0.4", "validate", "routes")).startsWith("-Xmx1g -jar ").endsWith(" validate routes");
    }

    @Test
    void on_java_25_run_trains_the_ahead_of_time_cache_once_per_jar_and_then_uses_it() throws Exception {
        String first = launchOn("2", "25.0.3", "run");
        assertThat(first).contains("Training the JVM's ahead-of-time cache");
        String training = Files.readString(Path.of(aotCache() + ".log")).trim(); // the training JVM's output
        assertThat(training).contains("-XX:TieredStopAtLevel=1", "-XX:AOTCacheOutput=").endsWith(" aot-train")
                .doesNotContain("-Xmx1g"); // JAVA_OPTS' -D options could point the training at the user's database
        String daemon = first.lines().reduce((a, b) -> b).orElseThrow();
        assertThat(daemon).contains("-XX:AOTCache=" + aotCache()).endsWith(" run");

        String second = launch("25.0.3", "run");
        assertThat(second).doesNotContain("Training").contains("-XX:AOTCache=" + aotCache());

        jar.toFile().setLastModified(System.currentTimeMillis() + 5_000); // a new build
        assertThat(launch("25.0.3", "run")).contains("Training the JVM's ahead-of-time cache");
    }

    @Test
    void a_failed_training_is_not_retried_before_the_next_build_and_the_daemon_runs_without_the_cache() throws Exception {
        failTraining = true;
        String first = launch("25.0.3", "run");
        assertThat(first).contains("the training run failed");
        assertThat(first.lines().reduce((a, b) -> b).orElseThrow()).doesNotContain("AOTCache").endsWith(" run");
        assertThat(launch("25.0.3", "run")).doesNotContain("Training").doesNotContain("AOTCache");
    }

    @Test
    void before_java_25_or_when_turned_off_there_is_no_cache() throws Exception {
        assertThat(launch("21.0.4", "run")).doesNotContain("AOT");
        environment.put("CARAVAN_AOT", "off");
        assertThat(launch("25.0.3", "run")).doesNotContain("AOT");
        assertThat(launch("25.0.3", "validate", "routes")).doesNotContain("AOT");
    }

    private static final Path DIRECTIVES = Path.of("bin/jit-directives.json").toAbsolutePath();
    private static final String FEW_C2 = "-XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=" + DIRECTIVES;

    private Path jar;
    private boolean failTraining;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    private Path aotCache() {
        return aotCache("");
    }

    private Path aotCache(String suffix) {
        String name = jar.getFileName().toString();
        return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + suffix + ".aot");
    }

    private String launch(String javaVersion, String... command) throws Exception {
        return launchOn("8", javaVersion, command);
    }

    private String launchOn(String cpus, String javaVersion, String... command) throws Exception {
        Process p = start(cpus, javaVersion, command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private Process start(String cpus, String javaVersion, String... command) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        Path fakeJava = jdk.resolve("bin/java");
        // Prints its arguments; as a training JVM it writes the cache file it was asked for, unless told to fail.
        Files.writeString(fakeJava, "#!/bin/sh\necho \"$@\"\n"
                + "for a in \"$@\"; do case \"$a\" in -XX:AOTCacheOutput=*) "
                + (failTraining ? "exit 1" : "echo cache > \"${a#-XX:AOTCacheOutput=}\"") + " ;; esac; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + javaVersion + "\"\n");
        if (jar == null) {
            jar = Files.createTempFile(jdk, "caravan", ".jar");
        }
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("bin/caravan").toAbsolutePath().toString());
        pb.command().addAll(java.util.List.of(command));
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx1g");
        pb.environment().put("CARAVAN_JAR", jar.toString());
        pb.environment().put("CARAVAN_CPUS", cpus);
        pb.environment().remove("CARAVAN_AOT");
        pb.environment().remove("CARAVAN_JIT");
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        return pb.start();
    }
}
