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

    private Path jar;
    private boolean failTraining;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    private Path aotCache() {
        String name = jar.getFileName().toString();
        return jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".aot");
    }

    private String launch(String javaVersion, String... command) throws Exception {
        return launchOn("8", javaVersion, command);
    }

    private String launchOn(String cpus, String javaVersion, String... command) throws Exception {
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
        pb.environment().putAll(environment);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
