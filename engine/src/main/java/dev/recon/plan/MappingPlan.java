package dev.recon.plan;

import dev.recon.catalog.TableInfo;
import dev.recon.config.ColumnRule;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.Operation;
import dev.recon.config.Strategy;
import dev.recon.config.WriteSettings;
import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A mapping checked against the live tables: resolved columns with their target types,
 * a key that is unique on the target, and the strategy that will compare the two sides.
 * {@code sourceKeyUnique} is set when the source's own catalog proves that no two source
 * rows can share a key (a unique index over exactly the key columns, mapped without a
 * conversion that could make two values one); otherwise the diff checks. {@code writes}
 * are the mapping's own write settings from the mapping file. {@code sourceSide} and
 * {@code targetSide} are each side as its engine reads it ({@link SidePlan}); the tables'
 * columns are listed in {@code sourceTable} and {@code targetTable} whatever the engine.
 * {@code rules} are the comparison rules of compared columns, by target column
 * ({@link ColumnRule}): checked against the columns' types.
 */
public record MappingPlan(
        String name,
        ConnectionConfig sourceConnection,
        TableInfo sourceTable,
        Optional<String> where,
        ConnectionConfig targetConnection,
        TableInfo targetTable,
        Optional<String> targetWhere,
        List<ColumnMapping> keys,
        List<ColumnMapping> columns,
        DeletePolicy deletes,
        Optional<SoftDelete> softDelete,
        Set<Operation> skip,
        Strategy strategy,
        boolean sourceKeyUnique,
        WriteSettings writes,
        List<Map<String, String>> onlyKeys,
        SidePlan sourceSide,
        SidePlan targetSide,
        Map<String, ColumnRule> rules,
        List<String> warnings,
        Optional<KeyRange> range) {

    public MappingPlan {
        warnings = List.copyOf(warnings);
        rules = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(rules));
        onlyKeys = List.copyOf(onlyKeys);
        keys = List.copyOf(keys);
        columns = List.copyOf(columns);
        skip = Set.copyOf(skip);
    }

    /** One side as its engine reads it. */
    public SidePlan side(dev.recon.base.Side side) {
        return side == dev.recon.base.Side.SOURCE ? sourceSide : targetSide;
    }

    /** Keys first, then the other mapped columns: the order of values in a {@code RowChange}. */
    public List<ColumnMapping> allColumns() {
        return Stream.concat(keys.stream(), columns.stream()).toList();
    }

    /**
     * The same plan, comparing only the rows with these keys (target key column to value,
     * every key column named): {@code recon diff --key}.
     */
    public MappingPlan onlyKeys(List<Map<String, String>> wanted) {
        return new MappingPlan(name, sourceConnection, sourceTable, where, targetConnection, targetTable, targetWhere,
                keys, columns,
                deletes, softDelete, skip, strategy, sourceKeyUnique, writes, wanted, sourceSide,
                targetSide, rules, warnings, range);
    }

    /** The same mapping with no target slice: what the target holds under any key (the slice's edges). */
    public MappingPlan withoutTargetSlice() {
        return new MappingPlan(name, sourceConnection, sourceTable, where, targetConnection, targetTable,
                Optional.empty(), keys, columns, deletes, softDelete, skip, strategy, sourceKeyUnique, writes, onlyKeys,
                sourceSide, targetSide, rules, warnings, range);
    }

    /**
     * The same mapping, only the rows of key range {@code r}: named after the range
     * ({@link KeyRange#name}), each side reading its rows through the range's condition on its
     * first key column ({@code sourceColumn} and {@code targetColumn}, quoted as their engines
     * quote them).
     */
    public MappingPlan inRange(KeyRange r, String sourceColumn, String targetColumn) {
        String sourceCondition = r.condition(sourceColumn, nullable(true));
        String targetCondition = r.condition(targetColumn, nullable(false));
        return new MappingPlan(r.name(), sourceConnection, sourceTable, where, targetConnection, targetTable,
                targetWhere, keys, columns, deletes, softDelete, skip, strategy, sourceKeyUnique, writes, onlyKeys,
                sourceSide.within(sourceCondition), targetSide.within(targetCondition), rules,
                warnings, Optional.of(new KeyRange(r.mapping(), r.index(), r.count(), r.lo(), r.hi())));
    }

    /** The mapping this plan belongs to: its own name, or the name of the mapping a key range was cut from. */
    public String mapping() {
        return range.map(KeyRange::mapping).orElse(name);
    }

    /** The source's filter: {@code where} and a key range's condition, or empty for every row. */
    public Optional<String> sourceFilter() {
        return both(where, range.map(r -> r.condition(rangeColumn(true), nullable(true))));
    }

    /** True unless the side's catalog says the first key column is NOT NULL. */
    private boolean nullable(boolean source) {
        var column = source ? sourceTable.column(keys.get(0).sourceLabel())
                : targetTable.column(keys.get(0).targetColumn());
        return column.map(c -> !c.notNull()).orElse(true);
    }

    /** The target's filter: {@code target.where} and a key range's condition, or empty for every row. */
    public Optional<String> targetFilter() {
        return both(targetWhere, range.map(r -> r.condition(rangeColumn(false), nullable(false))));
    }

    private String rangeColumn(boolean source) {
        return source ? sourceSide.engine().quote(keySourceColumn()) : targetSide.engine().quote(keys.get(0)
                .targetColumn());
    }

    /** The source column of the first key (a key range is cut only where it is a column, not an expression). */
    public String keySourceColumn() {
        String label = keys.get(0).sourceLabel();
        return sourceTable.column(label).map(c -> c.name()).orElse(label);
    }

    private static Optional<String> both(Optional<String> a, Optional<String> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : Optional.of("(" + a.get() + ") AND " + b.get());
    }

    /**
     * SQL that keeps only the rows of {@link #onlyKeys} on one side (key expressions in the
     * comparison type, values as typed literals), or null when every row is compared.
     */
    public String keyFilter(boolean source) {
        if (onlyKeys.isEmpty()) {
            return null;
        }
        List<String> any = new ArrayList<>();
        for (Map<String, String> key : onlyKeys) {
            List<String> all = new ArrayList<>();
            for (ColumnMapping k : keys) {
                String v = key.get(k.targetColumn());
                String ref = source ? k.sourceValue() : k.targetValue();
                all.add(v == null ? ref + " IS NULL"
                        : ref + " = " + Sql.typedLiteral(v, k.type().compareType()));
            }
            any.add("(" + String.join(" AND ", all) + ")");
        }
        return "(" + String.join(" OR ", any) + ")";
    }

    /** True when a key column of the target lets a key be NULL, so keys with NULLs must match NULLs. */
    public boolean nullableKeys() {
        return keys.stream().anyMatch(ColumnMapping::targetNullable);
    }

    /**
     * True for a table without a key, compared as a multiset of its mapped columns: every
     * mapped column is a key part, and the last is the copy number
     * ({@link ColumnMapping#copyNumber}); there are no other columns and no updates.
     */
    public boolean multiset() {
        return !keys.isEmpty() && keys.get(keys.size() - 1).isCopyNumber();
    }

    /** The key parts that are columns of the tables (all but a multiset's copy number). */
    public List<ColumnMapping> keyColumns() {
        return multiset() ? keys.subList(0, keys.size() - 1) : keys;
    }

    public boolean applies(Operation op) {
        return !skip.contains(op);
    }

    /** True when the mapping acts on rows that are gone from the source (deletes or soft deletes them). */
    public boolean deletesApply() {
        return applies(Operation.DELETE) && !(deletes instanceof DeletePolicy.Ignore);
    }
}
