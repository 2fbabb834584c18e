package dev.recon.testing;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** QuickTheories generator of {@link Scenario}s; shrinks towards fewer rows, columns and changes. */
public final class Scenarios {
    private Scenarios() {
    }

    public static Gen<Scenario> all() {
        return all(40);
    }

    /** Scenarios of up to {@code maxRows} rows, half of them with their differences clustered. */
    public static Gen<Scenario> clusteredOrNot(int maxRows) {
        Gen<KeyKind> keys = Generate.pick(KeyKind.BASIC);
        return keys.zip(integers().between(1, 4), integers().between(0, maxRows), integers().between(0, 100),
                        (k, cols, rows, pct) -> new Object[] {k, cols, rows, pct})
                .zip(booleans().all(), booleans().all(), (a, subset, clustered) -> new Object[] {a[0], a[1], a[2],
                        a[3], subset, clustered})
                .zip(longs().all(), (a, seed) -> new Scenario((KeyKind) a[0], (Integer) a[1], (Integer) a[2],
                        (Integer) a[3], (Boolean) a[4], (Boolean) a[5], seed));
    }

    /**
     * Scenarios for comparing strategies: every key shape, column types from {@code pool},
     * mostly small tables (nine in ten under 100 rows, including empty ones) and some of up to
     * 3,000, half of them with clustered differences.
     */
    public static Gen<Scenario> forStrategies(List<ColumnKind> pool) {
        Gen<KeyKind> keys = Generate.enumValues(KeyKind.class);
        Gen<Integer> rows = integers().between(0, 9).zip(integers().between(0, 99), integers().between(100, 3000),
                (big, small, large) -> big == 0 ? large : small);
        return keys.zip(integers().between(1, 4), rows, integers().between(0, 100),
                        (k, cols, n, pct) -> new Object[] {k, cols, n, pct})
                .zip(booleans().all(), booleans().all(), (a, subset, clustered) -> new Object[] {a[0], a[1], a[2],
                        a[3], subset, clustered})
                .zip(longs().all(), (a, seed) -> new Scenario((KeyKind) a[0], pool, (Integer) a[1], (Integer) a[2],
                        (Integer) a[3], (Boolean) a[4], (Boolean) a[5], seed));
    }

    /**
     * Creates on each database the types that {@link ColumnKind#ALL} uses (enum prop_mood,
     * the citext extension where the server has it); returns the kinds all of them can hold.
     */
    public static List<ColumnKind> prepare(PgDatabase... dbs) {
        boolean citext = true;
        for (PgDatabase db : dbs) {
            db.execute("DROP TYPE IF EXISTS prop_mood CASCADE; CREATE TYPE prop_mood AS ENUM ('sad', 'ok', 'happy')");
            citext &= db.value("SELECT count(*) FROM pg_available_extensions WHERE name = 'citext'", Long.class) == 1;
        }
        if (citext) {
            for (PgDatabase db : dbs) {
                db.execute("CREATE EXTENSION IF NOT EXISTS citext");
            }
        }
        boolean withCitext = citext;
        return ColumnKind.ALL.stream().filter(k -> withCitext || k != ColumnKind.CITEXT).toList();
    }

    public static Gen<Scenario> all(int maxRows) {
        Gen<KeyKind> keys = Generate.pick(KeyKind.BASIC);
        return keys.zip(integers().between(1, 5), integers().between(0, maxRows), integers().between(0, 100),
                        (k, cols, rows, pct) -> new Object[] {k, cols, rows, pct})
                .zip(booleans().all(), longs().all(), (a, subset, seed) -> new Scenario((KeyKind) a[0],
                        (Integer) a[1], (Integer) a[2], (Integer) a[3], subset, seed));
    }
}
