package dev.recon.engines.postgres;

import com.google.common.util.concurrent.RateLimiter;
import dev.recon.apply.CopyTextLoads;
import dev.recon.apply.RowWriter;
import dev.recon.apply.Writers;
import dev.recon.base.Progress;
import dev.recon.connect.Databases;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.Strategies;
import dev.recon.diff.load.CopyTextReads;
import dev.recon.diff.hash.HashDiff;
import dev.recon.diff.join.JoinDiff;
import dev.recon.plan.MappingPlan;
import java.sql.Connection;
import java.util.function.LongConsumer;

/** PostgreSQL's join and own hash, and its writer (batches, COPY for many inserts). */
final class PostgresStrategies implements Strategies, Writers, CopyTextLoads, CopyTextReads {
    static final PostgresStrategies INSTANCE = new PostgresStrategies();

    @Override
    public DiffStrategy join(Databases databases, MappingPlan plan, Progress progress) {
        return new JoinDiff(databases);
    }

    @Override
    public DiffStrategy hash(Databases databases) {
        return new HashDiff(databases);
    }

    @Override
    public RowWriter writer(MappingPlan plan, Connection connection, int batchSize, int copyThreshold,
            LongConsumer progress, RateLimiter throttle, RowWriter.CommitHook onCommit) {
        return new BatchWriter(plan, connection, batchSize, copyThreshold, progress, throttle).onCommit(onCommit);
    }

    @Override
    public CopyTextLoad loader(MappingPlan plan, Connection connection, int batchSize, int copyThreshold,
            LongConsumer progress, RowWriter.CommitHook onCommit) {
        return new BatchWriter(plan, connection, batchSize, copyThreshold, progress, null).onCommit(onCommit);
    }

    @Override
    public Lines open(Databases databases, MappingPlan plan) {
        return SourceCopy.open(databases, plan);
    }
}
