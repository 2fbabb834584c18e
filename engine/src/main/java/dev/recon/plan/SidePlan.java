package dev.recon.plan;

import dev.recon.spi.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Consumer;

/**
 * One side of a checked mapping as its engine reads it: what the strategies across servers,
 * the runners and the reports ask of a side, so that none of them asks which engine holds it.
 * Its engine's {@link PlanTable} makes it. Every read prints each mapped column as the
 * canonical text recon compares (keys first, in the plan's order), then a flag that is true for
 * a soft-deleted row.
 */
public interface SidePlan {
    /** The engine of the side's connection. */
    Engine engine();

    /** The side's table as its engine's SQL names it. */
    String sqlName();

    /** Every row, in key order; only the rows of {@code plan.onlyKeys()} when some are given. */
    String ordered(MappingPlan plan);

    /**
     * Per bucket of the key under {@code mask}: the bucket, the row count and the XOR of the
     * first 64 bits of the MD5 of each row's canonical tokens of columns {@code hashed}
     * (soft-deleted rows left out): what the hash across engines compares.
     */
    String canonicalSummary(MappingPlan plan, long mask, boolean integerKey, List<Integer> hashed);

    /** The rows of these buckets (under {@code mask}), as {@link #ordered} reads them, in key order. */
    String orderedInBuckets(MappingPlan plan, long mask, boolean integerKey, List<Long> buckets);

    /** About how many rows the side holds, by its engine's statistics (0 when it looks empty, -1 unknown). */
    long estimatedRows(Connection connection) throws SQLException;

    /**
     * Whether this side's driver, on {@code connection}, returns each text column of
     * {@link #ordered}'s result from {@code ResultSet.getBytes} as the UTF-8 bytes of its text
     * (then the merge compares values by their bytes and makes strings only of those that differ).
     * False (the default) reads them with {@code getString}.
     */
    default boolean readsTextAsUtf8(Connection connection) throws SQLException {
        return false;
    }

    /** A check of each row {@link #ordered} returns (its values), failing the comparison; null for none. */
    default Consumer<String[]> rowCheck(String context) {
        return null;
    }

    /**
     * The mapped columns this side reads in a way its engine's SQL alone does not (converted in
     * recon as they are read, {@link #rowCheck}): the hash across engines cannot sum them as the
     * other side does, and compares by merge instead. Empty for none.
     */
    default List<String> notHashable() {
        return List.of();
    }

    /** What to warn of once a run (keys the side's collation calls equal, say). */
    default List<String> warnings() {
        return List.of();
    }

    /**
     * The same side reading only the rows for which {@code condition} (SQL of the side's engine) also
     * holds: a key range ({@link MappingPlan#inRange}). A side whose reads take their filters from
     * the plan ({@link MappingPlan#sourceFilter}, {@link MappingPlan#targetFilter}) is itself.
     */
    default SidePlan within(String condition) {
        return this;
    }

    /**
     * The first key column's histogram on {@code connection} by the engine's own statistics:
     * ascending whole-number bounds with about equal numbers of rows between neighbours (and the
     * live minimum and maximum first and last where they are cheap), or empty when the engine
     * keeps none. Only where key ranges are cut ({@code split_rows}); it steers their sizes only.
     */
    default java.util.List<java.math.BigDecimal> keyHistogram(Connection connection, String column)
            throws SQLException {
        return java.util.List.of();
    }

    /** SQL, in the side's engine, that is true for a row the mapping's soft-delete marker marks. */
    String isMarked(SoftDelete soft);
}
