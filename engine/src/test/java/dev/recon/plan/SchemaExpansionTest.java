package dev.recon.plan;

import dev.recon.base.PlanException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import dev.recon.connect.Databases;
import dev.recon.report.ReportFormat;
import dev.recon.result.RunResult;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The engine expands schema entries itself: a library user's entry is compared, never skipped. */
class SchemaExpansionTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @Test
    void reconComparesTheTablesOfASchemaEntryItIsGiven() {
        db.execute("""
                DROP SCHEMA IF EXISTS s CASCADE; DROP SCHEMA IF EXISTS t CASCADE; CREATE SCHEMA s; CREATE SCHEMA t;
                CREATE TABLE s.a (id int PRIMARY KEY, v text); CREATE TABLE t.a (id int PRIMARY KEY, v text);
                INSERT INTO s.a VALUES (1, 'x'), (2, 'y'); INSERT INTO t.a VALUES (1, 'x'), (2, 'old');
                """);
        var config = new ConfigLoader(Map.of()).parse(db.connectionsYaml() + """
                syncs:
                  - name: all
                    source: { connection: db, schema: s }
                    target: { connection: db, schema: t }
                """, "test.yaml");
        RunResult result = Runs.diff(new Recon(config), 10, ReportFormat.JSON.writer(new StringWriter()));
        assertThat(result.mappings()).extracting(m -> m.name() + " " + m.counts()).containsExactly(
                "all.a Counts[inserts=0, updates=1, deletes=0]");
        // expanding what is expanded changes nothing
        var expanded = SchemaExpansion.expand(config, new Databases());
        assertThat(SchemaExpansion.expand(expanded, new Databases())).isEqualTo(expanded);
        assertThat(expanded.select("all")).isEqualTo(List.of("all.a"));
    }

    @Test
    void aMissingTargetSchemaIsOneProblemOfTheEntryNotOneATable() {
        db.execute("""
                DROP SCHEMA IF EXISTS s CASCADE; DROP SCHEMA IF EXISTS gone CASCADE; CREATE SCHEMA s;
                CREATE TABLE s.a (id int PRIMARY KEY); CREATE TABLE s.b (id int PRIMARY KEY);
                """);
        var config = new ConfigLoader(Map.of()).parse(db.connectionsYaml() + """
                syncs:
                  - name: all
                    source: { connection: db, schema: s }
                    target: { connection: db, schema: gone }
                """, "test.yaml");
        assertThatThrownBy(() -> SchemaExpansion.expand(config, new Databases())).isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("schema entry 'all': target"
                        + " schema 'gone' does not exist on connection 'db'; create it (CREATE SCHEMA \"gone\") with the"
                        + " tables to compare, or name the schema that holds them"));
    }

    @Test
    void twoTablesThatWouldShareAMappingNameAreAProblem() {
        db.execute("""
                DROP SCHEMA IF EXISTS odd CASCADE; DROP SCHEMA IF EXISTS coll CASCADE; CREATE SCHEMA odd;
                CREATE SCHEMA coll; CREATE TABLE odd."my.t" (id int PRIMARY KEY); CREATE TABLE coll.t (id int PRIMARY KEY);
                """);
        var config = new ConfigLoader(Map.of()).parse(db.connectionsYaml() + """
                syncs:
                  - name: odd
                    source: { connection: db, schema: odd }
                    target: { connection: db, schema: odd }
                  - name: odd.my
                    source: { connection: db, schema: coll }
                    target: { connection: db, schema: coll }
                """, "test.yaml");
        assertThatThrownBy(() -> SchemaExpansion.expand(config, new Databases())).isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly("mapping name 'odd.my.t' is"
                        + " given to 2 tables (a schema entry's tables are named ENTRY.TABLE); rename an entry, so that"
                        + " history, metrics and locks tell them apart"));
    }
}
