package dev.recon.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One mapping as written in the mapping file. {@code key} and {@code columns} map a source
 * column (or, for columns, a source SQL expression) to a target column, in file order.
 * {@code sharedColumns} is set when the file gives no {@code columns}: every column both
 * tables have by name is mapped (found when planning; {@code rename} maps a source column to
 * a target column of another name on top); {@code columns: {}} maps none. {@code group} is
 * the schema entry a table's mapping came from, null for a mapping of its own.
 */
public record MappingConfig(
        String name,
        TableRef source,
        TableRef target,
        Map<String, String> key,
        Map<String, String> columns,
        List<String> compare,
        DeletePolicy deletes,
        Set<Operation> skip,
        Strategy strategy,
        WriteSettings writes,
        boolean sharedColumns,
        Map<String, String> rename,
        String group,
        Map<String, ColumnRule> rules,
        Set<String> tableRules) {

    public MappingConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        compare = List.copyOf(compare);
        Objects.requireNonNull(deletes, "deletes");
        skip = Set.copyOf(skip);
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(writes, "writes");
        rename = Collections.unmodifiableMap(new LinkedHashMap<>(rename));
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        tableRules = Set.copyOf(tableRules);
    }

    /**
     * True when the rule of {@code column} was named for this table itself (a mapping's own
     * rule, a schema entry's override): it must apply. A schema entry's own rules apply to
     * the tables that have the column, with a key, and are passed over elsewhere.
     */
    public boolean ruleMustApply(String column) {
        return tableRules.contains(column);
    }
}
