package dev.recon.engines.mariadb;

import com.google.common.util.concurrent.RateLimiter;
import dev.recon.apply.RowWriter;
import dev.recon.apply.Writers;
import dev.recon.base.Progress;
import dev.recon.connect.Databases;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.Strategies;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.plan.MappingPlan;
import java.sql.Connection;
import java.util.function.LongConsumer;

/** MariaDB's join of two tables on one server, and its writer (batches, LOAD DATA for many inserts). */
final class MariaDbStrategies implements Strategies, Writers {
    static final MariaDbStrategies INSTANCE = new MariaDbStrategies();

    /** With {@code --key}: the merge's read of those keys (the join would read every row). */
    @Override
    public DiffStrategy join(Databases databases, MappingPlan plan, Progress progress) {
        return plan.onlyKeys().isEmpty() ? new MariaDbJoinDiff(databases) : new MergeDiff(databases, progress);
    }

    @Override
    public RowWriter writer(MappingPlan plan, Connection connection, int batchSize, int copyThreshold,
            LongConsumer progress, RateLimiter throttle, RowWriter.CommitHook onCommit) {
        return new MariaDbWriter(plan, connection, batchSize, progress, throttle).onCommit(onCommit);
    }
}
