package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.hash.EngineHashDiff;
import dev.recon.diff.merge.MergeDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.generators.SourceDSL;

/**
 * The property that a MariaDB side changes nothing about the answer: for random tables —
 * random keys (integer, text under a case- and pad-blind collation, composite) and random
 * columns drawn from every type rule, random rows with NULLs, unicode and text that such a
 * collation calls equal, a last key part that may be NULL, 0 to 60 rows, statistics fresh, stale
 * or as they come — merge and hash from
 * MariaDB into PostgreSQL, from PostgreSQL into MariaDB and between two MariaDB tables, and the
 * join of those two on their server, find, change for change and value for value, what the
 * join finds between PostgreSQL copies of the same rows.
 */
class MariaDbPropertyTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final String[] TEXTS = {"a", "A", "a ", "á", "b", "日本", "\uD83D\uDE00", "", "x\ty", "O'Brien", "ß",
        "ss", "Z", "z"};

    /** One column type on both sides, a value maker, and how its text is compared in a test (floats by value). */
    private record Kind(String maria, String pg, Function<Random, Object> value, Function<String, String> norm,
            boolean keyable) {
    }

    private static Object text(Random r) {
        String s = TEXTS[r.nextInt(TEXTS.length)];
        return r.nextInt(4) == 0 ? s + TEXTS[r.nextInt(TEXTS.length)] : s;
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("bigint", "bigint", Random::nextLong, s -> s, true),
            new Kind("int unsigned", "bigint", r -> (long) r.nextInt(Integer.MAX_VALUE) * 2, s -> s, true),
            new Kind("decimal(12,3)", "numeric(14,3)", r -> BigDecimal.valueOf(r.nextLong() % 1_000_000_000_000L, 3),
                    s -> s, true),
            new Kind("double", "double precision", r -> r.nextBoolean() ? r.nextDouble() * 1e6
                    : Double.longBitsToDouble(r.nextLong() >>> 2), s -> Double.toString(Double.parseDouble(s)), false),
            new Kind("float", "real", r -> r.nextBoolean() ? (float) r.nextInt(1 << 25)
                    : Float.intBitsToFloat(r.nextInt() >>> 2), s -> Float.toString(Float.parseFloat(s)), false),
            new Kind("tinyint(1)", "boolean", Random::nextBoolean, s -> s, false),
            new Kind("varchar(20)", "text", MariaDbPropertyTest::text, s -> s, true),
            new Kind("text", "character varying(50)", MariaDbPropertyTest::text, s -> s, false),
            new Kind("datetime(6)", "timestamp without time zone", r -> LocalDateTime.of(1000 + r.nextInt(9000),
                    1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(3) == 0 ? 0 : r.nextInt(1_000_000) * 1000), s -> s, true),
            new Kind("datetime(3)", "timestamp(3) without time zone", r -> LocalDateTime.of(1971 + r.nextInt(60),
                    1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60),
                    r.nextInt(1000) * 1_000_000), s -> s, false),
            new Kind("timestamp(6) NULL DEFAULT NULL", "timestamp with time zone", r -> LocalDateTime.of(
                    1971 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60),
                    r.nextInt(60), r.nextInt(1_000_000) * 1000), s -> s, false),
            new Kind("date", "date", r -> LocalDate.of(1000 + r.nextInt(9000), 1 + r.nextInt(12), 1 + r.nextInt(28)),
                    s -> s, true),
            new Kind("time(2)", "time(2) without time zone", r -> String.format("%02d:%02d:%02d.%02d", r.nextInt(24),
                    r.nextInt(60), r.nextInt(60), r.nextInt(100)), s -> s, false),
            new Kind("varbinary(16)", "bytea", r -> {
                byte[] b = new byte[r.nextInt(17)];
                r.nextBytes(b);
                return b;
            }, s -> s, false),
            new Kind("char(36)", "uuid", r -> new UUID(r.nextLong(), r.nextLong()).toString(), s -> s, false),
            new Kind("enum('x','y','z')", "text", r -> new String[] {"x", "y", "z"}[r.nextInt(3)], s -> s, false));

    /** A random table: key kinds, column kinds. */
    /**
     * A random table: key kinds, column kinds; {@code nullableKey}: the last key part may be
     * NULL (a UNIQUE key instead of a primary key; NULLs pair with NULLs).
     */
    private record Shape(List<Kind> keys, List<Kind> columns, boolean nullableKey) {
        int size() {
            return keys.size() + columns.size();
        }

        Kind kind(int i) {
            return i < keys.size() ? keys.get(i) : columns.get(i - keys.size());
        }

        String name(int i) {
            return i < keys.size() ? "k" + i : "c" + (i - keys.size());
        }

        String ddl(boolean onMaria) {
            List<String> cols = new ArrayList<>();
            List<String> key = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                Kind k = kind(i);
                boolean isKey = i < keys.size();
                boolean mayBeNull = nullableKey && i == keys.size() - 1;
                cols.add(name(i) + " " + (onMaria ? k.maria() : k.pg()) + (isKey && !mayBeNull ? " NOT NULL" : ""));
                if (isKey) {
                    key.add(name(i));
                }
            }
            cols.add((nullableKey ? "UNIQUE (" : "PRIMARY KEY (") + String.join(", ", key) + ")");
            return "(" + String.join(", ", cols) + ")" + (onMaria
                    ? " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci" : "");
        }

        String mapping() {
            List<String> key = new ArrayList<>();
            List<String> cols = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                (i < keys.size() ? key : cols).add(name(i) + ": " + name(i));
            }
            return "    key: {" + String.join(", ", key) + "}\n"
                    + (cols.isEmpty() ? "" : "    columns: {" + String.join(", ", cols) + "}\n");
        }

        Object[] row(Random r) {
            Object[] row = new Object[size()];
            for (int i = 0; i < size(); i++) {
                boolean isKey = i < keys.size();
                boolean mayBeNull = !isKey || nullableKey && i == keys.size() - 1;
                row[i] = mayBeNull && r.nextInt(5) == 0 ? null : kind(i).value().apply(r);
            }
            return row;
        }

        void bind(PreparedStatement ps, Object[] row, boolean onPg) throws SQLException {
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                String pgType = kind(i).pg();
                if (onPg && v instanceof LocalDateTime t && pgType.equals("timestamp with time zone")) {
                    v = t.atOffset(ZoneOffset.UTC);
                }
                if (onPg && v != null && (pgType.equals("uuid") || pgType.startsWith("time("))) {
                    ps.setObject(i + 1, v, Types.OTHER);
                } else {
                    ps.setObject(i + 1, v);
                }
            }
        }
    }

    private static Shape shape(Random r) {
        List<Kind> keyable = KINDS.stream().filter(Kind::keyable).toList();
        List<Kind> keys = new ArrayList<>();
        int nKeys = 1 + r.nextInt(2);
        for (int i = 0; i < nKeys; i++) {
            keys.add(keyable.get(r.nextInt(keyable.size())));
        }
        List<Kind> columns = new ArrayList<>(KINDS);
        Collections.shuffle(columns, r);
        return new Shape(keys, columns.subList(0, r.nextInt(KINDS.size() + 1)), r.nextInt(3) == 0);
    }

    /**
     * Loads {@code n} random rows: MariaDB's m_src (PostgreSQL copy m_src_copy) and PostgreSQL's
     * p_src are the sources; MariaDB's m_dst (copy m_dst_copy) and PostgreSQL's p_dst the
     * targets, each with some rows missing, changed and extra.
     */
    /** {@code staleStatistics}: every table analyzed while still empty, so each engine's estimate is stale. */
    private static void load(Shape shape, Random r, int n, boolean staleStatistics) throws SQLException {
        String marks = "(" + String.join(", ", Collections.nCopies(shape.size(), "?")) + ")";
        maria.execute("DROP TABLE IF EXISTS m_src;\nDROP TABLE IF EXISTS m_dst;\nCREATE TABLE m_src " + shape.ddl(true)
                + ";\nCREATE TABLE m_dst " + shape.ddl(true));
        StringBuilder pgDdl = new StringBuilder();
        for (String t : new String[] {"m_src_copy", "m_dst_copy", "p_src", "p_dst"}) {
            pgDdl.append("DROP TABLE IF EXISTS ").append(t).append(";\nCREATE TABLE ").append(t).append(' ')
                    .append(shape.ddl(false)).append(";\n");
        }
        pg.execute(pgDdl.toString());
        if (staleStatistics) {
            maria.execute("ANALYZE TABLE m_src;\nANALYZE TABLE m_dst");
            pg.execute("ANALYZE m_src_copy; ANALYZE m_dst_copy; ANALYZE p_src; ANALYZE p_dst");
        }
        try (Connection m = maria.connect(); Connection p = DriverManager.getConnection(pg.url());
             Statement zone = m.createStatement()) {
            zone.execute("SET time_zone = '+00:00'");
            try (PreparedStatement mSrc = m.prepareStatement("INSERT IGNORE INTO m_src VALUES " + marks);
                 PreparedStatement mSrcCopy = p.prepareStatement("INSERT INTO m_src_copy VALUES " + marks);
                 PreparedStatement mDst = m.prepareStatement("INSERT IGNORE INTO m_dst VALUES " + marks);
                 PreparedStatement mDstCopy = p.prepareStatement("INSERT INTO m_dst_copy VALUES " + marks);
                 PreparedStatement pSrc = p.prepareStatement("INSERT INTO p_src VALUES " + marks
                         + " ON CONFLICT DO NOTHING");
                 PreparedStatement pDst = p.prepareStatement("INSERT INTO p_dst VALUES " + marks
                         + " ON CONFLICT DO NOTHING")) {
                java.util.Set<List<Object>> sourceKeys = new java.util.HashSet<>();
                java.util.Set<List<Object>> targetKeys = new java.util.HashSet<>();
                for (int i = 0; i < n; i++) {
                    Object[] row = shape.row(r);
                    if (!fresh(sourceKeys, shape, row)) {
                        continue; // a key with a NULL part twice: a unique key allows it, a key does not
                    }
                    shape.bind(mSrc, row, false);
                    if (mSrc.executeUpdate() == 1) {
                        shape.bind(mSrcCopy, row, true);
                        mSrcCopy.executeUpdate();
                    }
                    shape.bind(pSrc, row, true);
                    pSrc.executeUpdate();
                    int fate = r.nextInt(8);
                    if (fate == 0) {
                        continue; // missing from the targets
                    }
                    List<Object[]> targets = new ArrayList<>();
                    Object[] target = row.clone();
                    if (fate == 1 && shape.columns().size() > 0) {
                        int col = shape.keys().size() + r.nextInt(shape.columns().size());
                        target[col] = shape.row(r)[col];
                    }
                    targets.add(target);
                    if (fate == 2) {
                        targets.add(shape.row(r)); // only in the targets
                    }
                    for (Object[] t : targets) {
                        if (!fresh(targetKeys, shape, t)) {
                            continue;
                        }
                        shape.bind(mDst, t, false);
                        if (mDst.executeUpdate() == 1) {
                            shape.bind(mDstCopy, t, true);
                            mDstCopy.executeUpdate();
                        }
                        shape.bind(pDst, t, true);
                        pDst.executeUpdate();
                    }
                }
            }
        }
    }

    /**
     * False for a key with a NULL part already in that table (unique keys let NULLs repeat;
     * recon's keys pair them, so the table would hold one key twice); keys without NULL the
     * tables' own unique keys keep apart.
     */
    private static boolean fresh(java.util.Set<List<Object>> seen, Shape shape, Object[] row) {
        List<Object> key = java.util.Arrays.asList(row).subList(0, shape.keys().size());
        return !key.contains(null) || seen.add(new ArrayList<>(key));
    }

    private static String yaml(Shape shape) {
        String m = shape.mapping();
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url() + "\"\n"
                + "syncs:\n"
                + "  - name: from_maria\n    source: {connection: maria, table: m_src}\n"
                + "    target: {connection: pg, table: public.p_dst}\n" + m
                + "  - name: from_maria_oracle\n    source: {connection: pg, table: public.m_src_copy}\n"
                + "    target: {connection: pg, table: public.p_dst}\n" + m + "    strategy: join\n"
                + "  - name: into_maria\n    source: {connection: pg, table: public.p_src}\n"
                + "    target: {connection: maria, table: m_dst}\n" + m
                + "  - name: into_maria_oracle\n    source: {connection: pg, table: public.p_src}\n"
                + "    target: {connection: pg, table: public.m_dst_copy}\n" + m + "    strategy: join\n"
                + "  - name: between\n    source: {connection: maria, table: m_src}\n"
                + "    target: {connection: maria, table: m_dst}\n" + m
                + "  - name: between_join\n    source: {connection: maria, table: m_src}\n"
                + "    target: {connection: maria, table: m_dst}\n" + m + "    strategy: join\n"
                + "  - name: between_oracle\n    source: {connection: pg, table: public.m_src_copy}\n"
                + "    target: {connection: pg, table: public.m_dst_copy}\n" + m + "    strategy: join\n";
    }

    private static List<String> changes(RunResult result, String mapping, Shape shape) {
        return result.mappings().stream().filter(m -> m.name().equals(mapping)).findFirst().orElseThrow()
                .samples().stream().map(c -> norm(c, shape))
                .sorted(Comparator.naturalOrder()).toList();
    }

    private static List<String> norm(List<String> values, Shape shape) {
        if (values.isEmpty()) {
            return values;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            out.add(v == null ? null : shape.kind(i).norm().apply(v));
        }
        return out;
    }

    @Test
    void everyPairWithAMariaDbSideFindsWhatTheJoinFindsOnPostgresCopies() {
        qt().withExamples(24).withFixedSeed(20261203L).forAll(SourceDSL.longs().all()).checkAssert(seed -> {
            Random r = new Random(seed);
            // the engines' statistics, drawn apart from the rows: as they come (MariaDB's estimate may still say
            // 0 rows: the hash then merges), gathered after the load, or gathered while the tables were empty
            int statistics = new Random(seed ^ 0x5eed).nextInt(3);
            Shape shape = shape(r);
            int n = r.nextInt(4) == 0 ? r.nextInt(2) : r.nextInt(61);
            try {
                load(shape, r, n, statistics == 2);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml(shape)), 100_000,
                    ReportFormat.JSON.writer(new StringWriter()));
            String what = "seed " + seed + ", " + n + " rows, " + shape.ddl(true);
            assertThat(diff.errors()).as(what).isEmpty();
            for (String pair : new String[] {"from_maria", "into_maria", "between"}) {
                assertThat(changes(diff, pair, shape)).as(what + ": " + pair)
                        .isEqualTo(changes(diff, pair + "_oracle", shape));
            }
            // two tables on one connection joined on their server (MariaDbJoinDiff: keys of one collation)
            assertThat(diff.mappings().stream().filter(m -> m.name().equals("between_join")).findFirst().orElseThrow()
                    .strategy()).as(what).isEqualTo("join");
            assertThat(changes(diff, "between_join", shape)).as(what + ": between_join")
                    .isEqualTo(changes(diff, "between_oracle", shape));
            // each strategy on its own: merge, and the hash across engines with buckets of two rows that never
            // falls back on dense differences
            if (statistics == 1) {
                maria.execute("ANALYZE TABLE m_src;\nANALYZE TABLE m_dst");
                pg.execute("ANALYZE m_src_copy; ANALYZE m_dst_copy; ANALYZE p_src; ANALYZE p_dst");
            }
            ReconConfig config = new ConfigLoader(Map.of()).parse(yaml(shape), "test.yaml");
            Databases databases = new Databases();
            try {
                List<MappingPlan> plans = new Planner(config, databases).plan(List.of(), Purpose.DIFF);
                for (MappingPlan plan : plans) {
                    if (plan.name().endsWith("_oracle") || plan.name().endsWith("_join")) {
                        continue;
                    }
                    List<String> oracle = changes(diff, plan.name() + "_oracle", shape);
                    assertThat(changes(new MergeDiff(databases), plan, shape)).as(what + ": merge " + plan.name())
                            .isEqualTo(oracle);
                    List<String> hashed = new ArrayList<>();
                    DiffStats stats = new EngineHashDiff(databases, 2, 1.0).diff(plan, c -> hashed.add(norm(c, shape)));
                    hashed.sort(Comparator.naturalOrder());
                    assertThat(hashed).as(what + ": hash " + plan.name() + ", " + stats.details().asMap())
                            .isEqualTo(oracle);
                    if (!stats.details().has(Figure.FALLBACK_TO_MERGE)) {
                        HASHED_BY_BUCKETS.incrementAndGet();
                    }
                }
            } finally {
                databases.closeIdle();
            }
        });
        // the buckets were compared, not only the merge they fall back to
        assertThat(HASHED_BY_BUCKETS.get()).isGreaterThan(10);
    }

    private static final java.util.concurrent.atomic.AtomicInteger HASHED_BY_BUCKETS =
            new java.util.concurrent.atomic.AtomicInteger();

    private static List<String> changes(DiffStrategy strategy, MappingPlan plan, Shape shape) {
        List<String> out = new ArrayList<>();
        strategy.diff(plan, c -> out.add(norm(c, shape)));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static String norm(RowChange c, Shape shape) {
        return new RowChange(c.operation(), c.key(), norm(c.source(), shape), norm(c.target(), shape), c.changed(),
                c.revive()).toString();
    }
}
