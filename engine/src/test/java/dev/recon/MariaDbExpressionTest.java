package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.base.PlanException;
import dev.recon.report.ReportFormat;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Expressions in MariaDB's SQL as a MariaDB source's columns: each is read by the value rule
 * of the type MariaDB gives its result, so it compares, reports and syncs as a column of that
 * type would; an expression MariaDB refuses, or one as a key, is an error naming it.
 */
class MariaDbExpressionTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static String yaml(String columns, String extra) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url() + "\"\n"
                + "state:\n  schema: recon_expr_state\n"
                + "syncs:\n  - name: e\n    source: {connection: maria, table: people}\n"
                + "    target: {connection: pg, table: public.people}\n    key: {id: id}\n"
                + "    columns: " + columns + "\n" + extra;
    }

    private static final String COLUMNS = "{\"CONCAT(first, ' ', last)\": full_name, \"price * qty\": total,"
            + " \"DATE(at)\": day, \"f * 2\": doubled, \"UPPER(code)\": code}";

    private static List<String> changes(MappingResult m) {
        return m.samples().stream().map(c -> c.operation() + " " + c.key() + " " + c.changed() + " " + c.source())
                .sorted().toList();
    }

    @Test
    void expressionsCompareAndSyncAsColumnsOfTheirResultType() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, first varchar(10),"
                + " last varchar(10), price decimal(10,2), qty int, at datetime(6), f float, code varchar(5))"
                + " DEFAULT CHARSET=utf8mb4;\n"
                + "INSERT INTO people VALUES (1, 'Ada', 'Lovelace', 2.50, 3, '2024-01-02 03:04:05.123456', 0.1, 'ab'),"
                + " (2, 'Alan', NULL, 1.00, 1, '2024-02-03 00:00:00', 1.5, 'xy'), (3, 'Grace', 'Hopper', NULL, 2,"
                + " NULL, NULL, NULL)");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, full_name text,"
                + " total numeric(22,2), day date, doubled double precision, code text)");
        // the empty target is loaded, then equal
        RunResult load = Runs.sync(MariaDbSourceTest.recon(yaml(COLUMNS, "")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(load.converged()).isTrue();
        assertThat(pg.rows("SELECT * FROM people ORDER BY id").toString()).isEqualTo("[{id=1, full_name=Ada Lovelace,"
                + " total=7.50, day=2024-01-02, doubled=0.20000000298023224, code=AB}, {id=2, full_name=null,"
                + " total=1.00, day=2024-02-03, doubled=3.0, code=XY}, {id=3, full_name=Grace Hopper, total=null,"
                + " day=null, doubled=null, code=null}]");
        for (String strategy : List.of("merge", "hash")) {
            assertThat(Runs.diff(MariaDbSourceTest.recon(yaml(COLUMNS, "    strategy: " + strategy + "\n")), 10,
                    ReportFormat.JSON.writer(new StringWriter())).inSync()).as(strategy).isTrue();
        }
        // a change in one column of an expression is a change of its target column, with the value as computed
        maria.execute("UPDATE people SET qty = 4 WHERE id = 1;\nUPDATE people SET last = 'Turing' WHERE id = 2");
        for (String strategy : List.of("merge", "hash")) {
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml(COLUMNS, "    strategy: " + strategy + "\n")), 10,
                    ReportFormat.JSON.writer(new StringWriter()));
            assertThat(changes(diff.mappings().get(0))).as(strategy).containsExactly(
                    "UPDATE [1] [total] [1, Ada Lovelace, 10.00, 2024-01-02, 0.20000000298023224, AB]",
                    "UPDATE [2] [full_name] [2, Alan Turing, 1.00, 2024-02-03, 3, XY]");
        }
        assertThat(Runs.sync(MariaDbSourceTest.recon(yaml(COLUMNS, "")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter())).converged()).isTrue();
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml(COLUMNS, "")), 10, ReportFormat.JSON.writer(
                new StringWriter())).inSync()).isTrue();
    }

    @Test
    void aResultTheTargetHoldsOnlyRoundedIsComparedInTheTargetsTypeAndOneItCannotHoldFailsItsRow() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, price decimal(10,3),"
                + " qty int);\nINSERT INTO people VALUES (1, 2.505, 3), (2, 12.345, 1), (3, -0.001, 5), (4, NULL, 1),"
                + " (5, 9999999.999, 1000)");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, total numeric(12,2),"
                + " price numeric(12,2))");
        // decimal(10,3) times an int is a decimal(20,3): compared in numeric(12,2), as a PostgreSQL source's value
        // would be (7.515 is 7.52, -0.005 is 0.00); 9999999999.000 has 10 integer digits, as many as the target holds
        // (9999999999.00); a row whose product had more would be read as it is and differ (below)
        String columns = "{price: price, \"price * qty\": total}";
        RunResult load = Runs.sync(MariaDbSourceTest.recon(yaml(columns, "")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(load.converged()).isTrue();
        assertThat(pg.rows("SELECT * FROM people ORDER BY id").toString()).isEqualTo("[{id=1, total=7.52, price=2.51},"
                + " {id=2, total=12.35, price=12.35}, {id=3, total=-0.01, price=0.00}, {id=4, total=null, price=null},"
                + " {id=5, total=9999999999.00, price=10000000.00}]");
        for (String strategy : List.of("merge", "hash")) {
            assertThat(Runs.diff(MariaDbSourceTest.recon(yaml(columns, "    strategy: " + strategy + "\n")), 10,
                    ReportFormat.JSON.writer(new StringWriter())).inSync()).as(strategy).isTrue();
        }
        // a third decimal that rounds away is no difference; one that rounds to another cent is
        maria.execute("UPDATE people SET price = 12.349 WHERE id = 2;\nUPDATE people SET price = 2.515 WHERE id = 1;\n"
                + "UPDATE people SET qty = 10000 WHERE id = 5");
        for (String strategy : List.of("merge", "hash")) {
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml(columns, "    strategy: " + strategy + "\n")), 10,
                    ReportFormat.JSON.writer(new StringWriter()));
            // 9999999.999 * 10000 = 99999999990.000 has 11 integer digits: numeric(12,2) cannot hold it
            assertThat(changes(diff.mappings().get(0))).as(strategy).containsExactly(
                    "UPDATE [1] [price, total] [1, 2.52, 7.55]",
                    "UPDATE [5] [total] [5, 10000000.00, 99999999990.000]");
        }
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml(columns, "")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.converged()).isFalse();
        assertThat(sync.mappings().get(0).applied().orElseThrow().failed()).singleElement()
                .satisfies(f -> assertThat(f.key() + " " + f.sqlState()).isEqualTo("[5] 22003"));
        assertThat(pg.rows("SELECT * FROM people WHERE id IN (1, 5) ORDER BY id").toString()).isEqualTo(
                "[{id=1, total=7.55, price=2.52}, {id=5, total=9999999999.00, price=10000000.00}]");
    }

    @Test
    void aDecimalIntoAnIntegerTypeIsRoundedAsPostgresRoundsAndOneOutOfRangeFailsItsRow() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, price decimal(10,3));\n"
                + "INSERT INTO people VALUES (1, 12.5), (2, -12.5), (3, 0.499), (4, NULL), (5, 40000.2)");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, price smallint)");
        RunResult load = Runs.sync(MariaDbSourceTest.recon(yaml("{price: price}", "")), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        // 40000.2 is beyond smallint: that row alone is refused, the others land rounded half away from zero
        assertThat(load.mappings().get(0).applied().orElseThrow().failed()).extracting(f -> f.key().toString())
                .containsExactly("[5]");
        assertThat(pg.rows("SELECT * FROM people ORDER BY id").toString()).isEqualTo("[{id=1, price=13},"
                + " {id=2, price=-13}, {id=3, price=0}, {id=4, price=null}]");
        for (String strategy : List.of("merge", "hash")) {
            RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml("{price: price}", "    strategy: " + strategy + "\n")),
                    10, ReportFormat.JSON.writer(new StringWriter()));
            assertThat(changes(diff.mappings().get(0))).as(strategy).containsExactly("INSERT [5] [] [5, 40000.200]");
        }
    }

    @Test
    void aKeyTheTargetHoldsOnlyRoundedIsRefused() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id decimal(10,3) PRIMARY KEY, qty int)");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id numeric(12,2) PRIMARY KEY, qty int)");
        // two source keys (1.001 and 1.002) would be one target key: keys are compared exactly or not at all
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml("{qty: qty}", "")), 10,
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'e': key:"
                        + " source column id of " + maria.name() + ".people (decimal(10,3)) for target column id of"
                        + " public.people (numeric(12,2)):"
                        + " decimal(10,3) values may not fit numeric(12,2) (a cast would round or fail); a target of"
                        + " numeric(10,3) holds them (docs/configuration.md lists the pairs recon reads exactly)"));
    }

    @Test
    void aWhereClauseMariaDbRefusesIsQuotedAsTheUserWroteIt() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, first varchar(10))");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, full_name text)");
        String table = maria.name() + ".people (MariaDB's SQL): ";
        for (String[] bad : new String[][] {
            {"first = ", "a syntax error at the end of the clause (is something missing?) [SQLSTATE 42000]"},
            {"first = 'a' x y", "a syntax error near 'x y' [SQLSTATE 42000]"},
            {"frist = 'a'", "Unknown column 'frist' in 'WHERE' [SQLSTATE 42S22]"}}) {
            String yaml = yaml("{first: full_name}", "").replace("table: people}",
                    "table: people, where: \"" + bad[0] + "\"}");
            assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml), 10,
                    ReportFormat.JSON.writer(new StringWriter())))
                    .as(bad[0]).isInstanceOf(PlanException.class)
                    .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                            "mapping 'e': source.where '" + bad[0] + "' is not a valid condition on " + table + bad[1]));
        }
    }

    @Test
    void anExpressionMariaDbRefusesOrAsAKeyIsAnErrorNamingIt() {
        maria.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, first varchar(10))");
        pg.execute("DROP TABLE IF EXISTS people;\nCREATE TABLE people (id int PRIMARY KEY, full_name text)");
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml("{\"CONCAT(frist, 'x')\": full_name}", "")),
                10, ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .startsWith("mapping 'e': columns: source expression 'CONCAT(frist, 'x')' over "
                                + maria.name() + ".people (MariaDB's SQL): ")
                        .contains("Unknown column 'frist'"));
        // an aggregate would make the table one row; text that is not one expression would escape recon's SQL
        for (String[] bad : new String[][] {
            {"COUNT(*)", "it aggregates rows (COUNT, SUM, GROUP_CONCAT, a window function…), but each row needs a"
                    + " value of its own; map an expression over one row"},
            {"GROUP_CONCAT(first)", "it aggregates rows"},
            {"first) AS a, (first", "is not one expression: a ')' closes a parenthesis it did not open"},
            {"first # c", "is not one expression: a # comment would swallow what recon writes after it"},
            {"first; DROP TABLE people", "is not one expression: "}}) {
            assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(yaml("{\"" + bad[0] + "\": full_name}", "")), 10,
                    ReportFormat.JSON.writer(new StringWriter())))
                    .as(bad[0]).isInstanceOf(PlanException.class)
                    .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                            .startsWith("mapping 'e': columns: source expression '" + bad[0] + "'").contains(bad[1]));
        }
        String keyed = "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pg.url()
                + "\"\nsyncs:\n  - name: k\n    source: {connection: maria, table: people}\n"
                + "    target: {connection: pg, table: public.people}\n    key: {\"id + 0\": id}\n"
                + "    columns: {first: full_name}\n";
        assertThatThrownBy(() -> Runs.diff(MariaDbSourceTest.recon(keyed), 10,
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .contains("has no column 'id + 0' (an expression as a key of a MariaDB or MySQL source is not"
                                + " supported yet"));
        // and only that, for a sync too (not also its target key column as an unmapped NOT NULL one)
        assertThatThrownBy(() -> Runs.sync(MariaDbSourceTest.recon(keyed), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter())))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .contains("has no column 'id + 0'"));
    }
}
