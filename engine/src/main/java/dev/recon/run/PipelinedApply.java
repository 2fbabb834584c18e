package dev.recon.run;

import dev.recon.apply.CopyTextLoads;
import dev.recon.base.StopSignal;
import dev.recon.result.ApplyResult;
import dev.recon.result.RowChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * An initial load's writer, on a thread of its own so that reading the source and writing
 * the target overlap. The reader adds each new row twice — as the COPY text line the source
 * wrote and as a {@link RowChange} — and every {@code batchSize} rows the batch travels
 * through a short queue (memory stays bounded) to {@link CopyTextLoads.CopyTextLoad#loadCopyText}, which
 * COPYs the lines as they are and commits. The writer stops between batches when the stop
 * signal is raised or the reader gives up.
 */
final class PipelinedApply implements AutoCloseable {
    private static final int QUEUED_BATCHES = 3;

    /** The lines stay the small arrays the driver read them into: no copying, no humongous buffer for the GC. */
    private record Batch(List<byte[]> lines, List<RowChange> rows) {
    }

    private static final Batch END = new Batch(List.of(), List.of());

    private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private final FutureTask<ApplyResult> task;
    private final Thread thread;
    private final int batchSize;
    private volatile boolean abandoned;
    private List<byte[]> lines = new ArrayList<>();
    private List<RowChange> rows = new ArrayList<>();

    PipelinedApply(CopyTextLoads.CopyTextLoad writer, int batchSize, StopSignal stop, String name) {
        this.batchSize = batchSize;
        task = new FutureTask<>(() -> {
            while (true) {
                Batch next = queue.take();
                if (next == END) {
                    return writer.finish();
                }
                if (stop.requested() || abandoned) {
                    return writer.committed();
                }
                writer.loadCopyText(next.lines(), next.rows());
            }
        });
        thread = new Thread(task, "recon-apply-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Adds one row; false when the writer has ended (stopped or failed) and takes no more. */
    boolean add(byte[] line, RowChange row) {
        lines.add(line);
        rows.add(row);
        if (rows.size() < batchSize) {
            return true;
        }
        return handOverBatch();
    }

    private boolean handOverBatch() {
        Batch batch = new Batch(lines, rows);
        lines = new ArrayList<>(batchSize);
        rows = new ArrayList<>(batchSize);
        return handOver(batch);
    }

    private boolean handOver(Batch batch) {
        try {
            while (!queue.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                if (task.isDone()) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandoned = true;
            return false;
        }
    }

    /**
     * Waits for the writer to apply what it was given (all of it, unless it stopped) and
     * returns what committed; rethrows the writer's error.
     */
    ApplyResult finish() {
        if (!rows.isEmpty()) {
            handOverBatch();
        }
        handOver(END);
        return result();
    }

    /** Tells the writer to stop after its batch in flight and returns what committed (the reader failed). */
    ApplyResult abandon() {
        endNow();
        return result();
    }

    /** Tells the writer to take nothing more: the queued batches are dropped, the one in flight finishes. */
    private void endNow() {
        abandoned = true;
        queue.clear();
        queue.offer(END);
    }

    private ApplyResult result() {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the writes", e);
        }
    }

    @Override
    public void close() {
        if (!task.isDone()) {
            endNow();
            try {
                thread.join(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
