package dev.recon.engines.postgres;

import dev.recon.base.Side;
import dev.recon.catalog.Catalog;
import dev.recon.catalog.TableInfo;
import dev.recon.diff.SideQuery;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.spi.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.core.BaseConnection;

/** A PostgreSQL side: its reads are {@link SideQuery}'s, the values cast to the target's types on the server. */
record PostgresSide(Engine engine, Side side, TableInfo table) implements SidePlan {
    @Override
    public String sqlName() {
        return table.sqlName();
    }

    @Override
    public String ordered(MappingPlan plan) {
        return new SideQuery(plan, side).ordered();
    }

    @Override
    public String canonicalSummary(MappingPlan plan, long mask, boolean integerKey, List<Integer> hashed) {
        return new SideQuery(plan, side).canonicalSummary(mask, integerKey, hashed);
    }

    @Override
    public String orderedInBuckets(MappingPlan plan, long mask, boolean integerKey, List<Long> buckets) {
        return new SideQuery(plan, side).orderedInBuckets(mask, integerKey, buckets);
    }

    /** {@code pg_stats}' histogram of the column, with its live minimum and maximum when an index leads with it. */
    @Override
    public List<java.math.BigDecimal> keyHistogram(Connection connection, String column) throws SQLException {
        return dev.recon.diff.hash.KeyHistogram.read(connection, table.schema(), table.name(), column)
                .map(dev.recon.diff.hash.KeyHistogram::points).orElse(List.of());
    }

    /**
     * pgjdbc hands a text column's value to {@code getBytes} as the server sent it, in the
     * connection's client encoding: UTF-8 unless {@code allowEncodingChanges} let it change.
     */
    @Override
    public boolean readsTextAsUtf8(Connection connection) throws SQLException {
        return connection.isWrapperFor(BaseConnection.class)
                && connection.unwrap(BaseConnection.class).getEncoding().name().equals("UTF-8");
    }

    /** The planner's statistics ({@code reltuples}); a table never analyzed is counted. */
    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        return Catalog.estimatedOrCounted(connection, table.sqlName());
    }

    @Override
    public String isMarked(SoftDelete soft) {
        return soft.isMarked();
    }
}
