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
 * thread waiting for each side's next fetch in turn. Memory stays flat: at most
 * {@code BATCHES} batches of {@code BATCH} rows wait. A failure while reading is thrown by
 * {@link #hasNext} on the merge's thread. {@link #close} stops the reader and waits for it, so
 * that the result set may then be closed on the merge's thread.
 */
final class Prefetched implements Iterator<SideRow>, AutoCloseable {
    private static final int BATCH = 1_000;
    private static final int BATCHES = 4;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(BATCHES);
    private final Thread reader;
    private volatile boolean stopped;
    private List<SideRow> batch = List.of();
    private int position;
    private boolean done;

    Prefetched(Iterator<SideRow> rows, String name) {
        reader = new Thread(() -> read(rows), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Iterator<SideRow> rows) {
        try {
            List<SideRow> next = new ArrayList<>(BATCH);
            while (!stopped && rows.hasNext()) {
                next.add(rows.next());
                if (next.size() == BATCH) {
                    put(next);
                    next = new ArrayList<>(BATCH);
                }
            }
            if (!next.isEmpty()) {
                put(next);
            }
            put(END);
        } catch (RuntimeException | Error e) {
            put(e);
        }
    }

    /** Hands over one item, unless the merge stopped listening. */
    private void put(Object item) {
        try {
            while (!stopped) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (position == batch.size()) {
            if (done) {
                return false;
            }
            Object item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for rows", e);
            }
            if (item == END) {
                done = true;
                return false;
            }
            if (item instanceof RuntimeException e) {
                done = true;
                throw e;
            }
            if (item instanceof Error e) {
                done = true;
                throw e;
            }
            batch = (List<SideRow>) item;
            position = 0;
        }
        return true;
    }

    @Override
    public SideRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.get(position++);
    }

    /** Stops the reader (after the fetch it is in) and waits for it to end. */
    @Override
    public void close() {
        stopped = true;
        queue.clear();
        boolean interrupted = false;
        while (reader.isAlive()) {
            try {
                reader.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
