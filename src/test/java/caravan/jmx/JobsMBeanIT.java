package caravan.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A remote JMX client drives a running daemon through caravan:type=Jobs. */
class JobsMBeanIT {

    @TempDir
    Path home;

    @Test
    void a_remote_client_triggers_pauses_resumes_and_reads_history() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                MBeanServerConnection mbs = c.getMBeanServerConnection();
                JobsMBean jobs = JMX.newMBeanProxy(mbs, new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);

                String runId = jobs.trigger("quick");
                await().atMost(Duration.ofSeconds(10)).until(() ->
                        "succeeded".equals(Json.readRows(jobs.history("quick", 5)).get(0).get("status")));
                Map<String, Object> run = Json.readRows(jobs.history("quick", 5)).get(0);
                assertThat(run).containsEntry("run_id", runId).containsEntry("trigger_type", "manual")
                        .containsEntry("items_total", 1);
                assertThat(t.query("select trigger_type from job_run where run_id = ?", runId).get(0))
                        .containsEntry("trigger_type", "manual");

                jobs.pause("quick");
                Map<String, Object> job = Json.readRows(jobs.getJobs()).get(0);
                assertThat(job).containsEntry("id", "quick").containsEntry("paused", true)
                        .containsEntry("cron", "0 0 0 1 1 ? 2099").containsEntry("last_status", "succeeded");
                assertThat(job.get("next_fire")).isNull();
                jobs.resume("quick");
                job = Json.readRows(jobs.getJobs()).get(0);
                assertThat(job).containsEntry("paused", false);
                assertThat((String) job.get("next_fire")).startsWith("2099-01-01T00:00");
                assertThat(jobs.getLoadErrors()).isEmpty();
                assertThat(mbs.queryNames(new ObjectName("org.apache.camel:*"), null)).isNotEmpty();
            }
        }
    }

    @Test
    void await_run_returns_when_the_run_ends_and_the_running_row_when_it_times_out() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("slow.yaml", TestJobs.SLOW).start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                JobsMBean jobs = JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);
                assertThat(jobs.awaitRun("no-such-run", 0)).isNull();

                String runId = jobs.trigger("slow");
                await().atMost(Duration.ofSeconds(5)).until(() -> jobs.awaitRun(runId, 0) != null);
                assertThat(Json.readRow(jobs.awaitRun(runId, 10))).containsEntry("status", "running");

                long t0 = System.nanoTime();
                Map<String, Object> ended = Json.readRow(jobs.awaitRun(runId, 30_000));
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertThat(ended).containsEntry("run_id", runId).containsEntry("status", "succeeded")
                        .containsEntry("items_total", 1);
                assertThat(waitedMs).as("returned when the run ended, not at the timeout").isLessThan(10_000);
                // an ended run is answered at once
                assertThat(Json.readRow(jobs.awaitRun(runId, 30_000))).containsEntry("status", "succeeded");
            }
        }
    }

    @Test
    void an_unknown_job_is_an_error_that_names_the_known_jobs() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).route("slow.yaml", TestJobs.SLOW).start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                JobsMBean jobs = JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);
                assertThatThrownBy(() -> jobs.trigger("quik"))
                        .hasMessage("Unknown job 'quik'. Known jobs: quick, slow.");
                assertThatThrownBy(() -> jobs.history("quik", 3))
                        .hasMessage("Unknown job 'quik'. Known jobs: quick, slow.");
            }
        }
    }

    @Test
    void triggering_a_running_job_is_recorded_as_skipped() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("slow.yaml", TestJobs.SLOW).start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                JobsMBean jobs = JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);
                String first = jobs.trigger("slow");
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        "running".equals(Json.readRows(jobs.history("slow", 1)).get(0).get("status")));
                String second = jobs.trigger("slow");
                await().atMost(Duration.ofSeconds(10)).until(() -> statusOf(t, first).equals("succeeded"));
                assertThat(statusOf(t, second)).isEqualTo("skipped");
            }
        }
    }

    @Test
    void a_pause_survives_a_restart() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class).pause("quick");
            }
            t.stop();
            t.start();
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port))) {
                JobsMBean jobs = JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);
                assertThat(Json.readRows(jobs.getJobs()).get(0)).containsEntry("paused", true);
            }
        }
    }

    @Test
    void a_non_loopback_host_without_a_password_file_is_refused_at_start() {
        try (TestDaemon t = new TestDaemon(home)) {
            t.withJmx();
            t.property("caravan.jmx.host", "0.0.0.0");
            assertThatThrownBy(t::start).hasMessage("caravan.jmx.host=0.0.0.0 is not a loopback address, and remote JMX"
                    + " needs a password: set caravan.jmx.password-file to a file of 'user password' lines (readable only"
                    + " by the daemon's user), or set caravan.jmx.host=127.0.0.1");
        }
    }

    @Test
    void with_a_password_file_a_client_must_log_in() throws Exception {
        Path passwords = home.resolve("jmx.password");
        Files.writeString(passwords, "operator s3cret\n");
        try (TestDaemon t = new TestDaemon(home)) {
            int port = t.withJmx();
            t.property("caravan.jmx.password-file", passwords.toString()).route("quick.yaml", TestJobs.QUICK).start();
            assertThatThrownBy(() -> JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port)).close())
                    .isInstanceOf(SecurityException.class);
            try (JMXConnector c = JMXConnectorFactory.connect(JmxConnector.serviceUrl("127.0.0.1", port),
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"}))) {
                JobsMBean jobs = JMX.newMBeanProxy(c.getMBeanServerConnection(), new ObjectName(Jobs.OBJECT_NAME), JobsMBean.class);
                assertThat(Json.readRows(jobs.getJobs())).extracting(j -> j.get("id")).isEqualTo(List.of("quick"));
            }
        }
    }

    private static String statusOf(TestDaemon t, String runId) {
        var rows = t.query("select status from job_run where run_id = ?", runId);
        return rows.isEmpty() ? "" : (String) rows.get(0).get("status");
    }
}
