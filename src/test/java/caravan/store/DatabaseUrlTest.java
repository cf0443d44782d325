package caravan.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Caravan adds to an H2 URL, and why: a real H2 file database. */
class DatabaseUrlTest {

    @TempDir
    Path dir;

    @Test
    void a_file_database_is_written_at_once_through_the_retrying_file_system() {
        assertThat(Database.jdbcUrl("jdbc:h2:file:/srv/caravan/data/caravan"))
                .isEqualTo("jdbc:h2:file:retry:/srv/caravan/data/caravan;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(Database.jdbcUrl("jdbc:h2:file:./data/caravan")).startsWith("jdbc:h2:file:retry:./data/caravan;");
        assertThat(Database.jdbcUrl("jdbc:h2:file:async:/x/db;WRITE_DELAY=100")).isEqualTo("jdbc:h2:file:async:/x/db;WRITE_DELAY=100;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.jdbcUrl("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.jdbcUrl("jdbc:postgresql://127.0.0.1/caravan")).isEqualTo("jdbc:postgresql://127.0.0.1/caravan");
    }

    @Test
    void a_thread_interrupted_while_it_commits_does_not_close_the_database_for_the_others() throws Exception {
        String url = Database.jdbcUrl("jdbc:h2:file:" + dir.resolve("caravan").toAbsolutePath());
        try (Connection main = DriverManager.getConnection(url, "sa", "")) {
            try (Statement s = main.createStatement()) {
                s.execute("create table t (n int)");
            }
            AtomicReference<Exception> interruptedOne = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                    Thread.currentThread().interrupt(); // as a shutdown interrupts a thread in the middle of its work
                    s.execute("insert into t values (1)");
                } catch (Exception e) {
                    interruptedOne.set(e);
                }
            });
            writer.start();
            writer.join();

            try (Statement s = main.createStatement()) {
                s.execute("insert into t values (2)");
                try (ResultSet rs = s.executeQuery("select count(*) from t where n = 2")) {
                    rs.next();
                    assertThat(rs.getInt(1)).isEqualTo(1);
                }
            }
        }
    }
}
