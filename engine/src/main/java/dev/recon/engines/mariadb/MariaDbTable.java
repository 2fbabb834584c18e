package dev.recon.engines.mariadb;

import java.util.List;
import java.util.Optional;

/**
 * A MariaDB or MySQL table: its columns in order, its primary key and its other unique keys
 * (each a list of column names in key order), its engine ({@code InnoDB}, …).
 */
public record MariaDbTable(String schema, String name, String kind, String engine, List<MariaDbColumn> columns,
        List<String> primaryKey, List<List<String>> uniqueKeys) {

    public MariaDbTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }

    public Optional<MariaDbColumn> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .or(() -> columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst());
    }

    /** {@code `schema`.`name`}. */
    public String sqlName() {
        return MariaDbSql.quote(schema) + "." + MariaDbSql.quote(name);
    }

    public String displayName() {
        return schema + "." + name;
    }

    /**
     * True when these columns (exactly, in any order) are the primary key or a unique key,
     * so that no two rows share their values; a key over a case-insensitive text column is
     * unique only as its collation sees it ({@code 'A'} and {@code 'a'} one value).
     */
    public boolean uniqueOn(List<String> keyColumns) {
        if (sameColumns(primaryKey, keyColumns)) {
            return true;
        }
        return uniqueKeys.stream().anyMatch(u -> sameColumns(u, keyColumns)
                && u.stream().allMatch(c -> column(c).map(col -> !col.nullable()).orElse(false)));
    }

    /** The key's text columns whose collation calls different strings equal. */
    public List<String> caseInsensitiveKeyColumns(List<String> keyColumns) {
        return keyColumns.stream().filter(k -> column(k).map(MariaDbColumn::caseInsensitive).orElse(false)).toList();
    }

    private static boolean sameColumns(List<String> a, List<String> b) {
        return !a.isEmpty() && a.size() == b.size() && a.stream().allMatch(x -> b.stream().anyMatch(x::equalsIgnoreCase));
    }
}
