package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.DiffRequest;
import dev.recon.Recon;
import dev.recon.config.ConfigLoader;
import dev.recon.report.HtmlReport;
import dev.recon.result.RunResult;
import dev.recon.testing.PgDatabase;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** serve's kept reports, for a server reachable beyond loopback without users: keys and counts, no values. */
class HiddenValuesTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @Test
    void aReportWithoutValuesShowsKeysAndCountsOnly() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (id int PRIMARY KEY, ssn text); CREATE TABLE dst (id int PRIMARY KEY, ssn text);
                INSERT INTO src VALUES (1, '078-05-1120'), (2, '219-09-9999');
                INSERT INTO dst VALUES (1, '078-05-1121'), (3, '457-55-5462');
                """);
        RunResult result = new Recon(new ConfigLoader(Map.of()).parse(db.connectionsYaml() + """
                syncs:
                  - { name: people, source: { connection: db, table: src }, target: { connection: db, table: dst },
                      key: { id: id } }
                """, "test.yaml")).diff(DiffRequest.of(List.of()));
        StringWriter shown = new StringWriter();
        new HtmlReport(shown, Instant.now()).render(result);
        // an update shows both values (inserts and deletes their keys)
        assertThat(shown.toString()).contains("078-05-112");

        StringWriter hidden = new StringWriter();
        new HtmlReport(hidden, Instant.now()).render(Scheduler.withoutValues(result));
        assertThat(hidden.toString()).doesNotContain("078-05", "219-09", "457-55").contains(Scheduler.HIDDEN);
        RunResult h = Scheduler.withoutValues(result);
        assertThat(h.mappings().get(0).counts()).isEqualTo(result.mappings().get(0).counts());
        assertThat(h.mappings().get(0).samples().stream().map(c -> c.key().get(0)).sorted().toList())
                .containsExactly("1", "2", "3");
    }
}
