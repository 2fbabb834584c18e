package dev.recon.catalog;

/**
 * A live column: its SQL type as {@code format_type} spells it (with modifiers, e.g.
 * {@code numeric(12,2)}), the type's oid and category, and what sync must know to write it;
 * {@code writeType} is the type's quoted name without modifiers; {@code collation} the
 * column's collation, quoted, when its type is collatable (null otherwise).
 */
public record ColumnInfo(
        String name,
        String type,
        long typeOid,
        String typeCategory,
        boolean notNull,
        boolean hasDefault,
        boolean generated,
        int typmod,
        String writeType,
        String collation,
        boolean collationDeterministic) {

    /** A column described by its type's name alone (tests, or a catalog not at hand). */
    public ColumnInfo(String name, String type, long typeOid, String typeCategory, boolean notNull,
            boolean hasDefault, boolean generated) {
        this(name, type, typeOid, typeCategory, notNull, hasDefault, generated, -1, type, null, true);
    }
}
