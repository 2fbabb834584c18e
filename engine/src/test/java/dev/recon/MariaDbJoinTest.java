package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.config.MaxDeletes;
import dev.recon.base.PlanException;
import dev.recon.report.ReportFormat;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two MariaDB tables on one connection, joined on their server ({@code strategy: join},
 * {@code MariaDbJoinDiff}): keys
 * a case- and pad-blind collation calls equal stay apart, values compare byte for byte, a
 * long float's text arrives whole, NULL key parts pair, soft-deleted rows come back, a
 * duplicate key stops the diff, and keys of two collations are refused with the reason.
 */
class MariaDbJoinTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    /** The sync's state database, dropped after the tests. */
    private static final String STATE = "recon_t_jstate_" + ProcessHandle.current().pid();

    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE + ";\nDROP DATABASE IF EXISTS " + STATE + "_lock");
    }

    /** A mapping from js into {@code target} on one connection: by join unless {@code extra} says otherwise. */
    private static String yaml(String target, String extra) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n"
                + "state:\n  schema: " + STATE + "\n"
                + "syncs:\n  - name: j\n    source: {connection: maria, table: js}\n"
                + "    target: {connection: maria, table: " + target + "}\n    key: {k: k, n: n}\n"
                + (extra.contains("strategy:") ? extra : extra + "    strategy: join\n");
    }

    private static List<String> changes(MappingResult m) {
        return m.samples().stream().map(c -> c.operation() + " " + c.key() + " " + c.changed() + " " + c.target()
                + (c.revive() ? " revive" : "")).sorted().toList();
    }

    @Test
    void aSourceFilterInMariaDbsSqlIsCheckedAndAppliedByEveryStrategy() {
        String ddl = " (k varchar(10) NOT NULL, n int NOT NULL, v varchar(10), PRIMARY KEY (k, n)) DEFAULT CHARSET=utf8mb4"
                + " COLLATE=utf8mb4_nopad_bin";
        maria.execute("DROP TABLE IF EXISTS js;\nDROP TABLE IF EXISTS jt;\nCREATE TABLE js" + ddl + ";\nCREATE TABLE jt"
                + ddl + ";\nINSERT INTO js VALUES ('a', 1, 'x'), ('b', 2, 'x'), ('c', 1, 'x');\n"
                + "INSERT INTO jt VALUES ('a', 1, 'y'), ('b', 2, 'x'), ('c', 1, 'x')");
        // the filter was once checked with PostgreSQL's quoting of the table's name, which MariaDB refuses
        for (String strategy : List.of("join", "merge", "hash")) {
            String yaml = yaml("jt", "    strategy: " + strategy + "\n").replace("table: js}",
                    "table: js, where: \"n = 1 AND `v` = 'x'\"}");
            assertThat(MariaDbSourceTest.recon(yaml).plan(List.of(), dev.recon.plan.Purpose.SYNC)).hasSize(1);
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml), 100, ReportFormat.JSON.writer(new StringWriter()));
            // b is outside the filter: a row the source does not have, so a delete
            assertThat(changes(diff.mappings().get(0))).as(strategy).containsExactly(
                    "DELETE [b, 2] [] [b, 2, x]",
                    "UPDATE [a, 1] [v] [a, 1, y]");
        }
    }

    @Test
    void keysACollationCallsEqualStayApartAndValuesCompareByTheirBytes() {
        String ddl = " (k varchar(10) NOT NULL, n int, v varchar(10), d double, UNIQUE (k, n)) DEFAULT CHARSET=utf8mb4"
                + " COLLATE=utf8mb4_general_ci";
        maria.execute("DROP TABLE IF EXISTS js;\nDROP TABLE IF EXISTS jt;\nCREATE TABLE js" + ddl + ";\nCREATE TABLE jt"
                + ddl + ";\n"
                + "INSERT INTO js VALUES ('a', 1, 'x', 1), ('b ', 1, 'x', 1), ('c', NULL, 'x', 1), ('d', 1, 'x', 1),"
                + " ('e', 1, 'x', 1.2175416883683624E-262), ('f', 1, 'x', 0);\n"
                + "INSERT INTO jt VALUES ('A', 1, 'x', 1), ('b', 1, 'x', 1), ('c', NULL, 'x', 1), ('d', 1, 'X', 1),"
                + " ('e', 1, 'x', 1.2175416883683624E-262), ('f', 1, 'x', -0e0), ('g', 2, 'x', 2)");
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml("jt", "")), 100,
                ReportFormat.JSON.writer(new StringWriter()));
        MappingResult m = diff.mappings().get(0);
        assertThat(m.strategy()).isEqualTo("join");
        assertThat(changes(m)).containsExactly(
                "DELETE [A, 1] [] [A, 1, x, 1]",
                "DELETE [b, 1] [] [b, 1, x, 1]",
                "DELETE [g, 2] [] [g, 2, x, 2]",
                "INSERT [a, 1] [] []",
                "INSERT [b , 1] [] []",
                "UPDATE [d, 1] [v] [d, 1, X, 1]");
        // the same as merge finds
        RunResult merged = Runs.diff(MariaDbSourceTest.recon(yaml("jt", "    strategy: merge\n")), 100,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(changes(merged.mappings().get(0))).isEqualTo(changes(m));
    }

    @Test
    void softDeletedRowsComeBackAndAreNotDeletedTwiceAndASyncByJoinConverges() {
        maria.execute("DROP TABLE IF EXISTS js;\nDROP TABLE IF EXISTS jsd;\n"
                + "CREATE TABLE js (k varchar(10) NOT NULL, n int NOT NULL, v varchar(10), PRIMARY KEY (k, n))"
                + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n"
                + "CREATE TABLE jsd (k varchar(10) NOT NULL, n int NOT NULL, v varchar(10), gone tinyint(1) NOT NULL"
                + " DEFAULT 0, PRIMARY KEY (k, n)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;\n"
                + "INSERT INTO js VALUES ('a', 1, 'x'), ('b', 1, 'y');\n"
                + "INSERT INTO jsd VALUES ('a', 1, 'x', 1), ('b', 1, 'y', 0), ('c', 1, 'z', 1), ('d', 1, 'w', 0)");
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml("jsd", "    deletes: {soft: gone}\n")), 100,
                ReportFormat.JSON.writer(new StringWriter()));
        MappingResult m = diff.mappings().get(0);
        assertThat(m.strategy()).isEqualTo("join");
        assertThat(changes(m)).containsExactly("DELETE [d, 1] [] [d, 1, w]", "UPDATE [a, 1] [] [a, 1, x] revive");
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml("jsd", "    deletes: {soft: gone}\n")),
                SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.converged()).isTrue();
        assertThat(sync.mappings().get(0).strategy()).isEqualTo("join");
        assertThat(maria.queryString("SELECT GROUP_CONCAT(k, gone ORDER BY k) FROM jsd")).isEqualTo("a0,b0,c1,d1");
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml("jsd", "    deletes: {soft: gone}\n")), 100,
                ReportFormat.JSON.writer(new StringWriter())).inSync()).isTrue();
    }

    @Test
    void aDuplicateKeyStopsTheDiffAndTwoCollationsAreMergedOrRefused() {
        maria.execute("DROP TABLE IF EXISTS js;\nDROP TABLE IF EXISTS jb;\n"
                + "CREATE TABLE js (k varchar(10) NOT NULL, n int, v int) DEFAULT CHARSET=utf8mb4;\n"
                + "CREATE TABLE jb (k varchar(10) NOT NULL, n int NOT NULL, v int, PRIMARY KEY (k, n))"
                + " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;\n"
                + "INSERT INTO js VALUES ('a', 1, 1), ('a', 1, 2);\nINSERT INTO jb VALUES ('a', 1, 1)");
        // js has no unique key and another collation: the merge finds the duplicate
        RunResult auto = Runs.diff(MariaDbSourceTest.recon(yaml("jb", "    strategy: auto\n")), 100,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(auto.errors()).singleElement().asString().contains("the source has more than one row with key");
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml("jb", "    strategy: join\n")), 100,
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'j': strategy join: key column k (utf8mb4_general_ci) and k (utf8mb4_bin) do not share"
                                + " a collation, so a join cannot pair them by an index; use merge, hash or auto"));
        // one collation, no unique key: the join looks for duplicates first
        maria.execute("ALTER TABLE js CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        RunResult joined = Runs.diff(MariaDbSourceTest.recon(yaml("jb", "")), 100,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(joined.errors()).singleElement().asString()
                .contains("the source has 2 rows with key (k=a n=1)");
    }
}
