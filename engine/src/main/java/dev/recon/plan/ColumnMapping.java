package dev.recon.plan;

import dev.recon.sql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One mapped column pair. {@code sourceSql} is ready for SQL text (a quoted column, or the
 * user's expression in parentheses); {@code targetType} is the target column's type with
 * modifiers; {@code type} says how values are compared in it ({@link ValueType}).
 * {@code fit}, when present, is a condition on the source value (written {@code %s}) that
 * holds when it fits the target type (a number within range and digits), so that a value
 * which does not is a difference of its own instead of an error that stops the comparison.
 * {@code targetNullable} is set for a key column the target lets be NULL (a unique
 * constraint, not a primary key): NULLs then match NULLs. {@code targetCollation} is the
 * target column's collation (quoted) when its type is collatable: on one server, source
 * values are compared under it, as the target's unique index compares them.
 * {@code sourceType} is the source column's or expression's type, as {@code format_type}
 * spells it without modifiers. {@code targetSql}, when not null, is what the target side
 * reads instead of a column: the copy number of a table without a key ({@link #copyNumber}).
 */
public record ColumnMapping(
        String sourceLabel,
        String sourceSql,
        boolean sourceIsExpression,
        String targetColumn,
        String targetType,
        boolean compared,
        ValueType type,
        Optional<String> fit,
        boolean targetNullable,
        String targetCollation,
        String sourceType,
        String targetSql) {

    /** The name under which reports show a keyless table's copy number. */
    public static final String COPY = "copy#";

    public ColumnMapping(String sourceLabel, String sourceSql, boolean sourceIsExpression, String targetColumn,
            String targetType, boolean compared) {
        this(sourceLabel, sourceSql, sourceIsExpression, targetColumn, targetType, compared,
                ValueType.plain(targetType), Optional.empty(), false, null, targetType);
    }

    public ColumnMapping(String sourceLabel, String sourceSql, boolean sourceIsExpression, String targetColumn,
            String targetType, boolean compared, ValueType type, Optional<String> fit, boolean targetNullable,
            String targetCollation, String sourceType) {
        this(sourceLabel, sourceSql, sourceIsExpression, targetColumn, targetType, compared, type, fit, targetNullable,
                targetCollation, sourceType, null);
    }

    /**
     * The copy number that makes a keyless table's rows a key: with every mapped column as
     * a key part, the n-th of several equal rows is numbered n on each side
     * ({@code row_number()} over the rows of equal values, in the comparison type, an unfit
     * source value apart), so a row twice in the source and once in the target is one insert.
     * {@code underCollation} compares source values under the target's collations (one server).
     */
    public static ColumnMapping copyNumber(List<ColumnMapping> parts, boolean underCollation) {
        List<String> source = new ArrayList<>();
        List<String> target = new ArrayList<>();
        for (ColumnMapping m : parts) {
            String s = underCollation && m.targetCollation() != null
                    ? "(" + m.sourceValue() + ") COLLATE " + m.targetCollation() : m.sourceValue();
            source.add(m.comparable(s));
            m.unfit().ifPresent(u -> source.add(u));
            target.add(m.comparable(m.targetValue()));
        }
        ValueType bigint = new ValueType("bigint", false, "bigint", ValueType.Equality.VALUE, ValueType.Kind.INTEGER,
                false, 0);
        return new ColumnMapping(COPY, "row_number() OVER (PARTITION BY " + String.join(", ", source) + ")", true,
                COPY, "bigint", true, bigint, Optional.empty(), false, null, "bigint",
                "row_number() OVER (PARTITION BY " + String.join(", ", target) + ")");
    }

    /**
     * A value as the text a type without equality (or a keyless table's value of a type whose
     * equal values print differently) is compared by: byte for byte, whatever collation the
     * column has ({@code COLLATE "C"}), so that a case-insensitive collation cannot make two
     * texts one.
     */
    public static String asText(String ref) {
        return "((" + ref + ")::text COLLATE \"C\")";
    }

    /** True when values are compared by their text ({@link #asText}): the type has no equality, or is a keyless table's key part of such a type. */
    public boolean byText() {
        return type.equality() == ValueType.Equality.TEXT;
    }

    /** A value of this column ({@code ref}) as it is compared: by its text ({@link #asText}) or as it is. */
    public String comparable(String ref) {
        return byText() ? asText(ref) : ref;
    }

    /** True for the copy number of a keyless table ({@link #copyNumber}): no column of either table. */
    public boolean isCopyNumber() {
        return targetSql != null;
    }

    /** The source value in the comparison type; NULL when it does not fit ({@link #unfit}). */
    public String sourceValue() {
        String cast;
        if (type.padTo() > 0) {
            // char(n): padded as the target stores it when it fits, else whole (and so different)
            cast = "CASE WHEN char_length(rtrim((" + sourceSql + ")::text, ' ')) <= " + type.padTo() + " THEN ("
                    + sourceSql + ")::" + type.compareType() + " ELSE (" + sourceSql + ")::pg_catalog.bpchar END";
        } else {
            cast = "(" + sourceSql + ")::" + type.compareType();
        }
        return fit.map(f -> "CASE WHEN " + f.formatted(sourceSql) + " THEN " + cast + " END").orElse(cast);
    }

    /** The target column in the comparison type. */
    public String targetValue() {
        if (targetSql != null) {
            return "(" + targetSql + ")";
        }
        String column = Sql.quote(targetColumn);
        return type.castTarget() ? column + "::" + type.compareType() : column;
    }

    /** The target column of the row {@code alias} in the comparison type (a column, not a copy number). */
    public String targetValue(String alias) {
        String column = alias + "." + Sql.quote(targetColumn);
        return type.castTarget() ? column + "::" + type.compareType() : column;
    }

    /** SQL that is true when the source value does not fit the target type; empty when every value fits. */
    public Optional<String> unfit() {
        return fit.map(f -> "coalesce(NOT (" + f.formatted(sourceSql) + "), false)");
    }

    /** The source value as text, as it is reported and written when it does not fit. */
    public String sourceText() {
        return "(" + sourceSql + ")::text";
    }
}
