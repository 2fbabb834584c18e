package dev.recon.plan;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.spi.Engine;
import java.util.List;
import java.util.Optional;

/**
 * One side's table as its engine plans it ({@link PlanTables#table}): what the one
 * {@link MappingPipeline} asks of a table, whatever engine holds it. A method of a target (soft
 * deletes, writes) or of a source (its filter, its key's uniqueness, its reads) is asked of the
 * table on that side only.
 */
public interface PlanTable {
    Engine engine();

    ConnectionConfig connection();

    /** Its columns and unique keys as recon's checks and reports list them. */
    TableInfo info();

    /** The table as its engine's SQL names it. */
    default String sqlName() {
        return info().sqlName();
    }

    /**
     * Null when a table without a key is compared as a multiset of its columns on this side;
     * else what it is, for the refusal ({@code "a source of this engine"}).
     */
    default String keyedOnly(Side side) {
        return null;
    }

    /**
     * The type a target column's values are compared in by its own engine's rules (of every
     * pair whose rules ask the target), or empty when {@code check} holds the problem.
     */
    Optional<ValueType> comparedIn(MappingCheck check, String section, ColumnInfo column);

    /**
     * A source expression over this table described as a column of its result's type (named by
     * the expression), for pair rules that need the source's type; empty, with a problem of
     * {@code check}, when the engine refuses it or cannot describe expressions.
     */
    default Optional<ColumnInfo> describe(MappingCheck check, String section, String expression) {
        check.problem(section + ": source expression '" + expression + "' over " + info().displayName() + ": "
                + engine().label() + " source expressions are not supported into this target yet (map a column,"
                + " or a view's)");
        return Optional.empty();
    }

    /**
     * A column of this table read as the canonical text of PostgreSQL type {@code type}
     * ({@code format_type}'s spelling), by this engine's value rules: the read of a pair whose
     * rules belong to the other side's engine and whose other side prints that type's text too.
     * Empty, with a problem of {@code check} naming the pair ({@code what}), when no exact rule
     * reads it so; an engine whose sides read by the {@link ColumnMapping} alone has none.
     */
    default Optional<ColumnRead> readAs(MappingCheck check, String section, String column, String type,
            String what) {
        check.problem(section + ": " + what + ": " + engine().label() + " reads no column as another engine's"
                + " type yet");
        return Optional.empty();
    }

    /**
     * The PostgreSQL type ({@code format_type}'s spelling) whose canonical text column {@code column}
     * of this table is compared in when the other side's engine reads its values as that type
     * ({@link #readAs}); null when this engine has no such counterpart for it.
     */
    default String counterpartType(String column) {
        return null;
    }

    /**
     * False for a table without a catalog of constraints (files read as a table): its key is not
     * checked against a unique constraint when it is a target; the merge checks it as it reads
     * (two rows of one key end the comparison), and the hash, which would not see two rows of
     * one key in buckets that sum alike on both sides, is refused.
     */
    default boolean constrained() {
        return true;
    }

    /**
     * True when this table can be a target with a slice ({@code target.where}): its side reads the
     * slice's rows, reads any row by key without it (the slice's edges), and its writer writes
     * only rows in the slice.
     */
    default boolean sliceable() {
        return false;
    }

    /** A source's filter is one condition its engine accepts on this table, or a problem of {@code check}. */
    void checkWhere(MappingCheck check, String where);

    /** A target's soft-delete marker, checked; empty when the mapping deletes otherwise. */
    Optional<SoftDelete> softDelete(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns);

    /** A target a sync writes: every mapped column can be written, and the role may write it. */
    void checkWritable(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft);

    /** True when the source's catalog proves that no two of its rows have one key. */
    boolean keyUnique(MappingCheck check, List<ColumnMapping> keys);

    /** A source compared across servers reads its values in the pair's types: each read works on its server. */
    default void checkReads(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns) {
    }

    /**
     * The side's plan: {@code reads} and {@code names} are this side's, keys first, in the
     * plan's order (a read is null where the side reads by the {@link ColumnMapping} alone);
     * {@code where} is a source's filter, {@code soft} a target's marker.
     */
    SidePlan side(Side side, List<ColumnRead> reads, List<String> names, int keys, Optional<String> where,
            Engine other, Optional<SoftDelete> soft);
}
