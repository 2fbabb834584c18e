package dev.recon.engines.mariadb;

import dev.recon.plan.ColumnRead;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a MariaDB or MySQL column is read when a PostgreSQL column is its counterpart: SQL that
 * prints each value exactly as PostgreSQL prints the same value in the target column's type
 * (its output text, the session in UTC, {@code DateStyle} ISO), and SQL that orders the keys as
 * PostgreSQL orders them under {@code COLLATE "C"}. A zero date ({@code 0000-00-00}, or a date
 * with a zero month or day) is an error where it is read ({@link Read#isZeroDate}), or NULL when
 * the connection says {@code zero_dates: null}. Another value the target type cannot hold
 * ({@code 2} in a {@code tinyint(1)} mapped to {@code boolean}, a time of 25 hours) is printed as it is,
 * so that it differs from every target value and a sync that writes it fails on that row, with
 * PostgreSQL's error: never silently equal, never silently changed. Where no exact rule exists
 * the pair is refused with the reason.
 *
 * <p>The rules, target type by target type:
 * <ul>
 * <li>{@code smallint}, {@code integer}, {@code bigint}: the integer types by their text, and a
 * compared {@code decimal} column rounded to a whole number (as {@code numeric} below);
 * {@code numeric}: the integer types and {@code decimal} by their decimal text, with the target's scale ({@code 5} as {@code 5.00} for
 * {@code numeric(12,2)}); a compared column with more fractional digits than the target's scale,
 * or more integer digits than it holds, is read in the target's type (rounded half away from
 * zero; a value it cannot hold as it is, so it differs), a key of such a type is refused;
 * <li>{@code double precision}: {@code double} and {@code float}; {@code real}: {@code float}:
 * by value, each read as the exact double it holds ({@code 0.10000000149011612} for a float's
 * 0.1) and compared with the target's value in the target's type;
 * <li>{@code boolean}: {@code tinyint(1)}/{@code bool} and {@code bit(1)}, 0 as {@code false}
 * and 1 as {@code true} (a boolean's text);
 * <li>{@code text}, {@code varchar}: the string types, {@code enum} and {@code set}, character
 * for character in UTF-8, ordered by their UTF-8 bytes ({@code 'a '} and {@code 'a'} differ,
 * whatever a {@code PAD SPACE} collation says);
 * <li>{@code timestamp}: {@code datetime(n)}, fractional seconds without trailing zeros as
 * PostgreSQL prints them; {@code timestamptz}: {@code timestamp(n)} read in UTC, {@code +00};
 * {@code date}: {@code date}; {@code time}: {@code time(n)}; a target with fewer fractional
 * digits than the source is refused;
 * <li>{@code uuid}: {@code uuid} (MariaDB 10.7+) and {@code char(36)}/{@code varchar(36)} in
 * lower case; {@code bytea}: the binary types as {@code \x} and hex digits;
 * {@code jsonb}: {@code json} (a {@code longtext} in MariaDB), compared by the target as JSON.
 * </ul>
 */
public final class MariaDbValues {
    private MariaDbValues() {
    }

    /** How one column is read: {@code select} and {@code order} are SQL over the column. */
    public sealed interface Rule permits Read, Refused {
    }

    /**
     * The column's value as PostgreSQL's text ({@code select}) and its key order ({@code order}:
     * an ORDER BY list, NULLs last as PostgreSQL sorts them ascending; MariaDB puts them first).
     */
    public record Read(String select, String order, boolean zeroDates, ZoneId zone) implements Rule, ColumnRead {
        public Read(String select, String order) {
            this(select, order, false, null);
        }

        public Read(String select, String order, boolean zeroDates) {
            this(select, order, zeroDates, null);
        }

        /** The same read, its local time ({@code DATETIME}) turned into UTC in recon ({@link #inUtc}). */
        Read inZone(ZoneId z) {
            return new Read(select, order, zeroDates, z);
        }

        /**
         * A {@code DATETIME}'s text read ({@code 2024-03-31 02:30:00.5}) as the instant it is in
         * {@code zone}, printed as PostgreSQL prints a {@code timestamptz} in UTC
         * ({@code 2024-03-31 00:30:00.5+00}); null and a zero date as they are. A local time the
         * zone skips (a spring-forward gap) is moved forward by the gap, one it repeats (a
         * fall-back overlap) is the later instant, both as PostgreSQL's {@code AT TIME ZONE}
         * decides them.
         */
        public String inUtc(String text) {
            if (zone == null || text == null || isZeroDate(text)) {
                return text;
            }
            LocalDateTime local = LocalDateTime.parse(text.replace(' ', 'T'));
            LocalDateTime utc = ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap()
                    .withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
            // as PostgreSQL prints it: a year past 9999 without the + that LocalDate gives it
            String date = utc.toLocalDate().toString();
            String printed = (date.startsWith("+") ? date.substring(1) : date) + " " + utc.toLocalTime().format(CLOCK);
            if (utc.getNano() > 0) {
                printed += "." + String.format("%06d", utc.getNano() / 1000).replaceFirst("0+$", "");
            }
            return printed + "+00";
        }

        /**
         * True when {@code text}, this column's value as read, is a zero date or a date with a
         * zero month or day, which MariaDB stores and PostgreSQL has no value for.
         */
        public boolean isZeroDate(String text) {
            return zeroDates && text != null && (text.startsWith("0000") || text.startsWith("00", 5)
                    || text.startsWith("00", 8));
        }
    }

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static Read read(String col, String select, String orderBy) {
        return new Read(select, "(" + col + " IS NULL), " + orderBy);
    }

    /**
     * A decimal read in an integer type: rounded to a whole number half away from zero, as
     * PostgreSQL's cast from numeric rounds, where the result is in the type's range; else as it
     * is (so it differs, and a write of it fails that row). {@code digits}: the most digits of a
     * rounded value.
     */
    private static Read wholeInTargetType(String col, String type, long digits) {
        String[] range = switch (type) {
            case "smallint" -> new String[] {"-32768", "32767"};
            case "integer" -> new String[] {"-2147483648", "2147483647"};
            default -> new String[] {"-9223372036854775808", "9223372036854775807"};
        };
        String rounded = "ROUND(" + col + ", 0)";
        return read(col, "CASE WHEN " + rounded + " >= " + range[0] + " AND " + rounded + " <= " + range[1]
                + " THEN CAST(CAST(" + col + " AS DECIMAL(" + digits + ",0)) AS CHAR) ELSE CAST(" + col
                + " AS CHAR) END", col);
    }

    /**
     * A decimal or integer read in {@code numeric(p,sc)}: rounded to {@code sc} digits half away
     * from zero (as PostgreSQL's cast and MariaDB's both round) where the result fits, else as it
     * is. {@code widest}: the most integer digits a rounded source value has.
     */
    private static Read inTargetType(String col, long p, long sc, long widest) {
        String rounded = "CAST(CAST(" + col + " AS DECIMAL(" + Math.min(p, widest + sc) + "," + sc + ")) AS CHAR)";
        if (widest <= p - sc) {
            return read(col, rounded, col);
        }
        // fits: fewer than p - sc integer digits once rounded (MariaDB's CAST would clip a larger one to the
        // type's largest value, with only a warning)
        // (no ABS: the absolute value of the smallest bigint is out of its range)
        String bound = "1" + "0".repeat((int) (p - sc));
        String fits = "ROUND(" + col + ", " + sc + ") < " + bound + " AND ROUND(" + col + ", " + sc + ") > -" + bound;
        return read(col, "CASE WHEN " + fits + " THEN " + rounded + " ELSE CAST(" + col + " AS CHAR) END", col);
    }

    /**
     * A date's read: a zero date (or a zero month or day) is read as it is and {@link
     * Read#isZeroDate} tells the reader so, or with {@code asNull} it is read as NULL.
     */
    private static Read dateRead(String col, String select, boolean asNull) {
        if (!asNull) {
            return new Read(select, "(" + col + " IS NULL), " + col, true);
        }
        String nulled = "CASE WHEN YEAR(" + col + ") = 0 OR MONTH(" + col + ") = 0 OR DAYOFMONTH(" + col
                + ") = 0 THEN NULL ELSE " + select + " END";
        return new Read(nulled, "(" + nulled + " IS NULL), " + col);
    }

    /** No exact rule: why. */
    public record Refused(String reason) implements Rule {
    }

    private static final Pattern NUMERIC = Pattern.compile("numeric(?:\\((\\d+)(?:,\\s*(\\d+))?\\))?");
    private static final Pattern FRACTION = Pattern.compile(".*\\((\\d)\\).*");

    /**
     * The rule for a source column read for a target column of PostgreSQL type {@code targetType}
     * ({@code format_type}'s spelling: {@code numeric(12,2)}, {@code character varying(20)},
     * {@code timestamp(3) without time zone}, …).
     */
    public static Rule rule(MariaDbColumn source, String targetType) {
        return rule(source, targetType, false);
    }

    /** The rule, with zero dates read as NULL when {@code zeroDatesAsNull}. */
    public static Rule rule(MariaDbColumn source, String targetType, boolean zeroDatesAsNull) {
        return rule(source, targetType, zeroDatesAsNull, false);
    }

    /**
     * The same; with {@code inTargetType} (a compared column, not a key) a number that the target
     * type holds only rounded, or may not hold at all, is read as the target type holds it
     * ({@code 12.345} as {@code 12.35} for {@code numeric(12,2)}, as PostgreSQL's cast rounds), and
     * one it cannot hold as it is (so it differs, and a sync's write of it fails on that row), as
     * a PostgreSQL source's value is compared; a key must be exact and is refused instead.
     */
    public static Rule rule(MariaDbColumn source, String targetType, boolean zeroDatesAsNull, boolean inTargetType) {
        return rule(source, targetType, zeroDatesAsNull, inTargetType, (source.expression() != null
                ? "source expression " : "source column ") + source.name() + " (" + source.columnType()
                + ") for a target column of type " + targetType);
    }

    /** The rule; {@code what} names the pair in a refusal's reason (the planner names both tables there). */
    public static Rule rule(MariaDbColumn source, String targetType, boolean zeroDatesAsNull, boolean inTargetType,
            String what) {
        return rule(source, targetType, zeroDatesAsNull, inTargetType, what, null);
    }

    /** The same; {@code zone}: the zone a {@code datetime}'s values are in (null: unknown), for a target with one. */
    public static Rule rule(MariaDbColumn source, String targetType, boolean zeroDatesAsNull, boolean inTargetType,
            String what, ZoneId zone) {
        String col = source.sql();
        String t = targetType.toLowerCase(Locale.ROOT).trim();
        String s = source.dataType();
        if (t.equals("smallint") || t.equals("integer") || t.equals("bigint")) {
            if (integer(s)) {
                return read(col, "CAST(" + col + " AS CHAR)", col);
            }
            if (s.equals("decimal") && source.precision() - source.scale() + 1 <= 65) {
                if (!inTargetType) {
                    // as from a PostgreSQL numeric across servers: rounded (two keys could become one) or out of range
                    return new Refused(what + ": a key's " + source.columnType() + " values are rounded to the"
                            + " target's " + t + " and may not fit it; map a column of an integer type");
                }
                return wholeInTargetType(col, t, source.precision() - source.scale() + 1);
            }
            return new Refused(what + ": only the integer types and decimal are read as integers");
        }
        Matcher numeric = NUMERIC.matcher(t);
        // a fraction the write would round matters only where the target holds a number or a time at all
        boolean numberTarget = s.equals("decimal") || integer(s);
        boolean timeTarget = Set.of("datetime", "timestamp", "time").contains(s);
        if (numeric.matches() && numberTarget) {
            boolean whole = integer(s);
            if (!whole && !s.equals("decimal")) {
                return new Refused(what + ": only the integer types and decimal are read as numeric");
            }
            if (numeric.group(1) == null) {
                // unconstrained numeric keeps the scale it is given: compared by value
                return read(col, "CAST(" + col + " AS CHAR)", col);
            }
            long p = Long.parseLong(numeric.group(1));
            long sc = numeric.group(2) == null ? 0 : Long.parseLong(numeric.group(2));
            long digits = whole ? integerDigits(source) : source.precision() - source.scale();
            long scale = whole ? 0 : source.scale();
            // rounding to sc digits may add an integer digit (99.999 is 100.00)
            long widest = digits + (scale > sc ? 1 : 0);
            // (numeric(3,5) and numeric(4,-2) are PostgreSQL types too: refused below)
            if (inTargetType && (scale > sc || digits > p - sc) && sc <= p && Math.min(p, widest + sc) <= 65
                    && sc <= 30) {
                return inTargetType(col, p, sc, widest);
            }
            if (scale > sc || digits > p - sc || digits + sc > 65) {
                long roomScale = Math.max(sc, scale);
                String room = digits + roomScale <= 1000 ? "; a target of numeric(" + (digits + roomScale) + ","
                        + roomScale + ") holds them" : "";
                return new Refused(what + ": " + source.columnType() + " values may not fit " + targetType
                        + " (a cast would round or fail)" + room);
            }
            // PostgreSQL prints numeric(p,s) with all s digits: 5 as 5.00
            return read(col, "CAST(CAST(" + col + " AS DECIMAL(" + (digits + sc) + "," + sc + ")) AS CHAR)", col);
        }
        if (t.equals("double precision") || t.equals("real")) {
            if (s.equals("float") || s.equals("double") && t.equals("double precision")) {
                // a double's text is its shortest exact form; a float's is rounded to 6 digits
                // (16777217 as 16777200), so it is read as the double it holds, its exact value
                return read(col, "CAST(CAST(" + col + " AS DOUBLE) AS CHAR)", col);
            }
            return new Refused(what + (s.equals("double") ? ": a double would be rounded to a real"
                    : ": only float and double are read as " + t));
        }
        if (t.equals("boolean")) {
            if (source.booleanLike()) {
                // 0 and 1 are false and true; anything else is printed as it is and differs
                // (a boolean cast to text, as recon reads it, is true or false; t and f are its output format)
                return read(col, "CASE WHEN " + col + " = 0 THEN 'false' WHEN " + col + " = 1 THEN 'true' ELSE CAST("
                        + col + " + 0 AS CHAR) END", col);
            }
            return new Refused(what + ": only tinyint(1) (bool) and bit(1) are read as boolean");
        }
        if (t.equals("text") || t.startsWith("character varying")) {
            if (text(s)) {
                String utf8 = "CONVERT(" + col + " USING utf8mb4)";
                return read(col, utf8, "CAST(" + utf8 + " AS BINARY)");
            }
            return new Refused(what + ": only the string types, enum and set are read as text");
        }
        if (t.startsWith("timestamp") || t.startsWith("time") && !t.contains("with time zone")) {
            return temporal(source, t, col, what, zeroDatesAsNull, zone);
        }
        if (t.equals("date")) {
            if (s.equals("date")) {
                return dateRead(col, "DATE_FORMAT(" + col + ", '%Y-%m-%d')", zeroDatesAsNull);
            }
            return new Refused(what + ": only date is read as date");
        }
        if (t.equals("uuid")) {
            if (s.equals("uuid") || (s.equals("char") || s.equals("varchar")) && source.columnType().contains("(36)")) {
                String lower = "LOWER(CAST(" + col + " AS CHAR))";
                return read(col, lower, "CAST(" + lower + " AS BINARY)");
            }
            return new Refused(what + ": only uuid and char(36) are read as uuid");
        }
        if (t.equals("bytea")) {
            if (s.endsWith("binary") || s.endsWith("blob")) {
                return read(col, "CONCAT(CHAR(92), 'x', LOWER(HEX(" + col + ")))", col);
            }
            return new Refused(what + ": only the binary types are read as bytea");
        }
        if (t.equals("jsonb")) {
            if (s.equals("json") || s.equals("longtext") || s.equals("text")) {
                return read(col, col, "CAST(" + col + " AS BINARY)");
            }
            return new Refused(what + ": only json is read as jsonb");
        }
        return new Refused(what + ": no exact rule for this pair yet");
    }

    /**
     * The rule for a MariaDB target column whose source is a PostgreSQL column of type
     * {@code sourceType}: read as PostgreSQL prints the source's type (the values are compared
     * in it), without the source type's modifiers (a wider target is read whole), and refused
     * where a write would round without an error (MariaDB rounds a decimal's extra fractional
     * digits, a time's extra fraction and a double written to a float) or where recon cannot
     * compare the values exactly yet.
     */
    public static Rule targetRule(MariaDbColumn target, String sourceType, boolean zeroDatesAsNull) {
        return targetRule(target, sourceType, zeroDatesAsNull, "target column " + target.name() + " ("
                + target.columnType() + ") for a source column of type " + sourceType);
    }

    /** The same; {@code what} names the pair in a refusal's reason. */
    public static Rule targetRule(MariaDbColumn target, String sourceType, boolean zeroDatesAsNull, String what) {
        String t = sourceType.toLowerCase(Locale.ROOT).trim();
        String s = target.dataType();
        Matcher numeric = NUMERIC.matcher(t);
        // a fraction the write would round matters only where the target holds a number or a time at all
        boolean numberTarget = s.equals("decimal") || integer(s);
        boolean timeTarget = Set.of("datetime", "timestamp", "time").contains(s);
        if (numeric.matches() && numberTarget) {
            if (numeric.group(1) == null) {
                return new Refused(what + ": an unconstrained numeric's values may have more digits than "
                        + target.columnType() + " keeps (MariaDB would round them); give the source a scale,"
                        + " e.g. numeric(12,2)");
            }
            long sc = numeric.group(2) == null ? 0 : Long.parseLong(numeric.group(2));
            long targetScale = s.equals("decimal") ? target.scale() : 0;
            if (sc > targetScale) {
                return new Refused(what + ": " + sc + " fractional digits would be rounded to " + targetScale);
            }
            return rule(target, "numeric", zeroDatesAsNull, false, what);
        }
        if (t.equals("double precision") && s.equals("float")) {
            return new Refused(what + ": a double would be rounded to a float");
        }
        if (timeTarget && (t.startsWith("timestamp") || t.startsWith("time") && !t.contains("with time zone"))) {
            Matcher m = FRACTION.matcher(t);
            int sourceDigits = m.matches() ? Integer.parseInt(m.group(1)) : 6;
            if (Math.max(0, target.fractionDigits()) < sourceDigits) {
                return new Refused(what + ": " + sourceDigits + " fractional digits would be rounded to "
                        + Math.max(0, target.fractionDigits()));
            }
            String bare = t.replaceFirst("\\(\\d\\)", "");
            return rule(target, bare, zeroDatesAsNull, false, what);
        }
        if (t.equals("json")) {
            return new Refused(what + ": a json source is compared by its text, which MariaDB does not keep;"
                    + " a jsonb source is compared by value");
        }
        if (t.startsWith("character varying")) {
            return rule(target, "text", zeroDatesAsNull, false, what);
        }
        return rule(target, t, zeroDatesAsNull, false, what);
    }

    /**
     * The PostgreSQL type two MariaDB columns are compared in when the target is {@code target}
     * (both sides MariaDB): its own type's counterpart, or null when there is none yet.
     */
    public static String comparisonType(MariaDbColumn target) {
        String s = target.dataType();
        if (target.booleanLike()) {
            return "boolean";
        }
        if (integer(s)) {
            return s.equals("bigint") && target.unsigned() ? "numeric(20,0)" : "bigint";
        }
        return switch (s) {
            case "decimal" -> "numeric(" + target.precision() + "," + target.scale() + ")";
            case "double" -> "double precision";
            case "float" -> "real";
            case "datetime" -> "timestamp(" + Math.max(0, target.fractionDigits()) + ") without time zone";
            case "timestamp" -> "timestamp(" + Math.max(0, target.fractionDigits()) + ") with time zone";
            case "time" -> "time(" + Math.max(0, target.fractionDigits()) + ") without time zone";
            case "date" -> "date";
            case "uuid" -> "uuid";
            default -> text(s) ? "text" : s.endsWith("binary") || s.endsWith("blob") ? "bytea" : null;
        };
    }

    private static Rule temporal(MariaDbColumn source, String t, String col, String what, boolean zeroDatesAsNull,
            ZoneId zone) {
        boolean withZone = t.contains("with time zone");
        if (withZone && source.dataType().equals("datetime")) {
            if (zone == null) {
                return new Refused(what + ": a datetime holds no time zone, so which instant it is is unknown; say"
                        + " which zone its values are in: time_zone: Europe/Paris (or +00:00) on its connection, or"
                        + " rules: { <target column>: { time_zone: Europe/Paris } } (docs/configuration.md, Time"
                        + " zones)");
            }
            Rule local = temporal(source, t.replace(" with time zone", " without time zone"), col, what,
                    zeroDatesAsNull, null);
            return local instanceof Read r ? r.inZone(zone) : local;
        }
        boolean time = t.startsWith("time") && !t.startsWith("timestamp");
        int targetDigits = 6;
        Matcher m = FRACTION.matcher(t);
        if (m.matches()) {
            targetDigits = Integer.parseInt(m.group(1));
        }
        String s = source.dataType();
        String expected = time ? "time" : withZone ? "timestamp" : "datetime";
        if (!s.equals(expected)) {
            return new Refused(what + ": only " + expected + " is read as " + (time ? "time"
                    : withZone ? "timestamp with time zone (read in UTC)" : "timestamp without time zone"));
        }
        long digits = Math.max(0, source.fractionDigits());
        if (digits > targetDigits) {
            return new Refused(what + ": " + digits + " fractional digits would be rounded to " + targetDigits);
        }
        String format = time ? "TIME_FORMAT(" + col + ", '%H:%i:%s.%f')"
                : "DATE_FORMAT(" + col + ", '%Y-%m-%d %H:%i:%s.%f')";
        // PostgreSQL prints no trailing zeros of the fraction, and no point when none is left
        String trimmed = "TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM " + format + "))";
        String select = withZone ? "CONCAT(" + trimmed + ", '+00')" : trimmed;
        return time ? read(col, select, col) : dateRead(col, select, zeroDatesAsNull);
    }

    /** Decimal digits of the largest value of an integer type. */
    private static long integerDigits(MariaDbColumn c) {
        return switch (c.dataType()) {
            case "tinyint" -> 3;
            case "smallint" -> 5;
            case "mediumint" -> 8;
            case "int", "integer" -> 10;
            default -> c.unsigned() ? 20 : 19;
        };
    }

    private static boolean integer(String type) {
        return type.equals("tinyint") || type.equals("smallint") || type.equals("mediumint") || type.equals("int")
                || type.equals("integer") || type.equals("bigint");
    }

    private static boolean text(String type) {
        return type.equals("char") || type.equals("varchar") || type.endsWith("text") || type.equals("enum")
                || type.equals("set");
    }
}
