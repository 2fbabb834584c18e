package dev.recon.testing;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

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
        Gen<KeyKind> keys = Generate.enumValues(KeyKind.class);
        return keys.zip(integers().between(1, 4), integers().between(0, maxRows), integers().between(0, 100),
                        (k, cols, rows, pct) -> new Object[] {k, cols, rows, pct})
                .zip(booleans().all(), booleans().all(), (a, subset, clustered) -> new Object[] {a[0], a[1], a[2],
                        a[3], subset, clustered})
                .zip(longs().all(), (a, seed) -> new Scenario((KeyKind) a[0], (Integer) a[1], (Integer) a[2],
                        (Integer) a[3], (Boolean) a[4], (Boolean) a[5], seed));
    }

    public static Gen<Scenario> all(int maxRows) {
        Gen<KeyKind> keys = Generate.enumValues(KeyKind.class);
        return keys.zip(integers().between(1, 5), integers().between(0, maxRows), integers().between(0, 100),
                        (k, cols, rows, pct) -> new Object[] {k, cols, rows, pct})
                .zip(booleans().all(), longs().all(), (a, subset, seed) -> new Scenario((KeyKind) a[0],
                        (Integer) a[1], (Integer) a[2], (Integer) a[3], subset, seed));
    }
}
