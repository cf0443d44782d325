package caravan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import caravan.support.Postgres;
import caravan.support.TestDaemon;
import caravan.support.TestJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan backup}: an online backup of a running daemon's H2 database, and a restore from it. */
class BackupIT {

    @TempDir
    Path home;

    @TempDir
    Path restored;

    @Test
    void a_backup_taken_while_the_daemon_runs_restores_into_a_daemon_that_has_its_runs_and_results() throws Exception {
        String runId;
        Path zip;
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();
            runId = (String) t.runToEnd("quick").get("run_id");

            Cli backup = Cli.run("backup", "--jmx", jmx);
            assertThat(backup.exitCode()).as(backup.err()).isZero();
            assertThat(backup.out()).containsPattern("Backed up to .*caravan-\\d{8}-\\d{6}\\.zip \\(\\d+\\.\\d KiB, \\d+ ms\\)")
                    .contains("unzip it into the data folder");
            try (Stream<Path> files = Files.list(t.data().resolve("backups"))) {
                zip = files.filter(f -> f.getFileName().toString().matches("caravan-\\d{8}-\\d{6}\\.zip")).findFirst().orElseThrow();
            }
            assertThat(backup.out()).contains(zip.toString());
            assertThat(entries(zip)).contains("caravan.mv.db");
            try (Stream<Path> files = Files.list(zip.getParent())) {
                assertThat(files.map(f -> f.getFileName().toString())).as("no partial file left").containsExactly(zip.getFileName().toString());
            }
        }

        unzip(zip, restored.resolve("data"));
        try (TestDaemon t = new TestDaemon(restored)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            Cli history = Cli.run("history", "quick", "--jmx", jmx);
            assertThat(history.out()).contains(runId, "succeeded");
            assertThat(t.query("select payload from result where run_id = ?", runId)).singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("payload", "hello"));
        }
    }

    @Test
    void a_name_that_is_a_path_or_exists_already_is_refused_and_writes_nothing() throws Exception {
        try (TestDaemon t = new TestDaemon(home)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            Cli named = Cli.run("backup", "before-upgrade", "--jmx", jmx);
            assertThat(named.exitCode()).as(named.err()).isZero();
            assertThat(t.data().resolve("backups/before-upgrade.zip")).isRegularFile();

            Cli again = Cli.run("backup", "before-upgrade.zip", "--jmx", jmx);
            assertThat(again.exitCode()).isEqualTo(2);
            assertThat(again.err()).contains("before-upgrade.zip exists already", "choose another name");

            Cli path = Cli.run("backup", "../../escaped", "--jmx", jmx);
            assertThat(path.exitCode()).isEqualTo(2);
            assertThat(path.err()).contains("'../../escaped' is not a plain file name", "caravan.backup.dir");
            assertThat(home.resolve("escaped.zip")).doesNotExist();
            assertThat(home.getParent().resolve("escaped.zip")).doesNotExist();
        }
    }

    @Test
    void the_backup_folder_is_configurable() throws Exception {
        Path folder = home.resolve("elsewhere/backups");
        try (TestDaemon t = new TestDaemon(home).property("caravan.backup.dir", folder.toString())) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            assertThat(Cli.run("backup", "nightly", "--jmx", jmx).exitCode()).isZero();
            assertThat(folder.resolve("nightly.zip")).isRegularFile();
        }
    }

    @Test
    void the_daemon_backs_up_on_its_schedule_and_keeps_the_newest_time_stamped_zips_only() throws Exception {
        Path folder = home.resolve("data/backups");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("keep-me.zip"), "named by hand");
        Files.writeString(folder.resolve("caravan-20200101-000000.zip"), "an old one");
        Set<String> seen = new TreeSet<>();
        try (TestDaemon t = new TestDaemon(home).property("caravan.backup.schedule", "0/1 * * * * ?")
                .property("caravan.backup.keep", "2")) {
            t.route("quick.yaml", TestJobs.QUICK).start();

            await().atMost(Duration.ofSeconds(15)).until(() -> {
                List<String> stamped = stampedIn(folder);
                seen.addAll(stamped);
                return seen.size() >= 4 && stamped.size() == 2;
            });
            assertThat(folder.resolve("keep-me.zip")).hasContent("named by hand");
            assertThat(folder.resolve("caravan-20200101-000000.zip")).doesNotExist();
            assertThat(entries(folder.resolve(stampedIn(folder).get(0)))).contains("caravan.mv.db");
        }
    }

    @Test
    void a_backup_schedule_that_is_not_a_quartz_cron_stops_the_start_with_what_to_write() {
        try (TestDaemon t = new TestDaemon(home).property("caravan.backup.schedule", "0 2 * * *")) {
            assertThatThrownBy(t::start).hasMessageContaining("caravan.backup.schedule: cron '0 2 * * *' is invalid")
                    .hasMessageContaining("'0 0 2 * * ?'");
        }
    }

    @Test
    void a_backup_schedule_on_postgresql_stops_the_start() {
        try (Postgres db = Postgres.create(); TestDaemon t = new TestDaemon(home).postgres(db)
                .property("caravan.backup.schedule", "0 0 2 * * ?")) {
            assertThatThrownBy(t::start).hasMessageContaining("the database is PostgreSQL").hasMessageContaining("pg_dump");
        }
    }

    private static List<String> stampedIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("caravan-\\d{8}-\\d{6}\\.zip"))
                    .sorted().toList();
        }
    }

    @Test
    void a_postgresql_database_is_refused_with_what_to_use_instead() throws Exception {
        try (Postgres db = Postgres.create(); TestDaemon t = new TestDaemon(home).postgres(db)) {
            String jmx = "127.0.0.1:" + t.withJmx();
            t.route("quick.yaml", TestJobs.QUICK).start();

            Cli backup = Cli.run("backup", "--jmx", jmx);
            assertThat(backup.exitCode()).isEqualTo(1);
            assertThat(backup.err()).contains("The database is PostgreSQL", "pg_dump");
            assertThat(t.data().resolve("backups")).doesNotExist();
        }
    }

    private static List<String> entries(Path zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }

    private static void unzip(Path zip, Path into) throws IOException {
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Files.copy(in, into.resolve(e.getName())); // reads this entry only: the stream goes on to the next
            }
        }
    }
}
