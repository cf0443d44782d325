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

    private String launch(String javaVersion, String... command) throws Exception {
        return launchOn("8", javaVersion, command);
    }

    private String launchOn(String cpus, String javaVersion, String... command) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        Path fakeJava = jdk.resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"" + javaVersion + "\"\n");
        Path jar = Files.createTempFile(jdk, "caravan", ".jar");
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("bin/caravan").toAbsolutePath().toString());
        pb.command().addAll(java.util.List.of(command));
        pb.environment().put("JAVA_HOME", jdk.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx1g");
        pb.environment().put("CARAVAN_JAR", jar.toString());
        pb.environment().put("CARAVAN_CPUS", cpus);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
