package dev.recon.catalog;

import dev.recon.sql.Sql;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A live table: its columns in order, the column sets of its primary key and unique
 * constraints, and whether {@code TABLESAMPLE} reads it (tables and materialized views; not
 * views or foreign tables).
 */
public record TableInfo(String schema, String name, List<ColumnInfo> columns, List<Set<String>> uniqueKeys,
        boolean sampleable) {
    public TableInfo {
        columns = List.copyOf(columns);
        uniqueKeys = List.copyOf(uniqueKeys);
    }

    public TableInfo(String schema, String name, List<ColumnInfo> columns, List<Set<String>> uniqueKeys) {
        this(schema, name, columns, uniqueKeys, true);
    }

    /** The schema-qualified, quoted name for SQL text. */
    public String sqlName() {
        return Sql.quote(schema, name);
    }

    /** {@code schema.name}; the name alone for a relation without a schema (a file an engine reads as a table). */
    public String displayName() {
        return schema.isEmpty() ? name : schema + "." + name;
    }

    /**
     * A column by the name a person wrote: the exact name first, then, as PostgreSQL does
     * for unquoted identifiers, the lower-cased name.
     */
    public Optional<ColumnInfo> column(String written) {
        for (ColumnInfo c : columns) {
            if (c.name().equals(written)) {
                return Optional.of(c);
            }
        }
        String folded = written.toLowerCase(Locale.ROOT);
        return columns.stream().filter(c -> c.name().equals(folded)).findFirst();
    }

    /** True when a primary key or unique constraint covers exactly these columns. */
    public boolean isUniqueOn(Set<String> columnNames) {
        return uniqueKeys.contains(columnNames);
    }
}
