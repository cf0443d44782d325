package caravan.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The writer thread of a group commit: what callers queue while it writes (and, with a linger, what keeps arriving
 * within that time after a batch's first item) becomes its next batch, up to {@code maxBatch}. At close it writes what is
 * queued, one by one, and then refuses new items: {@link #offer} returns false and the caller writes the item itself.
 * Closing under this object's lock means an item is either taken by the writer or refused, never left waiting.
 */
final class GroupCommitWriter<T> implements AutoCloseable {

    private static final Object STOP = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final long lingerNanos;
    private final Consumer<List<T>> writeBatch;
    private final Thread writer;
    private boolean closed; // guarded by this

    /** {@code writeBatch} writes one batch and completes each item's caller, also when the batch fails. */
    GroupCommitWriter(String threadName, int maxBatch, long lingerNanos, Consumer<List<T>> writeBatch) {
        this.maxBatch = maxBatch;
        this.lingerNanos = lingerNanos;
        this.writeBatch = writeBatch;
        this.writer = new Thread(this::write, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the item for the writer; false once the writer has closed, and the caller writes it itself. */
    synchronized boolean offer(T item) {
        if (!closed) {
            queue.add(item);
        }
        return !closed;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @SuppressWarnings("unchecked")
    private void write() {
        List<T> batch = new ArrayList<>(maxBatch);
        boolean stop = false;
        while (!stop) {
            Object first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                break;
            }
            if (first == STOP) {
                break;
            }
            batch.add((T) first);
            try {
                stop = gather(batch);
            } catch (InterruptedException e) {
                stop = true; // what was gathered is still written, then the writer stops
            }
            writeBatch.accept(batch);
            batch.clear();
        }
        List<Object> rest = new ArrayList<>();
        synchronized (this) {
            closed = true;
            queue.drainTo(rest);
        }
        for (Object item : rest) {
            if (item != STOP) {
                writeBatch.accept(List.of((T) item));
            }
        }
    }

    /**
     * Adds what has queued, or arrives within the linger of the batch's first item, up to the batch size; true on
     * stop. The linger ends early after a quarter of it without a new item: results still arriving are worth waiting
     * for, but the last results of a run would otherwise wait out the whole linger before their run could end.
     */
    @SuppressWarnings("unchecked")
    private boolean gather(List<T> batch) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        long quietNanos = lingerNanos / 4;
        List<Object> arrived = new ArrayList<>();
        boolean stop = false;
        while (batch.size() < maxBatch && !stop) {
            arrived.clear();
            queue.drainTo(arrived, maxBatch - batch.size());
            if (arrived.isEmpty()) {
                long left = deadline - System.nanoTime();
                Object next = left > 0 ? queue.poll(Math.min(left, quietNanos), TimeUnit.NANOSECONDS) : null;
                if (next == null) {
                    return false;
                }
                arrived.add(next);
            }
            for (Object item : arrived) {
                if (item == STOP) {
                    stop = true;
                } else {
                    batch.add((T) item);
                }
            }
        }
        return stop;
    }

    /** Writes what is queued, then stops the writer; later items are refused by {@link #offer}. */
    @Override
    public void close() {
        queue.add(STOP);
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
