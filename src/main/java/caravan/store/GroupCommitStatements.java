package caravan.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;

/**
 * Group commit for small single-row statements from many threads, such as the run rows of the fires due in the same
 * second: one writer runs what has queued up in one transaction, so 200 runs starting together cost a few commits,
 * not 200 (every commit is a file write on H2, a flush of the log on PostgreSQL). A caller returns once its statement
 * is committed, with its update count, as with a plain autocommit statement. A batch that fails is retried one
 * statement at a time, so one bad statement fails only its own caller. Nothing waits on a timer: a lone statement is
 * written at once.
 */
public final class GroupCommitStatements implements AutoCloseable {

    /** The most statements in one transaction. */
    public static final int MAX_BATCH = 200;

    private record Pending(String sql, Object[] params, CompletableFuture<Integer> updated) {
    }

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final GroupCommitWriter<Pending> writer;

    public GroupCommitStatements(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.writer = new GroupCommitWriter<>(name, MAX_BATCH, 0, this::writeBatch);
    }

    /** Runs the statement in the next group commit; returns its update count once committed. */
    public int update(String sql, Object... params) {
        Pending pending = new Pending(sql, params, new CompletableFuture<>());
        if (!writer.offer(pending)) {
            return jdbc.update(sql, params); // stopped: on the caller's thread, as without group commit
        }
        try {
            return pending.updated().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit of: " + sql
                    + "; it may or may not be committed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void writeBatch(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            int[] counts = runInOneTransaction(batch);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).updated().complete(counts[i]);
            }
        } catch (StoreException e) {
            if (batch.size() == 1) {
                batch.get(0).updated().completeExceptionally(e);
                return;
            }
            for (Pending p : batch) {
                writeBatch(List.of(p));
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.updated().completeExceptionally(e));
        }
    }

    private int[] runInOneTransaction(List<Pending> batch) {
        String current = null;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            Map<String, PreparedStatement> prepared = new HashMap<>();
            try {
                int[] counts = new int[batch.size()];
                for (int i = 0; i < batch.size(); i++) {
                    Pending p = batch.get(i);
                    current = p.sql();
                    PreparedStatement ps = prepared.get(p.sql());
                    if (ps == null) {
                        ps = c.prepareStatement(p.sql());
                        prepared.put(p.sql(), ps);
                    }
                    Jdbc.bind(ps, p.params());
                    counts[i] = ps.executeUpdate();
                }
                c.commit();
                return counts;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                for (PreparedStatement ps : prepared.values()) {
                    ps.close();
                }
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException(current == null ? "(a group commit)" : current, e);
        }
    }

    /** Writes what is queued, then stops the writer; later statements run on their callers' threads. */
    @Override
    public void close() {
        writer.close();
    }
}
