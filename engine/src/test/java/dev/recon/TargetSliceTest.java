package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.ReconException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import dev.recon.result.Counts;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails;
import dev.recon.testing.PgDatabase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code target.where}: a mapping reconciles a slice of each side. Random tables (0 to 400 rows,
 * NULL values, rows whose day puts them inside one side's slice and outside the other's) are
 * compared by join, merge and hash with slices on both sides, and the counts are the ones worked
 * out here from the rows: inserts for source keys the target lacks altogether, updates and
 * deletes inside the target's slice only, and a source row whose key the target holds outside
 * its slice counted apart, never inserted. A sync converges and leaves every target row
 * outside the slice as it was; the delete guard counts the slice's rows.
 */
class TargetSliceTest {
    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private record Row(int id, int day, String v) {
    }

    private static String yaml(String strategy, int sourceFrom, int targetFrom) {
        return "connections:\n  db:\n    url: \"" + pg.url() + "\"\nsyncs:\n  - name: slice\n"
                + "    source: {connection: db, table: public.ssrc, where: \"day >= " + sourceFrom + "\"}\n"
                + "    target: {connection: db, table: public.sdst, where: \"day >= " + targetFrom + "\"}\n"
                + "    key: {id: id}\n    strategy: " + strategy + "\n";
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    private static List<Row> rows(String table) {
        List<Row> out = new ArrayList<>();
        for (Map<String, Object> r : pg.rows("SELECT id, day, v FROM " + table + " ORDER BY id")) {
            out.add(new Row((Integer) r.get("id"), (Integer) r.get("day"), (String) r.get("v")));
        }
        return out;
    }

    @Test
    void slicesOnBothSidesAgreeWithTheRowsAndASyncLeavesTheRestAlone() {
        Random r = new Random(32);
        for (int round = 0; round < 8; round++) {
            int n = round == 0 ? 0 : round == 1 ? 1 : r.nextInt(400);
            pg.execute("DROP TABLE IF EXISTS ssrc; DROP TABLE IF EXISTS sdst;"
                    + " CREATE TABLE ssrc (id int PRIMARY KEY, day int NOT NULL, v text);"
                    + " CREATE TABLE sdst (id int PRIMARY KEY, day int NOT NULL, v text)");
            StringBuilder src = new StringBuilder();
            StringBuilder dst = new StringBuilder();
            for (int id = 0; id < n; id++) {
                int day = r.nextInt(10);
                String v = r.nextInt(5) == 0 ? "NULL" : "'v" + r.nextInt(3) + "'";
                int fate = r.nextInt(6);
                if (fate != 0) {
                    src.append(src.length() == 0 ? "" : ", ").append("(").append(id).append(", ").append(day)
                            .append(", ").append(v).append(")");
                }
                if (fate != 1) {
                    // the same day, or another: the row may cross the slice's edge on the target
                    int tday = fate == 2 ? r.nextInt(10) : day;
                    String tv = fate == 3 ? "'other'" : v;
                    dst.append(dst.length() == 0 ? "" : ", ").append("(").append(id).append(", ").append(tday)
                            .append(", ").append(tv).append(")");
                }
            }
            if (src.length() > 0) {
                pg.execute("INSERT INTO ssrc VALUES " + src);
            }
            if (dst.length() > 0) {
                pg.execute("INSERT INTO sdst VALUES " + dst);
            }
            int sourceFrom = r.nextInt(8);
            int targetFrom = r.nextInt(8);
            // what the slices hold, worked out from the rows
            Map<Integer, Row> source = new HashMap<>();
            rows("ssrc").stream().filter(x -> x.day() >= sourceFrom).forEach(x -> source.put(x.id(), x));
            Map<Integer, Row> target = new HashMap<>();
            Map<Integer, Row> outside = new HashMap<>();
            for (Row x : rows("sdst")) {
                (x.day() >= targetFrom ? target : outside).put(x.id(), x);
            }
            long inserts = source.keySet().stream().filter(k -> !target.containsKey(k) && !outside.containsKey(k))
                    .count();
            long beyond = source.keySet().stream().filter(outside::containsKey).count();
            long updates = source.values().stream().filter(x -> target.containsKey(x.id()) && !(target.get(x.id())
                    .day() == x.day() && Objects.equals(target.get(x.id()).v(), x.v()))).count();
            long deletes = target.keySet().stream().filter(k -> !source.containsKey(k)).count();
            Counts expected = new Counts(inserts, updates, deletes);
            for (String strategy : List.of("join", "merge", "hash")) {
                String what = strategy + " round " + round + " rows " + n + " slices " + sourceFrom + "/" + targetFrom;
                RunResult result;
                try {
                    result = recon(yaml(strategy, sourceFrom, targetFrom)).diff(DiffRequest.of(List.of()));
                } catch (ReconException e) {
                    throw new AssertionError(e.describe(), e);
                }
                assertThat(result.errors()).as(what).isEmpty();
                MappingResult m = result.mappings().get(0);
                assertThat(m.counts()).as(what).isEqualTo(expected);
                assertThat(m.details().get(StrategyDetails.Figure.OUTSIDE_TARGET_SLICE).orElse(0)).as(what)
                        .isEqualTo(beyond);
            }
            List<Row> before = rows("sdst").stream().filter(x -> x.day() < targetFrom).toList();
            Recon recon = recon(yaml("merge", sourceFrom, targetFrom));
            RunResult sync = recon.sync(SyncRequest.of(List.of("slice"), SyncOptions.defaults()
                    .withMaxDeletes(MaxDeletes.parse("100%"), false)));
            assertThat(sync.errors()).isEmpty();
            assertThat(sync.mappings().get(0).applied().orElseThrow().written()).isEqualTo(expected);
            assertThat(recon.diff(DiffRequest.of(List.of())).inSync()).isTrue();
            // rows outside the slice were neither written nor deleted (a source row updated into the slice is
            // the target's row of that key, which the slice did not hold: left alone)
            List<Row> after = rows("sdst").stream().filter(x -> before.stream().anyMatch(b -> b.id() == x.id()))
                    .toList();
            assertThat(after).as("round " + round).isEqualTo(before);
        }
    }

    /** The delete guard's percentage is of the slice's rows; a MariaDB or DuckDB target refuses a slice so far. */
    @Test
    void theDeleteGuardCountsTheSlice() {
        pg.execute("DROP TABLE IF EXISTS ssrc; DROP TABLE IF EXISTS sdst;"
                + " CREATE TABLE ssrc (id int PRIMARY KEY, day int NOT NULL, v text);"
                + " CREATE TABLE sdst (id int PRIMARY KEY, day int NOT NULL, v text);"
                + " INSERT INTO ssrc SELECT i, 5, 'x' FROM generate_series(1, 10) i;"
                + " INSERT INTO sdst SELECT i, CASE WHEN i <= 10 THEN 5 ELSE 1 END, 'x' FROM generate_series(1, 1000) i;"
                + " INSERT INTO sdst VALUES (2000, 5, 'gone'), (2001, 5, 'gone'), (2002, 5, 'gone')");
        // 3 of the slice's 13 rows are deletes: 23%, over a 10% guard, though 0.3% of the table
        RunResult sync = recon(yaml("join", 5, 5)).sync(SyncRequest.of(List.of("slice"), SyncOptions.defaults()
                .withMaxDeletes(MaxDeletes.parse("10%"), false)));
        assertThat(sync.errors()).singleElement().asString().contains("13");
        assertThat(pg.value("SELECT count(*) FROM sdst", Long.class)).isEqualTo(1003L);
    }

    /**
     * An empty target with a slice takes the initial load, whose rows and lines are not held back
     * (every row written once, as counted, in batches of one too); a keyless target with a slice
     * is compared as a multiset of the slice.
     */
    @Test
    void anEmptySlicedTargetIsLoadedAndAKeylessOneCompared() {
        pg.execute("DROP TABLE IF EXISTS ssrc; DROP TABLE IF EXISTS sdst;"
                + " CREATE TABLE ssrc (id int PRIMARY KEY, day int NOT NULL, v text);"
                + " CREATE TABLE sdst (id int PRIMARY KEY, day int NOT NULL, v text);"
                + " INSERT INTO ssrc SELECT i, i % 10, 'v' || i FROM generate_series(1, 1200) i");
        String yaml = yaml("join", 0, 0) + "    batch_size: 1\n";
        RunResult sync = recon(yaml).sync(SyncRequest.of(List.of("slice"), SyncOptions.defaults()));
        assertThat(sync.errors()).isEmpty();
        assertThat(sync.mappings().get(0).applied().orElseThrow().written()).isEqualTo(new Counts(1200, 0, 0));
        assertThat(pg.value("SELECT count(*) FROM sdst s JOIN ssrc USING (id, day, v)", Long.class)).isEqualTo(1200L);
        pg.execute("DROP TABLE IF EXISTS kdst; CREATE TABLE kdst (day int, v text);"
                + " INSERT INTO kdst VALUES (5, 'a'), (5, 'a'), (1, 'b');"
                + " DROP TABLE IF EXISTS ksrc; CREATE TABLE ksrc (day int, v text); INSERT INTO ksrc VALUES (5, 'a'), (1, 'c')");
        String keyless = "connections:\n  db:\n    url: \"" + pg.url() + "\"\nsyncs:\n  - name: k\n"
                + "    source: {connection: db, table: public.ksrc, where: \"day >= 5\"}\n"
                + "    target: {connection: db, table: public.kdst, where: \"day >= 5\"}\n    key: none\n    strategy: merge\n";
        RunResult diff = recon(keyless).diff(DiffRequest.of(List.of()));
        assertThat(diff.errors()).isEmpty();
        assertThat(diff.mappings().get(0).counts()).isEqualTo(new Counts(0, 0, 1));
    }
}
