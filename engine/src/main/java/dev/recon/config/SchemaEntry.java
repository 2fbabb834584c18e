package dev.recon.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A mapping file entry that names schemas instead of tables: it stands for one mapping per
 * source table matching {@code tables} and none of {@code exclude} (glob patterns), named
 * {@code name.table}, each mapped to the same-named target table unless an override says
 * otherwise. {@code deletes}, {@code skip}, {@code strategy} and {@code writes} apply to
 * every table; {@code overrides} (by source table name) change one table's mapping.
 * {@code rules} (by target column) apply to every table that has the column; an override's
 * rules replace the entry's for the columns they name.
 */
public record SchemaEntry(String name, String sourceConnection, String sourceSchema, String targetConnection,
        String targetSchema, List<String> tables, List<String> exclude, DeletePolicy deletes, Set<Operation> skip,
        Strategy strategy, WriteSettings writes, Map<String, Override> overrides, Map<String, ColumnRule> rules) {
    public SchemaEntry {
        rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        tables = List.copyOf(tables);
        exclude = List.copyOf(exclude);
        skip = Set.copyOf(skip);
        overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /**
     * One table's changes: another target table, an explicit key or columns (which replace
     * discovery and name matching), renamed columns (source to target, on top of same-name
     * matching), a filter, the columns that decide "changed". {@code keyless} ({@code key:
     * none}) compares the table as a multiset even when the target has a key.
     */
    public record Override(Optional<String> targetTable, Map<String, String> key, boolean keyless,
            Optional<Map<String, String>> columns, Map<String, String> rename, Optional<String> where,
            List<String> compare, Map<String, ColumnRule> rules) {
        public static final Override NONE = new Override(Optional.empty(), Map.of(), false, Optional.empty(), Map.of(),
                Optional.empty(), List.of(), Map.of());

        public Override {
            key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
            columns = columns.map(c -> Collections.unmodifiableMap(new LinkedHashMap<>(c)));
            rename = Collections.unmodifiableMap(new LinkedHashMap<>(rename));
            compare = List.copyOf(compare);
            rules = Collections.unmodifiableMap(new LinkedHashMap<>(rules));
        }
    }
}
