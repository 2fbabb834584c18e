package dev.recon.plan;

import dev.recon.base.PlanException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@code recon diff --key}: {@code COLUMN=VALUE[,COLUMN=VALUE]}, one argument per
 * key, naming every key column of the target by name; a component written {@code COLUMN}
 * alone (no {@code =}) is NULL. Values are text in the key's type and hold no comma.
 */
public final class KeyArguments {
    private KeyArguments() {
    }

    public static List<Map<String, String>> parse(MappingPlan plan, List<String> arguments) {
        List<String> names = plan.keys().stream().map(ColumnMapping::targetColumn).toList();
        List<Map<String, String>> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (plan.multiset() && !arguments.isEmpty()) {
            throw new PlanException("--key does not fit the mappings:", List.of("mapping '" + plan.name()
                    + "' has no key (its table is compared as a multiset of its columns), so --key cannot pick its"
                    + " rows; leave it out of --sync, or give it a key"));
        }
        for (String argument : arguments) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String part : argument.split(",")) {
                int eq = part.indexOf('=');
                String column = (eq < 0 ? part : part.substring(0, eq)).trim();
                if (!names.contains(column)) {
                    problems.add("--key '" + argument + "': mapping '" + plan.name() + "' has no key column '"
                            + column + "' (its key: " + String.join(", ", names) + ")");
                    continue;
                }
                if (key.containsKey(column)) {
                    problems.add("--key '" + argument + "': key column '" + column + "' is given twice; give each"
                            + " key column once (repeat --key for another row)");
                    continue;
                }
                key.put(column, eq < 0 ? null : part.substring(eq + 1));
            }
            if (key.size() != names.size() && problems.isEmpty()) {
                problems.add("--key '" + argument + "': name every key column of mapping '" + plan.name() + "' ("
                        + String.join(", ", names) + ")");
            }
            out.add(key);
        }
        if (!problems.isEmpty()) {
            throw new PlanException("--key does not fit the mappings:", problems);
        }
        return out;
    }

    /**
     * The keys of {@link #parse} as the side whose engine prints the canonical text
     * ({@code Engine.printsCanonicalText}) prints them in their types ({@code 2.001} as
     * {@code 2.00} for {@code numeric(10,2)}, {@code 2024-1-2} as {@code 2024-01-02}), so that the
     * other side, which compares the rules' texts, picks the rows that side picks by value. A
     * value the type refuses is an error naming it, before any row is read; a plan whose two
     * sides both print the canonical text has its keys checked so on its target and returned as
     * they are, and one where neither does returns them as they are.
     */
    public static List<Map<String, String>> canonical(MappingPlan plan, List<Map<String, String>> keys,
            dev.recon.connect.Databases databases) {
        boolean canonicalSource = plan.sourceSide().engine().printsCanonicalText();
        boolean canonicalTarget = plan.targetSide().engine().printsCanonicalText();
        if (keys.isEmpty() || !canonicalSource && !canonicalTarget) {
            return keys;
        }
        if (canonicalSource && canonicalTarget) {
            // a value its key's type refuses: said now, naming --key, not as the diff query's error
            canonicalOn(plan, keys, databases, plan.targetConnection());
            return keys;
        }
        return canonicalOn(plan, keys, databases, canonicalSource ? plan.sourceConnection() : plan.targetConnection());
    }

    private static List<Map<String, String>> canonicalOn(MappingPlan plan, List<Map<String, String>> keys,
            dev.recon.connect.Databases databases, dev.recon.config.ConnectionConfig connection) {
        List<Map<String, String>> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (dev.recon.db.Session pg = databases.open(connection, "mapping '" + plan.name() + "': --key")) {
            // printed as the diff's read snapshots print (UTC, ISO dates, every float digit)
            try {
                connection.engine().setUpSession(pg.connection());
            } catch (java.sql.SQLException e) {
                throw new dev.recon.db.DatabaseException("mapping '" + plan.name() + "': --key", e);
            }
            for (Map<String, String> key : keys) {
                Map<String, String> canonical = new LinkedHashMap<>();
                for (ColumnMapping k : plan.keys()) {
                    String v = key.get(k.targetColumn());
                    if (v == null) {
                        canonical.put(k.targetColumn(), null);
                        continue;
                    }
                    try {
                        canonical.put(k.targetColumn(), pg.one("SELECT CAST(CAST(? AS text) AS "
                                + k.type().compareType() + ")::text", rs -> rs.getString(1), v));
                    } catch (RuntimeException e) {
                        problems.add("--key " + k.targetColumn() + "=" + v + ": not a value of key column "
                                + k.targetColumn() + " (" + k.type().compareType() + ") of mapping '" + plan.name()
                                + "': " + dev.recon.db.DatabaseException.firstLine(
                                        java.util.Optional.ofNullable(dev.recon.db.DatabaseException.sqlCause(e))
                                                .map(Throwable::getMessage).orElse(e.getMessage())));
                    }
                }
                out.add(canonical);
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanException("--key does not fit the mappings:", problems);
        }
        return out;
    }
}
