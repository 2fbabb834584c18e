package dev.recon.plan;

import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, per target column, how values are compared ({@link ValueType}) and whether a
 * source value can fail to fit ({@link ColumnMapping#fit}). Asks the target's catalog what
 * the type is underneath and probes, over NULLs, whether it has an equality operator and a
 * hash function, so that a type without them is compared by its text instead of failing at
 * run time.
 */
public final class ValueTypes {
    /** Types whose text output is one-to-one with their equality (with the readers' session settings). */
    private static final Set<String> CANONICAL = Set.of("text", "varchar", "bpchar", "name", "char", "uuid", "date",
            "time", "timestamp", "timestamptz", "bool", "bytea", "bit", "varbit", "oid", "inet", "cidr", "macaddr",
            "macaddr8", "int2", "int4", "int8");
    private static final Set<String> INTEGERS = Set.of("int2", "int4", "int8");
    /** Types whose modifier is a length limit an explicit cast would silently enforce by cutting. */
    private static final Set<String> LENGTH_LIMITED = Set.of("varchar", "bit", "varbit", "bpchar");

    private final Catalog target;
    private final Map<String, ValueType> cache = new HashMap<>();

    public ValueTypes(Catalog target) {
        this.target = target;
    }

    public ValueType of(ColumnInfo column) {
        return cache.computeIfAbsent(column.typeOid() + "/" + column.typmod(), k -> decide(column));
    }

    private final Map<String, Catalog.TypeFacts> facts = new HashMap<>();

    private Catalog.TypeFacts facts(ColumnInfo column) {
        return facts.computeIfAbsent(column.typeOid() + "/" + column.typmod(),
                k -> target.typeFacts(column.typeOid(), column.typmod()));
    }

    private ValueType decide(ColumnInfo column) {
        Catalog.TypeFacts t = facts(column);
        boolean enumLike = "e".equals(t.typtype()) || "e".equals(t.elementTyptype());
        String compare = t.name();
        int padTo = 0;
        if (enumLike) {
            // labels are the values; an enum's oids (which its hash and sort use) differ between servers
            compare = "text";
        } else if (t.typmod() >= 0 && LENGTH_LIMITED.contains(t.isArray() ? t.elementTypname() : t.typname())) {
            if (t.typname().equals("bpchar")) {
                padTo = t.typmod() - 4;
            } else {
                compare = t.bare();
            }
        }
        boolean castTarget = !compare.equals(column.type()) && padTo == 0 && (enumLike || t.domain());
        String probeType = compare;
        boolean hasEquality = target.runs("SELECT NULL::" + probeType + " IS DISTINCT FROM NULL::" + probeType)
                && (!t.isArray() || enumLike
                        || target.runs("SELECT NULL::" + t.elementName() + " IS DISTINCT FROM NULL::" + t.elementName()));
        boolean builtIn = t.oid() < 16384 && (!t.isArray() || t.elementOid() < 16384);
        // containers of numbers: their elements' NaN, infinities and zeros hash like NULL (or
        // an unbounded end), which no flag per column can tell apart, so their text is hashed
        // arrays: PostgreSQL's array hash ignores dimensions and lower bounds ('{{a,b}}', '[2:3]={a,b}'
        // and '{a,b}' hash alike), and their elements' NaN and zeros hash like NULL; their text does not
        boolean numbersInside = t.isArray() || Set.of("numrange", "nummultirange").contains(t.typname());
        boolean hashable = builtIn && !enumLike && !numbersInside
                && target.runs("SELECT hash_record_extended(ROW(NULL::" + probeType + "), 0)");
        ValueType.Kind kind;
        String base = t.isArray() ? null : t.typname();
        if (!hasEquality || enumLike) {
            kind = ValueType.Kind.CANONICAL;
        } else if (base != null && INTEGERS.contains(base)) {
            kind = ValueType.Kind.INTEGER;
        } else if ("numeric".equals(base)) {
            kind = ValueType.Kind.NUMERIC;
        } else if ("float4".equals(base) || "float8".equals(base)) {
            kind = ValueType.Kind.FLOAT;
        } else if (t.oid() < 16384 && (base != null ? CANONICAL.contains(base)
                : t.elementOid() < 16384 && CANONICAL.contains(t.elementTypname())
                        && !t.elementTypname().equals("bpchar"))) {
            kind = ValueType.Kind.CANONICAL;
        } else {
            kind = ValueType.Kind.OTHER;
        }
        // a domain is written as its base type without modifiers, which assignment to the column then
        // coerces with the domain's own modifier and checks: an explicit cast to the domain would cut
        String write = t.domain() && !enumLike ? t.bare() : column.writeType();
        return new ValueType(compare, castTarget, write,
                hasEquality ? ValueType.Equality.VALUE : ValueType.Equality.TEXT, kind, !hashable, padTo);
    }

    /**
     * The condition under which a source value (written {@code %s}) of the given type fits the
     * target column without an error, when some values of that type would not: numbers into
     * a narrower integer, a numeric with fewer digits, or a float type's range. Empty when
     * every value fits (or the cast is not between numbers).
     */
    public Optional<String> fit(Catalog.ExpressionType source, int sourceTypmod, ColumnInfo column) {
        if (!"N".equals(source.category()) || !"N".equals(column.typeCategory())) {
            return Optional.empty();
        }
        // a domain's base type and modifier decide what fits
        Catalog.TypeFacts facts = facts(column);
        int targetTypmod = facts.typmod();
        String s = builtinName(source.oid());
        String t = builtinName(facts.oid());
        if (s == null || t == null) {
            return Optional.empty();
        }
        if (INTEGERS.contains(t)) {
            long lo = t.equals("int2") ? Short.MIN_VALUE : t.equals("int4") ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long hi = t.equals("int2") ? Short.MAX_VALUE : t.equals("int4") ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (INTEGERS.contains(s)) {
                return width(s) <= width(t) ? Optional.empty() : Optional.of("(%1$s) BETWEEN " + lo + " AND " + hi);
            }
            // numeric and float values are rounded to a whole number first
            return Optional.of("(%1$s) > " + lo + "-0.5 AND (%1$s) < " + hi + ".5");
        }
        if (t.equals("numeric")) {
            if (targetTypmod < 0) {
                return Optional.empty();
            }
            int precision = ((targetTypmod - 4) >> 16) & 0xffff;
            int scale = (targetTypmod - 4) & 0xffff;
            int sourceDigits = INTEGERS.contains(s) ? (s.equals("int2") ? 5 : s.equals("int4") ? 10 : 19) : -1;
            if (s.equals("numeric") && sourceTypmod >= 0) {
                int sp = ((sourceTypmod - 4) >> 16) & 0xffff;
                int ss = (sourceTypmod - 4) & 0xffff;
                // rounding to fewer decimals can carry into one more whole digit
                sourceDigits = ss <= sp ? sp - ss + (scale < ss ? 1 : 0) : -1;
            }
            if (scale > precision || (sourceDigits >= 0 && sourceDigits <= precision - scale)) {
                return Optional.empty();
            }
            return Optional.of("(%1$s)::numeric = 'NaN' OR abs(round((%1$s)::numeric, " + scale + ")) < 1e"
                    + (precision - scale));
        }
        if (t.equals("float4") && !s.equals("float4") && !INTEGERS.contains(s)) {
            return Optional.of("(%1$s) = 0 OR (%1$s) IN ('NaN', 'Infinity', '-Infinity') OR (abs(%1$s) < 3.4028235677973366e38"
                    + " AND abs(%1$s) > 7.006492321624085e-46)");
        }
        if (t.equals("float8") && s.equals("numeric")) {
            return Optional.of("(%1$s) = 0 OR (%1$s) IN ('NaN', 'Infinity', '-Infinity') OR (abs(%1$s) < 1.7976931348623158e308"
                    + " AND abs(%1$s) > 2.4703282292062328e-324)");
        }
        return Optional.empty();
    }

    private static int width(String integerType) {
        return switch (integerType) {
            case "int2" -> 2;
            case "int4" -> 4;
            default -> 8;
        };
    }

    private static String builtinName(long oid) {
        return switch ((int) oid) {
            case 20 -> "int8";
            case 21 -> "int2";
            case 23 -> "int4";
            case 700 -> "float4";
            case 701 -> "float8";
            case 1700 -> "numeric";
            default -> null;
        };
    }
}
