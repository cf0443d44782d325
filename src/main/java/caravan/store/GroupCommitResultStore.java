package caravan.store;

import caravan.http.HostLimiter;
import caravan.http.Validators;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: results stored from parallel branches are written by one writer, many per transaction. A caller
 * returns only once its result is committed, so a result is durable before the run counts it; what arrives while the
 * writer lingers a few milliseconds after a batch's first result, or while it writes, becomes the batch, so the
 * batch grows with the load.
 * A batch that fails is retried one result at a time, so that one bad result fails only its own item.
 */
public final class GroupCommitResultStore implements ResultStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitResultStore.class);

    /** The most results in one transaction. */
    public static final int MAX_BATCH = 500;
    /** The most results waiting for the writer before callers wait for room. */
    public static final int MAX_QUEUED = 10_000;
    /**
     * How long the writer waits for more results once one arrived: every commit writes to the database file, so a
     * fan-out's results are better committed a few milliseconds later, many at a time, than one commit each. A
     * waiting result holds no thread and no fan-out slot. 25 ms rather than 10: 5-14% less daemon CPU per item in a
     * CPU-bound fan-out (10000/500/20 in bench/), and no slower runs; the last results of a run wait at most a
     * quarter of it (see {@link GroupCommitWriter}).
     */
    public static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    private record Pending(JdbcResultStore.Request request, CompletableFuture<Outcome> outcome) {
    }

    private final JdbcResultStore store;
    private final Semaphore room;
    private final GroupCommitWriter<Pending> writer;
    private volatile Runnable roomFreed = () -> { };

    public GroupCommitResultStore(JdbcResultStore store) {
        this(store, MAX_QUEUED);
    }

    /** {@code maxQueued}: results waiting for the writer, or being written, before callers wait for room. */
    GroupCommitResultStore(JdbcResultStore store, int maxQueued) {
        this.store = store;
        this.room = new Semaphore(maxQueued);
        this.writer = new GroupCommitWriter<>("caravan-result-writer", MAX_BATCH, LINGER_NANOS, this::writeBatch);
    }

    @Override
    public Outcome store(NewResult result, boolean skipUnchanged) {
        try {
            return storeLater(result, skipUnchanged).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the result of item " + result.itemKey()
                    + "; it may or may not be stored", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Queues the result for the writer; the future completes, on the writer's thread, once it is committed. Blocks
     * only while {@link #MAX_QUEUED} results already wait (back-pressure when the database is slower than the fetches).
     */
    @Override
    public CompletableFuture<Outcome> storeLater(NewResult result, boolean skipUnchanged) {
        if (writer.isClosed()) {
            return store.storeLater(result, skipUnchanged); // stopped: written on the caller's thread
        }
        try {
            // tryAcquire first: acquire() checks the thread's interrupt status, a cost per result on virtual threads
            if (!room.tryAcquire()) {
                room.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new IllegalStateException("interrupted before storing the result of item "
                    + result.itemKey() + "; it is not stored", e));
        }
        Pending pending = pending(result, skipUnchanged);
        if (!writer.offer(pending)) {
            writeBatch(List.of(pending)); // the writer has stopped: written here, as without group commit
        }
        return pending.outcome();
    }

    /** Queued for the writer while it has room and runs; null when the caller would have to wait or write it itself. */
    @Override
    public CompletableFuture<Outcome> storeWithoutWaiting(NewResult result, boolean skipUnchanged) {
        if (!room.tryAcquire()) {
            return null;
        }
        Pending pending = pending(result, skipUnchanged);
        if (!writer.offer(pending)) {
            room.release();
            return null;
        }
        return pending.outcome();
    }

    /**
     * Holds back the limiter's new requests while the queue lacks room for the results of those in flight, of the
     * replies still being handled, and of one more. Otherwise a slot given back at a reply is taken again at once,
     * and the replies' handling, waiting here for room, piles up without bound: a streaming split of 100,000 items
     * under {@code -Xmx256m} ran out of heap with 12,000 threads waiting in {@link #storeLater}; with the hold it
     * stores them all in about 10 s.
     */
    public void holdRequestsWhileFull(HostLimiter limiter) {
        limiter.gate(pending -> room.availablePermits() > pending);
        roomFreed = limiter::reopened;
    }

    private static Pending pending(NewResult result, boolean skipUnchanged) {
        return new Pending(new JdbcResultStore.Request(result, skipUnchanged), new CompletableFuture<>());
    }

    private void writeBatch(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Outcome> outcomes = store.storeAll(batch.stream().map(Pending::request).toList());
            room.release(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
            roomFreed.run();
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                room.release();
                batch.get(0).outcome().completeExceptionally(e);
                roomFreed.run();
                return;
            }
            LOG.debug("A batch of {} results failed ({}); storing them one by one", batch.size(), e.getMessage());
            for (Pending p : batch) {
                writeBatch(List.of(p));
            }
        }
    }

    @Override
    public boolean remembersValidators(String jobId) {
        return store.remembersValidators(jobId);
    }

    @Override
    public Validators validators(String jobId, String itemKey) {
        return store.validators(jobId, itemKey);
    }

    /** Writes what is queued, then stops the writer; later results are written by their callers. */
    @Override
    public void close() {
        writer.close();
    }
}
