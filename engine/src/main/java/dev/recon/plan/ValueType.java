package dev.recon.plan;

/**
 * How values of one mapped column are compared, hashed and written, decided once from the
 * target column's type. {@code compareType} is the type both sides are compared in: the
 * target's type, its base type for a domain, {@code text} for an enum, and the type without
 * its length limit for {@code varchar(n)} and {@code bit(n)} (an explicit cast would cut a
 * longer value to fit and make it look equal). {@code writeType} is what written text is cast
 * to, without modifiers, so that the column's own assignment rules apply: a value too long,
 * out of range or with too many digits fails that row instead of being cut or wrapped.
 */
public record ValueType(
        String compareType,
        boolean castTarget,
        String writeType,
        Equality equality,
        Kind kind,
        boolean hashByText,
        int padTo) {

    /** How two values are decided equal. */
    public enum Equality {
        /** By the type's own equality ({@code IS NOT DISTINCT FROM}). */
        VALUE,
        /** The type has no equality operator (json, xml, point): by its text. */
        TEXT
    }

    /** What an engine-side comparison of the two values' text may conclude. */
    public enum Kind {
        /** smallint, integer, bigint: compared as numbers. */
        INTEGER,
        /** numeric: compared by value (1.5 = 1.50; NaN = NaN; infinities). */
        NUMERIC,
        /** real, double precision: by value (-0 = 0, NaN = NaN). */
        FLOAT,
        /** Equal values have equal text and unequal values unequal text. */
        CANONICAL,
        /**
         * Equal values may print differently (interval '1 day' and '24 hours', jsonb 1.0 and
         * 1.00, citext 'A' and 'a', arrays and ranges of such): text that differs is asked of
         * the target server's equality.
         */
        OTHER
    }

    /** A type known only by name (no catalog at hand): compared, written and hashed as is. */
    public static ValueType plain(String type) {
        return new ValueType(type, false, type, Equality.VALUE, Kind.CANONICAL, false, 0);
    }

    /**
     * How values compared in PostgreSQL type {@code type} (as {@code format_type} spells it) are
     * told equal when no PostgreSQL server holds the target column and every side prints the
     * type's canonical text: integers and numerics by value, floats by value, jsonb by the
     * PostgreSQL source's equality, every other type by its text, which is canonical for it.
     */
    public static ValueType canonical(String type) {
        String t = type.toLowerCase(java.util.Locale.ROOT);
        Kind kind = java.util.Set.of("smallint", "integer", "bigint").contains(t) ? Kind.INTEGER
                : t.startsWith("numeric") ? Kind.NUMERIC
                : t.equals("double precision") || t.equals("real") ? Kind.FLOAT
                // equal documents print differently: the PostgreSQL side's jsonb equality decides
                : t.equals("jsonb") ? Kind.OTHER
                : Kind.CANONICAL;
        return new ValueType(type, false, type, Equality.VALUE, kind, true, 0);
    }

    /** The same type, decided by the target server whenever text differs (a column under a nondeterministic collation). */
    public ValueType askingTheTarget() {
        return kind == Kind.OTHER || equality == Equality.TEXT ? this
                : new ValueType(compareType, castTarget, writeType, equality, Kind.OTHER, hashByText, padTo);
    }

    /**
     * The same type compared by its text, byte for byte, when equal values may print
     * differently: a keyless table's key part, where joining, numbering copies, sorting and
     * hashing must all agree on what one row is.
     */
    public ValueType byItsTextWhenAmbiguous() {
        return kind != Kind.OTHER ? this
                : new ValueType(compareType, castTarget, writeType, Equality.TEXT, Kind.CANONICAL, true, padTo);
    }

    /** True when text that differs may still be equal in the type, so the target server must decide. */
    public boolean textMayDiffer() {
        return kind == Kind.OTHER && equality == Equality.VALUE;
    }
}
