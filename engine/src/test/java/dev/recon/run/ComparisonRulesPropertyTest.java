package dev.recon.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import dev.recon.result.MappingResult;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Comparison rules against an oracle written apart from them: random tables whose values sit
 * at and around each rule's edge (a tolerance exactly reached and just passed, a relative
 * difference inside and outside, timestamps a microsecond either side of a millisecond or a
 * second, NaN, infinities, -0, NULL, padded and re-cased text, empty text against NULL). Join
 * (one database), merge and hash (two databases) must report exactly the rows the oracle
 * calls different, with exactly the columns it calls changed, and count as equal under the
 * rules exactly the rows whose only differences the rules forgive. A sync then converges, and
 * a second sync rewrites no row (a trigger counts the target's updates).
 */
class ComparisonRulesPropertyTest {
    static final int TRIES = Integer.getInteger("recon.tries", 25);

    @RegisterExtension
    static final PgDatabase a = new PgDatabase();
    @RegisterExtension
    static final PgDatabase b = new PgDatabase();
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    private static final String TARGET = "(order_id int PRIMARY KEY, total numeric(12,4), rating float8,"
            + " created_at timestamp(6), seen_at timestamptz(6), customer varchar(40), remark text, quantity int)";
    private static final List<String> COLUMNS = List.of("total", "rating", "created_at", "seen_at", "customer",
            "remark", "quantity");

    private static final String MAPPING = """
                source: { connection: %s, table: rules_src }
                target: { connection: %s, table: %s }
                key: { id: order_id }
                columns: { price: total, score: rating, created: created_at, seen: seen_at, name: customer,
                           note: remark, qty: quantity }
                strategy: %s
                rules:
                  total: { tolerance: 0.005 }
                  rating: { relative: 1e-6 }
                  created_at: { precision: ms }
                  seen_at: { precision: s }
                  customer: { trim: true, case: insensitive }
                  remark: { empty_is_null: true }
            """;

    /** One row of either side: id, then the values of {@link #COLUMNS}' sources. */
    record Row(int id, BigDecimal price, Double score, LocalDateTime created, Instant seen, String name, String note,
            Integer qty) {
    }

    /** Rows the tries found equal under the rules, and rows they found changed: both must occur. */
    private static final java.util.concurrent.atomic.AtomicLong FORGIVEN = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong CHANGED = new java.util.concurrent.atomic.AtomicLong();

    @Test
    void everyStrategyAgreesWithTheOracleAndASyncConverges() {
        FORGIVEN.set(0);
        CHANGED.set(0);
        qt().withExamples(TRIES).withShrinkCycles(0).forAll(longs().all()).checkAssert(this::check);
        assertThat(FORGIVEN.get()).isGreaterThan(TRIES);
        assertThat(CHANGED.get()).isGreaterThan(TRIES);
    }

    private void check(long seed) {
        Map<Integer, Row> source = new TreeMap<>();
        Map<Integer, Row> target = new TreeMap<>();
        generate(seed, false, source, target);
        load(source, target);
        Expected expected = expect(source, target);

        String yaml = "connections:\n  a: { url: \"" + a.url() + "\" }\n  b: { url: \"" + b.url() + "\" }\n"
                + "syncs:\n"
                + "  - name: joined\n" + MAPPING.formatted("a", "a", "rules_tgt", "join")
                + "  - name: merged\n" + MAPPING.formatted("a", "b", "rules_tgt", "merge")
                + "  - name: hashed\n" + MAPPING.formatted("a", "b", "rules_tgt", "hash");
        Recon recon = new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
        for (String name : List.of("joined", "merged", "hashed")) {
            agree(recon, name, expected, seed);
        }
        convergesWithoutRewrites(recon, "merged", expected, seed, () -> count(b));
    }

    /** The changes the oracle expects, sorted, and the rows equal under the rules. */
    record Expected(List<String> changes, long forgiven) {
    }

    private static void generate(long seed, boolean mariaDb, Map<Integer, Row> source, Map<Integer, Row> target) {
        Random random = new Random(seed);
        int n = random.nextInt(45);
        for (int id = 1; id <= n; id++) {
            Row s = row(random, id, mariaDb);
            int fate = random.nextInt(20);
            if (fate == 0) {
                source.put(id, s); // an insert
            } else if (fate == 1) {
                target.put(id, s); // a delete
            } else {
                source.put(id, s);
                target.put(id, near(random, s));
            }
        }
    }

    /** The oracle: rows both sides have, column by column. */
    private static Expected expect(Map<Integer, Row> source, Map<Integer, Row> target) {
        List<String> expected = new ArrayList<>();
        long forgiven = 0;
        for (int id : source.keySet()) {
            if (!target.containsKey(id)) {
                expected.add("insert " + id + " []");
            }
        }
        for (int id : target.keySet()) {
            if (!source.containsKey(id)) {
                expected.add("delete " + id + " []");
            }
        }
        for (int id : source.keySet()) {
            Row s = source.get(id);
            Row t = target.get(id);
            if (t == null) {
                continue;
            }
            List<String> changed = new ArrayList<>();
            boolean differs = false;
            for (String c : COLUMNS) {
                boolean raw = rawDiffers(c, s, t);
                boolean rule = ruleDiffers(c, s, t);
                if (rule) {
                    changed.add(c);
                }
                differs |= raw;
            }
            if (!changed.isEmpty()) {
                expected.add("update " + id + " " + changed);
            } else if (differs) {
                forgiven++;
            }
        }
        expected.sort(null);
        FORGIVEN.addAndGet(forgiven);
        CHANGED.addAndGet(expected.size());
        return new Expected(expected, forgiven);
    }

    private static void agree(Recon recon, String name, Expected expected, long seed) {
        List<String> found = new ArrayList<>();
        RunResult result = recon.diff(DiffRequest.of(List.of(name)).withSamples(3)
                .withListener((plan, c) -> found.add(describe(c))));
        found.sort(null);
        assertThat(found).as("%s, seed %d", name, seed).isEqualTo(expected.changes());
        MappingResult m = result.mappings().get(0);
        assertThat(m.underRules().rows()).as("%s: rows equal under the rules, seed %d", name, seed)
                .isEqualTo(expected.forgiven());
        assertThat(m.underRules().samples()).hasSize((int) Math.min(3, expected.forgiven()));
    }

    /** A sync converges; a second one finds nothing and rewrites no row ({@code rewrites} reads the trigger's count). */
    private static void convergesWithoutRewrites(Recon recon, String name, Expected expected, long seed,
            java.util.function.LongSupplier rewrites) {
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        RunResult synced = recon.sync(SyncRequest.of(List.of(name), options));
        assertThat(synced.mappings().get(0).converged()).as("%s, seed %d", name, seed).isTrue();
        long before = rewrites.getAsLong();
        RunResult again = recon.sync(SyncRequest.of(List.of(name), options));
        MappingResult second = again.mappings().get(0);
        assertThat(second.total()).as("the second sync of %s finds nothing, seed %d", name, seed).isZero();
        assertThat(second.underRules().rows()).as("%s, seed %d", name, seed).isEqualTo(expected.forgiven());
        assertThat(rewrites.getAsLong() - before).as("rows rewritten by the second sync of %s, seed %d", name, seed)
                .isZero();
    }

    private static long count(PgDatabase db) {
        try (Handle h = db.jdbi().open()) {
            return h.createQuery("SELECT n FROM rewrites").mapTo(Long.class).one();
        }
    }

    private static String describe(RowChange c) {
        return c.operation().label() + " " + c.key().get(0) + " " + c.changed();
    }

    private static Row row(Random r, int id) {
        return row(r, id, false);
    }

    /** {@code mariaDb}: values MariaDB holds too (no NaN or infinity, a TIMESTAMP within 1970-2038). */
    private static Row row(Random r, int id, boolean mariaDb) {
        BigDecimal price = r.nextInt(15) == 0 ? null
                : BigDecimal.valueOf(r.nextLong(-10_000_000, 10_000_000), 4);
        Double score = switch (r.nextInt(12)) {
            case 0 -> null;
            case 1 -> mariaDb ? 1.5 : Double.NaN;
            case 2 -> mariaDb ? -2.25e10 : Double.POSITIVE_INFINITY;
            case 3 -> 0.0;
            case 4 -> -0.0;
            default -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-3, 12));
        };
        LocalDateTime created = r.nextInt(15) == 0 ? null : LocalDateTime.of(1950, 1, 1, 0, 0)
                .plus(r.nextLong(0, 100L * 365 * 86_400_000_000L), ChronoUnit.MICROS);
        Instant seen = r.nextInt(15) == 0 ? null : Instant.parse(mariaDb ? "1971-01-01T00:00:00Z" : "1960-01-01T00:00:00Z")
                .plus(r.nextLong(0, (mariaDb ? 60L : 90L) * 365 * 86_400_000_000L), ChronoUnit.MICROS);
        String[] words = {"alice", "Bob", "ÉLODIE", "Straße", "ΟΔΥΣΣΕΑΣ", "o'hara", "x y"};
        String name = r.nextInt(15) == 0 ? null : words[r.nextInt(words.length)];
        String[] notes = {null, "", " ", "x"};
        String note = notes[r.nextInt(notes.length)];
        Integer qty = r.nextInt(10) == 0 ? null : Integer.valueOf(r.nextInt(100));
        return new Row(id, price, score, created, seen, name, note, qty);
    }

    /** The target's copy of a source row: each value the same, or moved to or past its rule's edge. */
    private static Row near(Random r, Row s) {
        BigDecimal price = s.price();
        switch (r.nextInt(10)) {
            case 0 -> price = price == null ? BigDecimal.ONE : null;
            case 1 -> price = price == null ? null : price.add(new BigDecimal("0.0050")); // exactly the tolerance
            case 2 -> price = price == null ? null : price.subtract(new BigDecimal("0.0049"));
            case 3 -> price = price == null ? null : price.add(new BigDecimal("0.0051"));
            case 4 -> price = price == null ? null : price.subtract(BigDecimal.ONE);
            default -> {
            }
        }
        Double score = s.score();
        switch (r.nextInt(10)) {
            case 0 -> score = score == null ? 1.0 : null;
            case 1 -> score = score == null ? null : score * (1 + 5e-7);
            case 2 -> score = score == null ? null : score * (1 - 5e-7);
            case 3 -> score = score == null ? null : score * (1 + 3e-6);
            case 4 -> score = score == null ? null : score.equals(0.0) ? -0.0 : score.isNaN() ? 1.0
                    : Double.valueOf(-score);
            default -> {
            }
        }
        LocalDateTime created = s.created();
        long[] createdMoves = {1, -1, 999, 1000, 1_000_000};
        if (created != null && r.nextInt(3) == 0) {
            created = created.plus(createdMoves[r.nextInt(createdMoves.length)], ChronoUnit.MICROS);
        }
        Instant seen = s.seen();
        long[] seenMoves = {1, -1, 999_999, 1_000_000, 60_000_000};
        if (seen != null && r.nextInt(3) == 0) {
            seen = seen.plus(seenMoves[r.nextInt(seenMoves.length)], ChronoUnit.MICROS);
        }
        String name = s.name();
        if (name != null) {
            switch (r.nextInt(6)) {
                case 0 -> name = name.toUpperCase(java.util.Locale.ROOT);
                case 1 -> name = "  " + name + " ";
                case 2 -> name = name + "z";
                case 3 -> name = null;
                default -> {
                }
            }
        }
        String[] notes = {null, "", " ", "x", "y"};
        String note = r.nextInt(2) == 0 ? s.note() : notes[r.nextInt(notes.length)];
        Integer qty = s.qty();
        if (r.nextInt(8) == 0) {
            qty = qty == null ? Integer.valueOf(7) : Integer.valueOf(qty + 1);
        }
        return new Row(s.id(), price, score, created, seen, name, note, qty);
    }

    /** Different in the column's type, rules aside (numbers by value, -0 = 0, NaN = NaN). */
    private static boolean rawDiffers(String column, Row s, Row t) {
        return switch (column) {
            case "total" -> s.price() == null || t.price() == null ? s.price() != t.price()
                    : s.price().compareTo(t.price()) != 0;
            case "rating" -> s.score() == null || t.score() == null ? s.score() != t.score()
                    : !(s.score().isNaN() && t.score().isNaN()) && s.score().doubleValue() != t.score().doubleValue();
            case "created_at" -> !Objects.equals(s.created(), t.created());
            case "seen_at" -> !Objects.equals(s.seen(), t.seen());
            case "customer" -> !Objects.equals(s.name(), t.name());
            case "remark" -> !Objects.equals(s.note(), t.note());
            case "quantity" -> !Objects.equals(s.qty(), t.qty());
            default -> throw new IllegalArgumentException(column);
        };
    }

    /** Different under the mapping's rules, computed here without recon's code. */
    private static boolean ruleDiffers(String column, Row s, Row t) {
        return switch (column) {
            case "total" -> s.price() == null || t.price() == null ? s.price() != t.price()
                    : s.price().subtract(t.price()).abs().compareTo(new BigDecimal("0.005")) > 0;
            case "rating" -> {
                Double x = s.score();
                Double y = t.score();
                if (x == null || y == null) {
                    yield x != y;
                }
                if (x.isNaN() || y.isNaN() || x.isInfinite() || y.isInfinite()) {
                    yield !(x.isNaN() && y.isNaN()) && !x.equals(y);
                }
                yield Math.abs(x - y) > 1e-6 * Math.max(Math.abs(x), Math.abs(y));
            }
            case "created_at" -> !Objects.equals(s.created() == null ? null : s.created().truncatedTo(ChronoUnit.MILLIS),
                    t.created() == null ? null : t.created().truncatedTo(ChronoUnit.MILLIS));
            case "seen_at" -> !Objects.equals(s.seen() == null ? null : s.seen().truncatedTo(ChronoUnit.SECONDS),
                    t.seen() == null ? null : t.seen().truncatedTo(ChronoUnit.SECONDS));
            case "customer" -> s.name() == null || t.name() == null ? s.name() != t.name()
                    : !s.name().strip().equalsIgnoreCase(t.name().strip());
            case "remark" -> !Objects.equals(s.note() == null || s.note().isEmpty() ? null : s.note(),
                    t.note() == null || t.note().isEmpty() ? null : t.note());
            case "quantity" -> rawDiffers(column, s, t);
            default -> throw new IllegalArgumentException(column);
        };
    }

    private static void load(Map<Integer, Row> source, Map<Integer, Row> target) {
        for (PgDatabase db : List.of(a, b)) {
            try (Handle h = db.jdbi().open()) {
                h.execute("DROP TABLE IF EXISTS rules_src, rules_tgt, rewrites");
                h.execute("CREATE TABLE rules_src (id int PRIMARY KEY, price numeric(12,4), score float8,"
                        + " created timestamp(6), seen timestamptz(6), name text, note text, qty int)");
                h.execute("CREATE TABLE rules_tgt " + TARGET);
                insert(h, "rules_src", source);
                insert(h, "rules_tgt", target);
                // every update of a target row counted: a second sync must not rewrite one
                h.execute("CREATE TABLE rewrites (n bigint); INSERT INTO rewrites VALUES (0)");
                h.execute("CREATE OR REPLACE FUNCTION count_rewrite() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$ BEGIN UPDATE rewrites SET n = n + 1; RETURN NEW; END $$");
                h.execute("CREATE TRIGGER counted AFTER UPDATE ON rules_tgt FOR EACH ROW EXECUTE FUNCTION"
                        + " count_rewrite()");
            }
        }
    }

    /** The same rows in MariaDB: m_src and m_tgt, with MariaDB's types for the same values. */
    private static void loadMariaDb(Map<Integer, Row> source, Map<Integer, Row> target) throws SQLException {
        maria.execute("DROP TABLE IF EXISTS m_src, m_tgt, rewrites");
        maria.execute("CREATE TABLE m_src (id int PRIMARY KEY, price decimal(12,4), score double, created"
                + " datetime(6), seen timestamp(6) NULL DEFAULT NULL, name varchar(40), note text, qty int)");
        maria.execute("CREATE TABLE m_tgt (order_id int PRIMARY KEY, total decimal(12,4), rating double, created_at"
                + " datetime(6), seen_at timestamp(6) NULL DEFAULT NULL, customer varchar(40), remark text,"
                + " quantity int)");
        maria.execute("CREATE TABLE rewrites (n bigint)");
        maria.execute("INSERT INTO rewrites VALUES (0)");
        maria.execute("CREATE TRIGGER counted AFTER UPDATE ON m_tgt FOR EACH ROW UPDATE rewrites SET n = n + 1");
        try (Connection c = maria.connect(); Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            for (var table : List.of(Map.entry("m_src", source), Map.entry("m_tgt", target))) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table.getKey()
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Row r : table.getValue().values()) {
                        ps.setInt(1, r.id());
                        ps.setBigDecimal(2, r.price());
                        ps.setObject(3, r.score());
                        ps.setString(4, r.created() == null ? null : r.created().toString().replace('T', ' '));
                        ps.setString(5, r.seen() == null ? null
                                : LocalDateTime.ofInstant(r.seen(), ZoneOffset.UTC).toString().replace('T', ' '));
                        ps.setString(6, r.name());
                        ps.setString(7, r.note());
                        ps.setObject(8, r.qty());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
        }
    }

    /**
     * PostgreSQL into MariaDB and MariaDB into PostgreSQL, by merge and by hash, with the same
     * rules and the same oracle (values MariaDB holds: no NaN or infinity, a TIMESTAMP within
     * its range); each sync converges and its second run rewrites no row.
     */
    @Test
    void acrossEnginesTheRulesGiveTheSameAnswer() {
        qt().withExamples(Math.max(3, TRIES / 3)).withShrinkCycles(0).forAll(longs().all()).checkAssert(seed -> {
            Map<Integer, Row> source = new TreeMap<>();
            Map<Integer, Row> target = new TreeMap<>();
            generate(seed, true, source, target);
            load(source, target);
            try {
                loadMariaDb(source, target);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            Expected expected = expect(source, target);
            String yaml = "connections:\n  a: { url: \"" + a.url() + "\" }\n  m: { url: \"" + maria.url() + "\" }\n"
                    + "state:\n  schema: " + STATE + "\nsyncs:\n"
                    + "  - name: into\n" + MAPPING.formatted("a", "m", "m_tgt", "merge")
                    + "  - name: into_hash\n" + MAPPING.formatted("a", "m", "m_tgt", "hash")
                    + "  - name: from\n" + MAPPING.formatted("m", "a", "public.rules_tgt", "merge")
                            .replace("table: rules_src", "table: m_src")
                    + "  - name: from_hash\n" + MAPPING.formatted("m", "a", "public.rules_tgt", "hash")
                            .replace("table: rules_src", "table: m_src");
            Recon recon = new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
            for (String name : List.of("into", "into_hash", "from", "from_hash")) {
                agree(recon, name, expected, seed);
            }
            convergesWithoutRewrites(recon, "into", expected, seed,
                    () -> Long.parseLong(maria.queryString("SELECT n FROM rewrites")));
            convergesWithoutRewrites(recon, "from", expected, seed, () -> count(a));
        });
    }

    private static final String STATE = "recon_rules_" + ProcessHandle.current().pid();

    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE + ";\nDROP DATABASE IF EXISTS " + STATE + "_lock");
    }

    private static void insert(Handle h, String table, Map<Integer, Row> rows) {
        PreparedBatch batch = h.prepareBatch("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (Row r : rows.values()) {
            batch.bind(0, r.id()).bind(1, r.price()).bind(2, r.score()).bind(3, r.created())
                    .bind(4, r.seen() == null ? null : OffsetDateTime.ofInstant(r.seen(), ZoneOffset.UTC))
                    .bind(5, r.name()).bind(6, r.note()).bind(7, r.qty()).add();
        }
        if (!rows.isEmpty()) {
            batch.execute();
        }
    }
}
