package dev.recon.apply;

import com.google.common.util.concurrent.RateLimiter;
import dev.recon.plan.MappingPlan;
import java.sql.Connection;
import java.util.function.LongConsumer;

/** An engine's writer of a sync's changes into a target of its own, offered through {@code Engine.feature(Writers.class)}. */
public interface Writers {
    /**
     * A writer into {@code plan}'s target on {@code connection}: batches of {@code batchSize}
     * rows, a bulk path from {@code copyThreshold} inserts where the engine has one, each
     * batch's rows told to {@code progress}, at most {@code throttle}'s rate (null: no limit),
     * {@code onCommit} run inside each batch's transaction.
     */
    RowWriter writer(MappingPlan plan, Connection connection, int batchSize, int copyThreshold, LongConsumer progress,
            RateLimiter throttle, RowWriter.CommitHook onCommit);
}
