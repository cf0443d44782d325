package caravan.scheduling;

import caravan.store.Jdbc;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/** Which jobs an operator paused; kept in the database so a restart keeps them paused. */
public final class PauseStore {

    private final Jdbc jdbc;

    public PauseStore(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public void pause(String jobId, Instant at) {
        if (!isPaused(jobId)) {
            jdbc.update("insert into job_pause (job_id, paused_at) values (?, ?)", jobId, at);
        }
    }

    public void resume(String jobId) {
        jdbc.update("delete from job_pause where job_id = ?", jobId);
    }

    public boolean isPaused(String jobId) {
        return jdbc.queryOne("select job_id from job_pause where job_id = ?", rs -> rs.getString(1), jobId) != null;
    }

    public Set<String> paused() {
        return new HashSet<>(jdbc.query("select job_id from job_pause", rs -> rs.getString(1)));
    }
}
