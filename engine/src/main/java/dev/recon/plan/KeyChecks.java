package dev.recon.plan;

import static dev.recon.plan.MappingCheck.reason;

import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.MappingConfig;
import dev.recon.db.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Key checks: the key is unique on the target (and, when the source's catalog proves it, on
 * the source), and strategies across servers can pair its values exactly.
 */
public final class KeyChecks {
    private final MappingCheck check;
    private final MappingConfig sync;

    KeyChecks(MappingCheck check) {
        this.check = check;
        this.sync = check.sync;
    }

    private void problem(String text) {
        check.problem(text);
    }

    /**
     * True when no two source rows can have one key: a unique index over exactly the key
     * columns (never on a view), NOT NULL where the target would match NULLs, and each
     * mapped without a conversion that could turn two values into one.
     */
    public boolean sourceKeyUnique(TableInfo source, List<ColumnMapping> keys) {
        Set<String> columns = new HashSet<>();
        for (ColumnMapping k : keys) {
            if (k.sourceIsExpression()) {
                return false;
            }
            ColumnInfo c = source.column(k.sourceLabel()).orElse(null);
            if (c == null || (k.targetNullable() && !c.notNull()) || !injective(c.type(), k)) {
                return false;
            }
            columns.add(c.name());
        }
        return source.isUniqueOn(columns);
    }

    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private boolean injective(String sourceType, ColumnMapping k) {
        if (k.type().kind() == ValueType.Kind.OTHER) {
            return false; // equal values that print differently: 'A' and 'a' under a case-insensitive collation
        }
        String compare = k.type().compareType();
        if (sourceType.equals(compare) || sourceType.equals(k.targetType()) && !k.type().castTarget()
                && k.type().padTo() == 0) {
            return true;
        }
        if (INTEGER_TYPES.contains(sourceType) && INTEGER_TYPES.contains(compare)) {
            return true;
        }
        boolean sourceText = sourceType.equals("text") || sourceType.startsWith("character varying");
        return sourceText && (compare.equals("text") || compare.equals("pg_catalog.\"varchar\""));
    }

    public void checkKeyUnique(TableInfo target, List<ColumnMapping> keys) {
        checkKeyUnique(target, target.sqlName(), keys);
    }

    /** The same; {@code sqlName} is the table as its engine's SQL names it (for the advice). */
    public void checkKeyUnique(TableInfo target, String sqlName, List<ColumnMapping> keys) {
        Set<String> keyColumns = new HashSet<>();
        keys.forEach(k -> keyColumns.add(k.targetColumn()));
        if (!target.isUniqueOn(keyColumns)) {
            problem("key: no primary key or unique constraint on target table " + target.displayName()
                    + " covers exactly (" + String.join(", ", keyColumns.stream().sorted().toList())
                    + "); add one (ALTER TABLE " + sqlName + " ADD UNIQUE (...)) or map the key"
                    + " to the columns of an existing one");
        }
    }

    /**
     * merge and hash pair rows by ordering both sides' keys (numbers by value, the rest by
     * their text's bytes): a key type whose equal values can print differently, or whose
     * values may not fit the target's key type after rounding, cannot be paired that way.
     */
    public void checkKeysOrderable(List<ColumnMapping> keys) {
        // a table without a key: each of its columns is a part of its key
        String section = sync.key().isEmpty() ? "columns (the table has no key, so every column pairs its rows)"
                : "key";
        for (ColumnMapping k : keys) {
            if (k.type().kind() == ValueType.Kind.OTHER) {
                problem("key: target column '" + k.targetColumn() + "' (" + k.targetType() + ") treats some"
                        + " values that print differently as equal (a case-insensitive type or collation,"
                        + " an interval, a json number...), so strategies across servers cannot pair its rows"
                        + " by key exactly; compare on one server (strategy join) or key on a column of"
                        + " another type");
            } else if (k.fit().isPresent() && k.type().kind() == ValueType.Kind.INTEGER
                    && !Set.of("smallint", "integer", "bigint").contains(k.sourceType())) {
                problem(section + ": source '" + k.sourceLabel() + "' (" + k.sourceType() + ") is rounded to the"
                        + " target's " + k.targetType() + " and may not fit it; across servers map it to a"
                        + " whole number that fits, e.g. \"" + k.sourceLabel() + "::" + k.targetType() + "\"");
            } else if (roundsInto(k.sourceType(), k.targetType())) {
                problem(section + ": source '" + k.sourceLabel() + "' (" + k.sourceType() + ") has more fractional"
                        + " digits than the target's " + k.targetType() + ", which rounds them, so two source keys"
                        + " could become one; across servers map a key of the target's scale, e.g. \""
                        + k.sourceLabel() + "::" + k.targetType() + "\", or compare on one server (strategy join)");
            } else if (k.fit().isPresent() && k.type().kind() != ValueType.Kind.INTEGER) {
                problem(section + ": source '" + k.sourceLabel() + "' (" + k.sourceType() + ") may not fit the"
                        + " target's " + k.targetType() + "; across servers map an expression of that type");
            }
        }
    }

    private static final java.util.regex.Pattern NUMERIC = java.util.regex.Pattern.compile(
            "numeric(?:\\((\\d+)(?:,\\s*(-?\\d+))?\\))?");

    /**
     * True when a value of PostgreSQL type {@code source} cast to {@code target} may lose
     * fractional digits: a {@code numeric(p,s)} target from a numeric of a larger or no scale,
     * or from a float.
     */
    static boolean roundsInto(String source, String target) {
        java.util.regex.Matcher t = NUMERIC.matcher(target);
        if (!t.matches() || t.group(1) == null) {
            return false;
        }
        int targetScale = t.group(2) == null ? 0 : Integer.parseInt(t.group(2));
        if (source.equals("real") || source.equals("double precision")) {
            return true;
        }
        java.util.regex.Matcher m = NUMERIC.matcher(source);
        if (!m.matches()) {
            return false;
        }
        return m.group(1) == null || (m.group(2) == null ? 0 : Integer.parseInt(m.group(2))) > targetScale;
    }

    /** Across servers the source casts its values to the target's types itself: each type must exist there. */
    public void checkCastsOnSource(Session source, TableInfo sourceTable, List<ColumnMapping> keys,
            List<ColumnMapping> columns) {
        List<ColumnMapping> all = new ArrayList<>(keys);
        all.addAll(columns);
        if (all.isEmpty()) {
            return;
        }
        try {
            // all at once; only when that fails, one at a time to name the ones that fail
            source.list("SELECT " + String.join(", ", all.stream().map(ColumnMapping::sourceValue).toList())
                    + " FROM " + sourceTable.sqlName() + " WHERE false", rs -> 0);
            return;
        } catch (RuntimeException e) {
            // below
        }
        for (ColumnMapping m : all) {
            try {
                source.list("SELECT " + m.sourceValue() + " FROM " + sourceTable.sqlName() + " WHERE false",
                        rs -> 0);
            } catch (RuntimeException e) {
                problem("source '" + m.sourceLabel() + "' cannot be converted to the target type "
                        + m.type().compareType() + " of '" + m.targetColumn() + "' on the source server: "
                        + reason(e) + "; map an expression that yields a built-in type both servers know"
                        + " (e.g. \"" + m.sourceLabel() + "::text\" when its text is what matters)");
            }
        }
    }
}
