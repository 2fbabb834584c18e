package dev.recon.engines.duckdb;

import dev.recon.plan.ColumnRead;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a DuckDB column is read when a PostgreSQL column is its counterpart: SQL that prints each
 * value exactly as PostgreSQL prints the same value in the target column's type (the session in
 * UTC), and SQL that orders the keys as recon orders them (numbers by value, everything else by
 * the bytes of its text). Where no exact rule exists the pair is refused with the reason.
 *
 * <p>The rules, target type by target type:
 * <ul>
 * <li>{@code smallint}, {@code integer}, {@code bigint}: DuckDB's integer types and
 * {@code DECIMAL(p,0)} by their text;
 * <li>{@code numeric(p,s)}: the integer types and {@code DECIMAL(p2,s2)} with {@code s2 <= s},
 * with the target's scale ({@code 5} as {@code 5.00}); more fractional digits than the target
 * holds, and an unconstrained {@code numeric}, are refused;
 * <li>{@code text}, {@code varchar}: {@code VARCHAR}, character for character;
 * <li>{@code boolean}: {@code BOOLEAN} ({@code true}, {@code false});
 * <li>{@code date}: {@code DATE}; {@code timestamp} (6 digits): {@code TIMESTAMP};
 * {@code timestamptz} (6 digits): {@code TIMESTAMP WITH TIME ZONE}, in UTC; a date before the
 * common era is printed as PostgreSQL prints it ({@code 0045-03-15 BC});
 * <li>{@code uuid}: {@code UUID}, in lower case; {@code time}: {@code TIME};
 * {@code bytea}: {@code BLOB}, in PostgreSQL's hex ({@code \xab00});
 * <li>{@code timestamp}: also {@code TIMESTAMP_NS}, {@code _MS} and {@code _S}, to microseconds
 * (nanoseconds rounded, as PostgreSQL rounds the value it is given);
 * <li>{@code double precision}: {@code DOUBLE} and {@code REAL}; {@code real}: {@code REAL}: by
 * value (the merge parses both texts), never hashed, never a key;
 * <li>{@code jsonb}: {@code JSON}, its text, equal documents decided by PostgreSQL's equality;
 * <li>{@code text}: also a {@code LIST}, {@code STRUCT} or {@code MAP}, by DuckDB's text of it.
 * </ul>
 * Intervals (whose text PostgreSQL spells otherwise), and every other pair, are refused.
 */
final class DuckDbValues {
    private DuckDbValues() {
    }

    sealed interface Rule permits Read, Refused {
    }

    /**
     * The value as PostgreSQL's text ({@code select}) and its key order ({@code order}, NULLs
     * last); {@code byValue}: a float, whose text is not PostgreSQL's ({@code 1000.0} for
     * {@code 1000}), compared by value by the merge, never hashed, never a key.
     */
    record Read(String select, String order, boolean byValue) implements Rule, ColumnRead {
        Read(String select, String order) {
            this(select, order, false);
        }
    }

    record Refused(String reason) implements Rule {
    }

    private static final Set<String> INTEGERS = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT");
    /** The most digits of each integer type's values. */
    private static final java.util.Map<String, Integer> INTEGER_DIGITS = java.util.Map.of("TINYINT", 3, "SMALLINT", 5,
            "INTEGER", 10, "BIGINT", 19, "HUGEINT", 39, "UTINYINT", 3, "USMALLINT", 5, "UINTEGER", 10, "UBIGINT", 20,
            "UHUGEINT", 39);
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");
    private static final Pattern NUMERIC = Pattern.compile("numeric\\((\\d+),(\\d+)\\)");

    /**
     * The PostgreSQL type a DuckDB column of type {@code duckType} is compared in when the other
     * side reads its values as that type (a DuckDB target, or a DuckDB source into an engine
     * that asks): null where DuckDB's type has no counterpart recon reads exactly.
     */
    static String comparisonType(String duckType) {
        String d = duckType.toUpperCase(Locale.ROOT).trim();
        Matcher dec = DECIMAL.matcher(d);
        if (dec.matches()) {
            return "numeric(" + dec.group(1) + "," + dec.group(2) + ")";
        }
        return switch (d) {
            case "TINYINT", "SMALLINT", "UTINYINT" -> "smallint";
            case "INTEGER", "USMALLINT" -> "integer";
            case "BIGINT", "UINTEGER" -> "bigint";
            case "UBIGINT", "HUGEINT", "UHUGEINT" -> "numeric(39,0)";
            case "VARCHAR" -> "text";
            case "BOOLEAN" -> "boolean";
            case "DATE" -> "date";
            case "TIMESTAMP" -> "timestamp without time zone";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp with time zone";
            case "UUID" -> "uuid";
            case "TIME" -> "time without time zone";
            case "BLOB" -> "bytea";
            case "DOUBLE" -> "double precision";
            case "FLOAT", "REAL" -> "real";
            // nanoseconds have no counterpart: compared and written in microseconds they would be lost
            case "TIMESTAMP_MS", "TIMESTAMP_S" -> "timestamp without time zone";
            default -> null;
        };
    }

    /**
     * {@code rule} for a column of {@code section}: a float key is refused (its text does not
     * order or pair the keys as the other side's does).
     */
    static Rule inSection(Rule rule, String section, String what) {
        if (rule instanceof Read read && read.byValue() && section.equals("key")) {
            return new Refused(what + ": a float key is not supported across engines (its text is not the other"
                    + " side's, so keys would not pair); key on another column");
        }
        return rule;
    }

    /** A text column compared by its bytes, whatever collation it has. */
    private static String binary(String col) {
        return "(" + col + " COLLATE \"binary\")";
    }

    /** A float's text, its infinities and NaN spelled as PostgreSQL spells them (DuckDB: {@code inf}, {@code nan}). */
    private static String floatText(String x) {
        return "CASE WHEN isnan(" + x + ") THEN 'NaN' WHEN isinf(" + x + ") THEN CASE WHEN " + x + " > 0 THEN"
                + " 'Infinity' ELSE '-Infinity' END ELSE CAST(" + x + " AS VARCHAR) END";
    }

    /** A LIST ({@code INTEGER[]}, {@code VARCHAR[3]}), a STRUCT or a MAP. */
    static boolean nested(String duckType) {
        return duckType.endsWith("]") || duckType.startsWith("STRUCT(") || duckType.startsWith("MAP(")
                || duckType.startsWith("UNION(");
    }

    /** Text, with a date or time before the common era as PostgreSQL prints it ({@code ... BC} at the end). */
    private static String era(String text) {
        return "CASE WHEN contains(" + text + ", ' (BC)') THEN replace(" + text + ", ' (BC)', '') || ' BC' ELSE "
                + text + " END";
    }

    /**
     * The rule of DuckDB column {@code col} (SQL) of type {@code duckType} read as PostgreSQL
     * type {@code target} ({@code format_type}'s spelling); {@code what} names the pair in a refusal.
     */
    static Rule rule(String col, String duckType, String target, String what) {
        String d = duckType.toUpperCase(Locale.ROOT).trim();
        String t = target.toLowerCase(Locale.ROOT).trim();
        String text = "CAST(" + col + " AS VARCHAR)";
        String byValue = col + " NULLS LAST";
        // by the bytes of the UTF-8 text, whatever collation the column has (NOCASE would order 'a' with 'A')
        String byText = "encode(" + text + ") NULLS LAST";
        Matcher dec = DECIMAL.matcher(d);
        boolean isDecimal = dec.matches();
        int dScale = isDecimal ? Integer.parseInt(dec.group(2)) : 0;
        switch (t) {
            case "smallint", "integer", "bigint" -> {
                if (INTEGERS.contains(d) || isDecimal && dScale == 0) {
                    return new Read(text, byValue);
                }
            }
            case "text", "character varying" -> {
                if (d.equals("VARCHAR")) {
                    // without the column's collation: NOCASE would pair, partition and filter 'ABC' with 'abc'
                    return new Read(binary(col), "encode(" + col + ") NULLS LAST");
                }
                if (nested(d)) {
                    // a list, a struct or a map compared by DuckDB's text of it ([1, 2], {'a': 1})
                    return new Read(text, byText);
                }
            }
            case "boolean" -> {
                if (d.equals("BOOLEAN")) {
                    return new Read(text, byText);
                }
            }
            case "date" -> {
                if (d.equals("DATE")) {
                    return new Read(era(text), "encode(" + era(text) + ") NULLS LAST");
                }
            }
            case "timestamp without time zone", "timestamp(6) without time zone" -> {
                if (d.equals("TIMESTAMP")) {
                    return new Read(era(text), "encode(" + era(text) + ") NULLS LAST");
                }
                if (Set.of("TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S").contains(d)) {
                    // to microseconds, nanoseconds rounded to the nearest, halves away from zero (DuckDB's cast)
                    String micros = era("CAST(CAST(" + col + " AS TIMESTAMP) AS VARCHAR)");
                    return new Read(micros, "encode(" + micros + ") NULLS LAST");
                }
            }
            case "timestamp with time zone", "timestamp(6) with time zone" -> {
                if (d.equals("TIMESTAMP WITH TIME ZONE")) {
                    return new Read(era(text), "encode(" + era(text) + ") NULLS LAST");
                }
            }
            case "uuid" -> {
                if (d.equals("UUID")) {
                    return new Read(text, byText);
                }
            }
            case "time without time zone", "time(6) without time zone" -> {
                if (d.equals("TIME")) {
                    return new Read(text, byText);
                }
            }
            case "bytea" -> {
                if (d.equals("BLOB")) {
                    // PostgreSQL's hex output: \x and two lower-case digits a byte (the text's order is the bytes')
                    String hex = "('\\x' || lower(hex(" + col + ")))";
                    return new Read(hex, "encode(" + hex + ") NULLS LAST");
                }
            }
            case "double precision" -> {
                if (d.equals("DOUBLE") || d.equals("FLOAT") || d.equals("REAL")) {
                    return new Read(floatText(d.equals("DOUBLE") ? col : "CAST(" + col + " AS DOUBLE)"), byValue, true);
                }
            }
            case "real" -> {
                if (d.equals("FLOAT") || d.equals("REAL")) {
                    return new Read(floatText(col), byValue, true);
                }
            }
            case "jsonb" -> {
                // the PostgreSQL side's jsonb equality decides when the texts differ
                if (d.equals("JSON")) {
                    return new Read(text, byText);
                }
            }
            default -> {
                if (t.startsWith("character varying(") && d.equals("VARCHAR")) {
                    return new Read(binary(col), "encode(" + col + ") NULLS LAST");
                }
                Matcher num = NUMERIC.matcher(t);
                if (num.matches()) {
                    int scale = Integer.parseInt(num.group(2));
                    // DuckDB's decimals hold 38 digits: a wider reading of the source fails its values, refused here
                    int digits = INTEGERS.contains(d) ? INTEGER_DIGITS.getOrDefault(d, 39)
                            : isDecimal ? Integer.parseInt(dec.group(1)) - dScale : 0;
                    if (scale > 0 && (INTEGERS.contains(d) || isDecimal && dScale < scale) && digits + scale > 38) {
                        return new Refused(what + ": the source's values need " + (digits + scale) + " digits at the"
                                + " target's scale, more than DuckDB's decimals hold (38); no exact rule for this pair"
                                + " yet");
                    }
                    if (INTEGERS.contains(d)) {
                        return new Read(scale == 0 ? text : "CAST(CAST(" + col + " AS DECIMAL(38," + scale
                                + ")) AS VARCHAR)", byValue);
                    }
                    if (isDecimal && dScale == scale) {
                        return new Read(text, byValue);
                    }
                    if (isDecimal && dScale < scale) {
                        int width = Math.min(38, Integer.parseInt(dec.group(1)) - dScale + scale);
                        return new Read("CAST(CAST(" + col + " AS DECIMAL(" + width + "," + scale + ")) AS VARCHAR)",
                                byValue);
                    }
                    if (isDecimal) {
                        return new Refused(what + ": the source has more fractional digits than the target's scale;"
                                + " no exact rule for this pair yet");
                    }
                }
            }
        }
        return new Refused(what + ": no exact rule for this pair yet (docs/configuration.md lists the pairs recon"
                + " reads exactly from DuckDB)");
    }
}
