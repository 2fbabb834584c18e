package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.PlanException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.RangeOptions;
import dev.recon.config.SyncOptions;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Purpose;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.run.KeyRanges;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Key ranges ({@code split_rows}, {@code threads}, {@code --shard}) against the single run.
 * Random tables (0 to 3,000 rows; a composite key of a nullable bigint and a text part; NULL
 * first parts; tiny {@code split_rows}; statistics gathered in some rounds and stale or missing in
 * the others) held by PostgreSQL on two servers and by MariaDB: every range plan's conditions
 * hold every source row exactly once, and the changes of all ranges are the single run's, change
 * for change, by join, merge and hash, PostgreSQL to PostgreSQL, to MariaDB and from it. The
 * shards of a sync each take their ranges of one stored cut, add up to the single run's changes
 * and converge.
 */
class KeyRangesPropertyTest {
    @RegisterExtension
    static final PgDatabase source = new PgDatabase();
    @RegisterExtension
    static final PgDatabase target = new PgDatabase();
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    /** The state schema of this test's syncs: its own, dropped at the end (MariaDB's is a database of the server). */
    private static final String STATE = "recon_kr_" + ProcessHandle.current().pid();

    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE);
    }

    private record Row(Long a, String b, String v) {
    }

    private static final String[] TEXTS = {"x", "y", "A", "á"};

    /** Source and target rows: unique (a, b) pairs, a NULL in about one row of ten (never on MariaDB's tables). */
    private static List<List<Row>> draw(Random r, int n) {
        List<Row> src = new ArrayList<>();
        List<Row> dst = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int spread = 1 + r.nextInt(3) * 700;
        for (int i = 0; i < n; i++) {
            Long a = r.nextInt(10) == 0 ? null : (long) (r.nextInt(spread + 50) - 50);
            String b = TEXTS[r.nextInt(TEXTS.length)];
            if (!seen.add(a + "|" + b)) {
                continue;
            }
            String v = r.nextInt(6) == 0 ? null : "v" + r.nextInt(3);
            int fate = r.nextInt(8);
            if (fate != 0) {
                src.add(new Row(a, b, v));
            }
            if (fate != 1) {
                dst.add(new Row(a, b, fate == 2 ? "other" : v));
            }
        }
        return List.of(src, dst);
    }

    private static String values(List<Row> rows, boolean withNulls) {
        List<String> out = new ArrayList<>();
        for (Row row : rows) {
            if (row.a() == null && !withNulls) {
                continue;
            }
            out.add("(" + row.a() + ", '" + row.b() + "', " + (row.v() == null ? "NULL" : "'" + row.v() + "'") + ")");
        }
        return String.join(", ", out);
    }

    private static void load(List<List<Row>> rows, boolean analyze) {
        String pgTable = "(a bigint, b text NOT NULL, v text, UNIQUE (a, b))";
        source.execute("DROP TABLE IF EXISTS src; DROP TABLE IF EXISTS jdst; CREATE TABLE src " + pgTable
                + "; CREATE TABLE jdst " + pgTable);
        target.execute("DROP TABLE IF EXISTS dst; DROP TABLE IF EXISTS mdst; CREATE TABLE dst " + pgTable
                + "; CREATE TABLE mdst " + pgTable);
        String mariaTable = "(a bigint NOT NULL, b varchar(10) COLLATE utf8mb4_nopad_bin NOT NULL, v varchar(10),"
                + " PRIMARY KEY (a, b))";
        maria.execute("DROP TABLE IF EXISTS msrc;\nDROP TABLE IF EXISTS mdst;\nCREATE TABLE msrc " + mariaTable
                + ";\nCREATE TABLE mdst " + mariaTable);
        if (!rows.get(0).isEmpty()) {
            source.execute("INSERT INTO src VALUES " + values(rows.get(0), true));
        }
        if (!rows.get(1).isEmpty()) {
            source.execute("INSERT INTO jdst VALUES " + values(rows.get(1), true));
            target.execute("INSERT INTO dst VALUES " + values(rows.get(1), true));
        }
        String mariaSource = values(rows.get(0), false);
        String mariaTarget = values(rows.get(1), false);
        if (!mariaSource.isEmpty()) {
            maria.execute("INSERT INTO msrc VALUES " + mariaSource);
        }
        if (!mariaTarget.isEmpty()) {
            // MariaDB's target and PostgreSQL's target of MariaDB's source hold the same rows: pm and mp differ alike
            maria.execute("INSERT INTO mdst VALUES " + mariaTarget);
            target.execute("INSERT INTO mdst VALUES " + mariaTarget);
        }
        if (analyze) {
            source.execute("ANALYZE src; ANALYZE jdst");
            target.execute("ANALYZE dst; ANALYZE mdst");
        }
    }

    /** The mapping file: {@code cut} is the mappings' own lines ({@code split_rows: 7}), or empty for none. */
    private static String yaml(String strategy, String cut) {
        String own = "    strategy: " + (strategy.equals("join") ? "merge" : strategy) + "\n"
                + (cut.isEmpty() ? "" : "    " + cut + "\n");
        return "connections:\n  pg:\n    url: \"" + source.url() + "\"\n  pg2:\n    url: \"" + target.url() + "\"\n"
                + "  maria:\n    url: \"" + maria.url() + "\"\n"
                + "state:\n  schema: " + STATE + "\nsyncs:\n"
                + "  - name: pp\n    source: {connection: pg, table: public.src}\n    target: {connection: pg2, table:"
                + " public.dst}\n    key: {a: a, b: b}\n" + own
                + "  - name: pm\n    source: {connection: pg, table: public.src, where: \"a IS NOT NULL\"}\n"
                + "    target: {connection: maria, table: mdst}\n    key: {a: a, b: b}\n" + own
                + "  - name: mp\n    source: {connection: maria, table: msrc}\n    target: {connection: pg2, table:"
                + " public.mdst}\n    key: {a: a, b: b}\n" + own
                + "  - name: pj\n    source: {connection: pg, table: public.src}\n    target: {connection: pg, table:"
                + " public.jdst}\n    key: {a: a, b: b}\n    strategy: " + (strategy.equals("join") ? "join" : "auto")
                + "\n" + (cut.isEmpty() ? "" : "    " + cut + "\n");
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    /** A plan's problems, for the messages of failed checks. */
    private static <T> T said(java.util.function.Supplier<T> run) {
        try {
            return run.get();
        } catch (PlanException e) {
            throw new AssertionError(e.getMessage() + " " + e.problems(), e);
        }
    }

    /** Every change of a run, as mapping (the range's, added back up), operation and key, sorted. */
    private static List<String> changes(RunResult result, List<String> streamed) {
        assertThat(result.errors()).isEmpty();
        List<String> out = new ArrayList<>(streamed);
        Collections.sort(out);
        long counted = result.mappings().stream().mapToLong(MappingResult::total).sum();
        assertThat(out).hasSize((int) counted);
        return out;
    }

    private static List<String> diff(Recon recon, RangeOptions ranges) {
        List<String> streamed = Collections.synchronizedList(new ArrayList<>());
        RunResult result = said(() -> recon.diff(DiffRequest.of(List.of()).withSamples(0).withRanges(ranges).withJobs(2)
                .withListener((plan, change) -> streamed.add(plan.mapping() + " " + change.operation() + " "
                        + change.key()))));
        return changes(result, streamed);
    }

    @Test
    void theRangesOfEveryPlanHoldEachKeyOnceAndTheirChangesAreTheSingleRunsChanges() {
        Random r = new Random(3205);
        int[] sizes = {0, 1, 2, 300, 3000, r.nextInt(3000), r.nextInt(3000)};
        for (int round = 0; round < sizes.length; round++) {
            List<List<Row>> rows = draw(r, sizes[round]);
            load(rows, round % 2 == 0);
            String cut = round == 2 ? "threads: 3" : "split_rows: " + (1 + r.nextInt(round < 3 ? 2 : 400));
            // the join oracle: pj compares the same rows on one server; its changes are pp's, and, without the
            // rows whose first key part is NULL (which MariaDB's tables do not hold), pm's and mp's
            List<String> oracle = diff(recon(yaml("join", "")), RangeOptions.NONE).stream()
                    .filter(c -> c.startsWith("pj ")).map(c -> c.substring(3)).toList();
            for (String strategy : List.of("join", "merge", "hash")) {
                String context = "round " + round + " (" + sizes[round] + " rows, " + cut + ", " + strategy + ")";
                List<String> single = diff(recon(yaml(strategy, "")), RangeOptions.NONE);
                for (String mapping : List.of("pp", "pm", "mp")) {
                    List<String> expected = oracle.stream().filter(c -> mapping.equals("pp") || !c.contains("[null, "))
                            .toList();
                    assertThat(single.stream().filter(c -> c.startsWith(mapping + " ")).map(c -> c.substring(3))
                            .toList()).as(context + ": " + mapping + " against the join oracle").isEqualTo(expected);
                }
                Recon split = recon(yaml(strategy, cut));
                assertThat(diff(split, RangeOptions.NONE)).as(context).isEqualTo(single);
                assertCovered(split, context, single.stream().filter(c -> c.startsWith("pp ")).toList());
            }
        }
    }

    /**
     * Every source row of pp lies in exactly one of its ranges (counted by each range's
     * condition), and the hash by segments of every size (not the whole-table summary of small
     * tables), its summaries by index or not, finds in the ranges the single run's changes.
     */
    private static void assertCovered(Recon recon, String context, List<String> single) {
        Databases databases = new Databases();
        try {
            List<MappingPlan> plans = recon.plan(List.of("pp"), Purpose.DIFF);
            List<MappingPlan> ranges = KeyRanges.cut(plans, List.of("pp"), databases, STATE, RangeOptions.NONE, false)
                    .plans();
            long total = source.value("SELECT count(*) FROM src", Long.class);
            StringBuilder times = new StringBuilder("SELECT count(*) FROM src WHERE (0");
            for (MappingPlan range : ranges) {
                times.append(" + CASE WHEN ").append(range.sourceFilter().orElseThrow()).append(" THEN 1 ELSE 0 END");
            }
            times.append(") <> 1");
            assertThat(source.value(times.toString(), Long.class)).as(context + ": rows not in exactly one range")
                    .isZero();
            assertThat(ranges.stream().allMatch(p -> p.range().isPresent())).isTrue();
            assertThat(total).isGreaterThanOrEqualTo(0);
            for (var index : dev.recon.diff.hash.HashDiff.IndexUse.values()) {
                List<String> found = new ArrayList<>();
                for (MappingPlan range : ranges) {
                    new dev.recon.diff.hash.HashDiff(databases, 3, 1.0, 1_000_000, index).diff(range,
                            c -> found.add("pp " + c.operation() + " " + c.key()));
                }
                Collections.sort(found);
                assertThat(found).as(context + ", hash by segments, index use " + index).isEqualTo(single);
            }
        } finally {
            databases.closeIdle();
        }
    }

    private static String storedPp;

    @Test
    void theShardsOfASyncTakeTheirRangesOfOneStoredCutAndConverge() {
        Random r = new Random(3206);
        for (int round = 0; round < 3; round++) {
            List<List<Row>> rows = draw(r, round == 0 ? 5 : 1500);
            load(rows, round != 1);
            for (String strategy : List.of("merge", "hash")) {
                load(rows, round != 1);
                String yaml = yaml(strategy, "split_rows: " + (round == 0 ? 1 : 90));
                List<String> single = diff(recon(yaml(strategy, "")), RangeOptions.NONE);
                if (round == 1 && strategy.equals("merge")) {
                    // the cut stored by round 0 was made for another split_rows: workers refuse it, none replaces it
                    assertThatThrownBy(() -> recon(yaml).sync(SyncRequest.of(List.of("pp"), SyncOptions.defaults())
                            .withRanges(new RangeOptions(0, 3, 0, false))))
                            .isInstanceOf(PlanException.class)
                            .satisfies(e -> assertThat(String.join("\n", ((PlanException) e).problems()))
                                    .contains("were cut for split_rows 1 of public.src.a, and the mapping now asks for split_rows 90 of"
                                            + " public.src.a")
                                    .contains("recon sync --recut"));
                    assertThat(target.value("SELECT bounds FROM " + STATE + ".key_range_cut WHERE sync_name = 'pp'",
                            String.class)).isEqualTo(storedPp);
                    target.execute("DELETE FROM " + STATE + ".key_range_cut");
                    source.execute("DELETE FROM " + STATE + ".key_range_cut");
                    maria.execute("DELETE FROM " + STATE + ".key_range_cut");
                }
                List<String> shards = new ArrayList<>();
                for (int shard = 0; shard < 3; shard++) {
                    List<String> streamed = Collections.synchronizedList(new ArrayList<>());
                    int at = shard;
                    RunResult result = said(() -> recon(yaml).sync(SyncRequest.of(List.of(), SyncOptions.defaults()
                            .withMaxDeletes(MaxDeletes.parse("100%"), false)).withRanges(new RangeOptions(at, 3, 0,
                                    false)).withListener((plan, change) -> streamed.add(plan.mapping() + " "
                                            + change.operation() + " " + change.key()))));
                    shards.addAll(changes(result, streamed));
                    assertThat(result.converged()).as("shard " + shard).isTrue();
                }
                Collections.sort(shards);
                assertThat(shards).as("round " + round + ", " + strategy).isEqualTo(single);
                assertThat(diff(recon(yaml(strategy, "")), RangeOptions.NONE)).isEmpty();
                // a diff under --shard reads the stored cut
                assertThat(diff(recon(yaml), new RangeOptions(1, 3, 0, false))).isEmpty();
                assertThat(target.value("SELECT count(*) FROM " + STATE + ".key_range_cut", Long.class)).isEqualTo(2);
                storedPp = target.value("SELECT bounds FROM " + STATE + ".key_range_cut WHERE sync_name = 'pp'",
                        String.class);
            }
        }
    }

    @Test
    void aDiffUnderShardWithoutAStoredCutAndAKeyThatCannotBeCutAreRefusedByName() {
        load(draw(new Random(1), 50), true);
        String yaml = yaml("merge", "split_rows: 10").replace("name: pp", "name: pp_never_synced");
        assertThatThrownBy(() -> recon(yaml).diff(DiffRequest.of(List.of("pp_never_synced"))
                .withRanges(new RangeOptions(0, 2, 0, false))))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(String.join("\n", ((PlanException) e).problems()))
                        .contains("mapping 'pp_never_synced' is cut into key ranges")
                        .contains("run a sync with --shard first"));
        String text = yaml.replace("key: {a: a, b: b}", "key: {b: b, a: a}");
        assertThatThrownBy(() -> recon(text).validate(List.of("pp_never_synced"), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(String.join("\n", ((PlanException) e).problems()))
                        .contains("b is compared as text"));
        // --threads asks every mapping: one with a text key is compared whole, not refused
        assertThat(recon(yaml("merge", "").replace("key: {a: a, b: b}", "key: {b: b, a: a}")).diff(DiffRequest.of(
                List.of("pp")).withRanges(new RangeOptions(0, 1, 3, false))).mappings()).singleElement()
                .satisfies(m -> assertThat(m.plan().range()).isEmpty());
        assertThatThrownBy(() -> recon(text).diff(DiffRequest.of(List.of("pp_never_synced"))))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(String.join("\n", ((PlanException) e).problems()))
                        .contains("mapping 'pp_never_synced': split_rows cuts a table into ranges of its first"
                                + " key column, which must be a whole number")
                        .contains("b is compared as text"));
        // a fractional source key on one server (the join rounds it into the bigint key): refused, not cut
        source.execute("DROP TABLE IF EXISTS nsrc; CREATE TABLE nsrc (a numeric(12,2) PRIMARY KEY, v text);"
                + " DROP TABLE IF EXISTS ndst; CREATE TABLE ndst (a bigint PRIMARY KEY, v text)");
        String fractions = "connections:\n  pg:\n    url: \"" + source.url() + "\"\nsyncs:\n  - name: fractions\n"
                + "    source: {connection: pg, table: public.nsrc}\n    target: {connection: pg, table: public.ndst}\n"
                + "    key: {a: a}\n    strategy: join\n    threads: 2\n";
        assertThatThrownBy(() -> recon(fractions).diff(DiffRequest.of(List.of())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(String.join("\n", ((PlanException) e).problems()))
                        .contains("mapping 'fractions': threads cuts a table into ranges of its first key column, which"
                                + " must be a whole number on both sides; on the source a is numeric"));
    }

    @Test
    void aRangesDeleteGuardIsItsShareOfTheTables() {
        MaxDeletes standard = MaxDeletes.standard();
        assertThat(standard.allowed(50, 4)).isEqualTo(25);       // 100 rows shared out: 25 a range
        assertThat(standard.allowed(10_000, 4)).isEqualTo(1_000); // 10% of the range
        assertThat(MaxDeletes.parse("1000").allowed(10_000, 8)).isEqualTo(125);
        assertThat(MaxDeletes.parse("5%").allowed(10_000, 8)).isEqualTo(500);
        assertThat(MaxDeletes.parse("1000").allowed(10_000, 1)).isEqualTo(1000);
        assertThat(KeyRanges.wholeNumbers("bigint(20) unsigned")).isTrue();
        assertThat(KeyRanges.wholeNumbers("numeric")).isFalse();
        assertThat(KeyRanges.wholeNumbers("DECIMAL(18,0)")).isTrue();
        assertThat(KeyRanges.wholeNumbers("double precision")).isFalse();
    }
}
