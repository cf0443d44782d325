package caravan.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An independent JMX client, jmxterm in its own JVM, triggers a job the way the README shows. */
class JmxtermIT {

    static final Path JMXTERM = Path.of("target", "test-tools", "jmxterm.jar");

    @TempDir
    Path home;

    @Test
    void jmxterm_triggers_a_job_through_caravan_type_jobs() throws Exception {
        assertThat(JMXTERM).as("copied by maven-dependency-plugin in process-test-resources").exists();
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-jar", JMXTERM.toString(), "-l", "127.0.0.1:" + port, "-n")
                    .redirectErrorStream(true).start();
            p.getOutputStream().write("run -b caravan:type=Jobs trigger quick\n".getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jmxterm ends").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();

            String runId = output.lines().map(String::trim)
                    .filter(l -> l.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
                    .findFirst().orElseThrow(() -> new AssertionError("no run id in jmxterm output:\n" + output));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    t.count("select count(*) from job_run where run_id = ? and trigger_type = 'manual'"
                            + " and status = 'succeeded'", runId) == 1);
        }
    }
}
