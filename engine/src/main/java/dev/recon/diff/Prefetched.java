package dev.recon.diff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A side's rows read on a thread of their own, a few batches ahead of the merge: each side's
 * driver decodes its rows while the other's does and while the merge compares, instead of one
 * thread waiting for each side's next fetch in turn.
 *
 * <p>Memory stays flat: at most {@code BATCHES} batches wait, each of at most {@code BATCH}
 * rows or {@code BATCH_BYTES} bytes of values, whichever comes first (wide rows make short
 * batches). A failure while reading (anything thrown, after the rows read before it) is thrown
 * by {@link #hasNext} on the merge's thread; a reader that ended without a word is one too.
 * {@link #close} stops the reader and waits for it, after a moment cancelling the fetch it is
 * in ({@code cancel}), so that the result set may then be closed on the merge's thread.
 */
final class Prefetched implements Iterator<SideRow>, AutoCloseable {
    static final int BATCH = 1_000;
    static final long BATCH_BYTES = 1 << 20;
    static final int BATCHES = 4;
    /** How long {@link #close} lets a reader finish its fetch before it cancels it. */
    private static final long GRACE_MS = 200;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private final Runnable cancel;
    private volatile boolean stopped;
    private List<SideRow> batch = List.of();
    private int position;
    private boolean done;

    /** @param cancel stops the fetch a reader may be waiting in (a statement's cancel), when closing early */
    Prefetched(Iterator<SideRow> rows, String name, Runnable cancel) {
        this.cancel = cancel;
        reader = new Thread(() -> read(rows), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Iterator<SideRow> rows) {
        List<SideRow> next = new ArrayList<>(BATCH);
        try {
            long bytes = 0;
            while (!stopped && rows.hasNext()) {
                SideRow row = rows.next();
                next.add(row);
                bytes += row.bytes();
                if (next.size() == BATCH || bytes >= BATCH_BYTES) {
                    put(next);
                    next = new ArrayList<>(BATCH);
                    bytes = 0;
                }
            }
            if (!next.isEmpty()) {
                put(next);
            }
            put(END);
        } catch (Throwable e) {
            // the rows read before the failure first: the merge meets them, then the failure
            if (!next.isEmpty()) {
                put(next);
            }
            put(e);
        }
    }

    /** Hands over one item, unless the merge stopped listening; never drops one otherwise. */
    private void put(Object item) {
        while (!stopped) {
            try {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                // nothing interrupts a reader but a stop: the merge hears of it rather than miss rows
                stopped = true;
                queue.clear();
                queue.offer(new IllegalStateException("reading ahead was interrupted", e));
                return;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (position == batch.size()) {
            if (done) {
                return false;
            }
            Object item = take();
            if (item == END) {
                done = true;
                return false;
            }
            if (item instanceof Throwable e) {
                done = true;
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                if (e instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getMessage(), e);
            }
            batch = (List<SideRow>) item;
            position = 0;
        }
        return true;
    }

    private Object take() {
        try {
            while (true) {
                Object item = queue.poll(100, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (!reader.isAlive() && queue.isEmpty()) {
                    throw new IllegalStateException(reader.getName() + " ended without its last rows");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for rows", e);
        }
    }

    @Override
    public SideRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.get(position++);
    }

    /** Stops the reader and waits for it to end, cancelling its fetch if it is still in one after a moment. */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        boolean interrupted = false;
        boolean cancelled = false;
        while (reader.isAlive()) {
            try {
                reader.join(cancelled ? 0 : GRACE_MS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (reader.isAlive() && !cancelled) {
                cancelled = true;
                try {
                    cancel.run();
                } catch (RuntimeException e) {
                    // the reader still ends with its fetch
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
