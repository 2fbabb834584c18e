package dev.recon.apply;

import com.google.common.util.concurrent.RateLimiter;
import dev.recon.config.Operation;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ApplyResult;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A writer that buffers inserts and updates apart from deletes, and writes a buffer as one
 * batch when it holds {@code batchSize} changes (and what is left at the end), at most at
 * {@code throttle}'s rate: each batch by {@link IsolatingWriter#commitOrSplit}.
 */
public abstract class BufferingWriter extends IsolatingWriter {
    private final int batchSize;
    private final LongConsumer progress;
    private final RateLimiter throttle;
    private final List<RowChange> upserts = new ArrayList<>();
    private final List<RowChange> deletes = new ArrayList<>();

    protected BufferingWriter(MappingPlan plan, Connection connection, int batchSize, LongConsumer progress,
            RateLimiter throttle) {
        super(plan, connection);
        this.batchSize = batchSize;
        this.progress = progress;
        this.throttle = throttle;
    }

    @Override
    public void accept(RowChange change) {
        List<RowChange> buffer = change.operation() == Operation.DELETE ? deletes : upserts;
        buffer.add(change);
        if (buffer.size() >= batchSize) {
            flush(buffer);
        }
    }

    @Override
    public ApplyResult finish() {
        flush(upserts);
        flush(deletes);
        return committed();
    }

    private void flush(List<RowChange> buffer) {
        if (buffer.isEmpty()) {
            return;
        }
        List<RowChange> batch = List.copyOf(buffer);
        buffer.clear();
        if (throttle != null) {
            throttle.acquire(batch.size());
        }
        apply(batch, batch.get(0).operation() != Operation.DELETE);
        progress.accept(batch.size());
    }

    private void apply(List<RowChange> batch, boolean upsert) {
        commitOrSplit(batch, upsert, half -> apply(half, upsert));
    }
}
