package dev.recon.catalog;

/**
 * A live column: its SQL type as {@code format_type} spells it (with modifiers, e.g.
 * {@code numeric(12,2)}), the type's oid and category, and what sync must know to write it.
 */
public record ColumnInfo(
        String name,
        String type,
        long typeOid,
        String typeCategory,
        boolean notNull,
        boolean hasDefault,
        boolean generated) {
}
