package dev.recon.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.Recon;
import dev.recon.base.PlanException;
import dev.recon.config.ConfigException;
import dev.recon.config.ConfigLoader;
import dev.recon.report.ReportFormat;
import dev.recon.report.ValidationText;
import dev.recon.result.RunResult;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Comparison rules as a user meets them: the file's checks, validate's lines, the reports' counts and samples. */
class ComparisonRulesTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private static final String MAPPING = """
            syncs:
              - name: prices
                source: { connection: db, table: src }
                target: { connection: db, table: dst }
                key: { id: id }
                columns: { price: price, name: name, at: at, n: n }
            """;

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (id int PRIMARY KEY, price numeric(10,3), name text, at timestamp, n int);
                CREATE TABLE dst (id int PRIMARY KEY, price numeric(10,3), name varchar(20), at timestamp, n int);
                INSERT INTO src VALUES (1, 1.000, 'Ann', '2024-01-01 10:00:00.1234', 1),
                    (2, 2.000, 'Bob', '2024-01-01 10:00:00', 2), (3, 3.000, 'Cy', '2024-01-01 10:00:00', 3);
                INSERT INTO dst VALUES (1, 1.004, ' ann ', '2024-01-01 10:00:00.123', 1),
                    (2, 2.006, 'Bob', '2024-01-01 10:00:00', 2), (3, 3.001, 'Cy', '2024-01-01 10:00:00', 4);
                """);
    }

    private static Recon recon(String rules) {
        return new Recon(Diffs.config(db, MAPPING + rules));
    }

    @Test
    void rowsThatDifferOnlyWithinTheirRulesAreCountedApartAndShown() {
        String rules = """
                    rules:
                      price: { tolerance: 0.005 }
                      name: { trim: true, case: insensitive }
                      at: { precision: ms }
                """;
        StringWriter text = new StringWriter();
        RunResult result = Runs.diff(recon(rules), 10, ReportFormat.TEXT.writer(text));
        // row 1 differs in three columns, each within its rule; row 2 beyond the tolerance; row 3 in n (no rule)
        assertThat(result.mappings().get(0).total()).isEqualTo(2);
        assertThat(result.mappings().get(0).underRules().rows()).isEqualTo(1);
        assertThat(text.toString()).contains("""
                  equal under rules (1, not differences):
                    id=1
                      price: 1.004 ~ 1.000  { tolerance: 0.005 }
                      name: " ann " ~ Ann  { trim: true, case: insensitive }
                      at: "2024-01-01 10:00:00.123" ~ "2024-01-01 10:00:00.1234"  { precision: ms }
                """);
        StringWriter json = new StringWriter();
        Runs.diff(recon(rules), 10, ReportFormat.JSON.writer(json));
        assertThat(json.toString().replaceAll("\\s+", " "))
                .contains("\"equal_under_rules\" : 1, \"equal_under_rules_samples\" : [ { \"key\" : { \"id\" : \"1\" },"
                        + " \"changes\" : { \"price\" : { \"target\" : \"1.004\", \"source\" : \"1.000\", \"rule\" :"
                        + " \"{ tolerance: 0.005 }\" }");
        assertThat(ValidationText.lines(Diffs.config(db, MAPPING + rules), recon(rules).validate(List.of(), true)))
                .contains("    rules: price { tolerance: 0.005 }, name { trim: true, case: insensitive }, at {"
                        + " precision: ms }");
        // without rules every one of the three rows differs, and no count of forgiven rows is reported
        StringWriter plain = new StringWriter();
        RunResult exact = Runs.diff(recon(""), 10, ReportFormat.JSON.writer(plain));
        assertThat(exact.mappings().get(0).total()).isEqualTo(3);
        assertThat(plain.toString()).doesNotContain("equal_under_rules");
    }

    /** A schema entry's rule applies to each table that has the column; an override's replaces it for one table. */
    @Test
    void aSchemaEntrysRulesApplyToTheTablesThatHaveTheColumn() {
        db.execute("""
                DROP SCHEMA IF EXISTS s CASCADE; DROP SCHEMA IF EXISTS t CASCADE; CREATE SCHEMA s; CREATE SCHEMA t;
                CREATE TABLE s.a (id int PRIMARY KEY, price numeric(10,3)); CREATE TABLE t.a (LIKE s.a INCLUDING ALL);
                CREATE TABLE s.b (id int PRIMARY KEY, price numeric(10,3)); CREATE TABLE t.b (LIKE s.b INCLUDING ALL);
                CREATE TABLE s.c (id int PRIMARY KEY, label text); CREATE TABLE t.c (LIKE s.c INCLUDING ALL);
                INSERT INTO s.a VALUES (1, 1.000); INSERT INTO t.a VALUES (1, 1.004);
                INSERT INTO s.b VALUES (1, 1.000); INSERT INTO t.b VALUES (1, 1.004);
                INSERT INTO s.c VALUES (1, 'x'); INSERT INTO t.c VALUES (1, 'y');
                CREATE TABLE s.d (price numeric(10,3)); CREATE TABLE t.d (LIKE s.d);
                INSERT INTO s.d VALUES (1.000); INSERT INTO t.d VALUES (1.004);
                """);
        String yaml = """
                syncs:
                  - name: all
                    source: { connection: db, schema: s }
                    target: { connection: db, schema: t }
                    rules: { price: { tolerance: 0.005 } }
                    overrides:
                      b: { rules: { price: { tolerance: 0.001 } } }
                """;
        RunResult result = new Recon(Diffs.config(db, yaml)).diff(dev.recon.DiffRequest.of(List.of()));
        Map<String, Long> differing = new java.util.TreeMap<>();
        Map<String, Long> forgiven = new java.util.TreeMap<>();
        result.mappings().forEach(m -> {
            differing.put(m.name(), m.total());
            forgiven.put(m.name(), m.underRules().rows());
        });
        // d has no key: compared exactly, the entry's rule passed over (a keyless table has no rows to pair)
        assertThat(differing).isEqualTo(Map.of("all.a", 0L, "all.b", 1L, "all.c", 1L, "all.d", 2L));
        assertThat(forgiven).isEqualTo(Map.of("all.a", 1L, "all.b", 0L, "all.c", 0L, "all.d", 0L));

        // several mappings: an in-sync one whose rules forgave rows still shows them (a probe found it silent)
        java.io.StringWriter text = new java.io.StringWriter();
        dev.recon.testing.Runs.diff(new Recon(Diffs.config(db, yaml)), 10,
                dev.recon.report.ReportFormat.TEXT.writer(text));
        assertThat(text.toString()).containsPattern("all\\.a +in sync +1 equal under rules")
                .contains("all.a: s.a -> t.a", "  equal under rules (1, not differences):");
        java.io.StringWriter none = new java.io.StringWriter();
        dev.recon.testing.Runs.diff(new Recon(Diffs.config(db, yaml)), 0,
                dev.recon.report.ReportFormat.TEXT.writer(none));
        assertThat(none.toString()).contains("  equal under rules: 1 (not differences)")
                .doesNotContain("equal under rules (0");

        // an override's rule must apply to its table; an entry's rule must apply to some table
        String wrong = yaml.replace("b: { rules: { price: { tolerance: 0.001 } } }",
                "b: { rules: { nosuch: { tolerance: 1 } } }\n      d: { rules: { price: { tolerance: 1 } } }")
                .replace("rules: { price: { tolerance: 0.005 } }", "rules: { price: { tolerance: 0.005 },"
                        + " ghost: { trim: true } }");
        assertThatThrownBy(() -> new Recon(Diffs.config(db, wrong)).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'all.b': rules.nosuch: target table t.b has no column 'nosuch' (columns: id, price)",
                        "mapping 'all.d': rules.price: target table t.d has no key, so every column pairs its rows"
                                + " and must match exactly; a rule needs a key (give one, or remove the rule)"));
        String ghost = yaml.replace("rules: { price: { tolerance: 0.005 } }", "rules: { price: { tolerance: 0.005 },"
                + " ghost: { trim: true } }");
        assertThatThrownBy(() -> new Recon(Diffs.config(db, ghost)).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "schema entry 'all': rules.ghost: no table of the entry has a compared column 'ghost' with a"
                                + " key to pair its rows by, so the rule applies nowhere (a misspelt column?)"));
    }

    @Test
    void aRuleThatCannotApplyIsAProblemNamingTheMappingAndColumn() {
        String rules = """
                    rules:
                      id: { tolerance: 1 }
                      name: { tolerance: 0.5 }
                      n: { precision: s }
                      price: { trim: true }
                      nope: { case: insensitive }
                """;
        assertThatThrownBy(() -> recon(rules).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                        "mapping 'prices': rules.id: 'id' is a key column of public.dst; rows are paired by exact"
                                + " keys, so a key takes no rule (map the key to an expression that normalizes it"
                                + " instead)",
                        "mapping 'prices': rules.name: tolerance applies to numbers, but target column 'name' of"
                                + " public.dst (character varying(20)) is not one",
                        "mapping 'prices': rules.n: precision applies to times and timestamps, but target column"
                                + " 'n' of public.dst (integer) is neither",
                        "mapping 'prices': rules.price: trim applies to text, but target column 'price' of"
                                + " public.dst (numeric(10,3)) is not text",
                        "mapping 'prices': rules.nope: target table public.dst has no column 'nope' (columns: id,"
                                + " price, name, at, n)"));
        String keyless = MAPPING.replace("key: { id: id }", "key: none").replace("columns: { price: price,",
                "columns: { id: id, price: price,") + "    rules:\n      price: { tolerance: 1 }\n";
        assertThatThrownBy(() -> new Recon(Diffs.config(db, keyless)).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'prices':"
                        + " rules.price: target table public.dst has no key, so every column pairs its rows and must"
                        + " match exactly; a rule needs a key (give one, or remove the rule)"));
        // a zone has nothing to place between two timestamps without one (a probe found it silently ignored)
        String zoned = MAPPING + "    rules:\n      at: { time_zone: Europe/Paris }\n";
        assertThatThrownBy(() -> new Recon(Diffs.config(db, zoned)).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'prices':"
                        + " rules.at: time_zone has nothing to place here: target column 'at' of public.dst"
                        + " (timestamp without time zone) and its source are compared as they are; a zone applies"
                        + " where a value without one (a DATETIME) meets one with one (timestamptz) across engines."
                        + " Remove it, or map the source as an expression that places it (\"created_at AT TIME ZONE"
                        + " 'Europe/Paris'\")"));
        String notCompared = MAPPING + "    compare: [n]\n    rules:\n      price: { tolerance: 1 }\n";
        assertThatThrownBy(() -> new Recon(Diffs.config(db, notCompared)).validate(List.of(), true))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping 'prices':"
                        + " rules.price: target column 'price' is not compared (compare: n); a rule applies to a"
                        + " compared column"));
    }

    @Test
    void badRuleValuesAreErrorsOfTheFile() {
        String yaml = db.connectionsYaml() + MAPPING + """
                    rules:
                      price: { tolerance: -1, relative: 2, within: 3 }
                      name: { case: upper, trim: yes please }
                      at: { precision: hours, time_zone: Mars/Olympus_Mons }
                      n: 5
                """;
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).parse(yaml, "recon.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "syncs[0] (prices).rules.price.within: unknown key (expected one of: case, empty_is_null,"
                                + " precision, relative, time_zone, tolerance, trim)",
                        "syncs[0] (prices).rules.price.tolerance: must be 0 or more, not -1",
                        "syncs[0] (prices).rules.price.relative: 2 is not below 1 (a fraction of the larger value,"
                                + " e.g. 1e-6)",
                        "syncs[0] (prices).rules.name.trim: must be true or false, not 'yes please'",
                        "syncs[0] (prices).rules.name.case: must be insensitive or sensitive, not 'upper'",
                        "syncs[0] (prices).rules.at.precision: must be us, ms, s or min, not 'hours'",
                        "syncs[0] (prices).rules.at.time_zone: 'Mars/Olympus_Mons' is not a time zone (an IANA name"
                                + " such as Europe/Paris, or an offset such as +02:00 or UTC)",
                        "syncs[0] (prices).rules.n: must be a mapping of one or more of tolerance, relative,"
                                + " precision, trim, case, empty_is_null, time_zone"));
    }
}
