package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.config.Operation;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batches of inserts into MariaDB go by {@code LOAD DATA LOCAL INFILE} (MariaDB's bulk load,
 * counted by the server's {@code Com_load}): every value arrives as it is (tabs, newlines,
 * backslashes, the text {@code \N}, empty strings, NULLs, bytes, booleans, UTC times), a batch
 * with a row MariaDB would cut or refuse is rolled back and written by INSERT, which isolates
 * that row alone, and a connection that says {@code allowLocalInfile: false} writes by INSERT.
 */
class MariaDbBulkLoadTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static final String STATE = "recon_t_bstate_" + ProcessHandle.current().pid();

    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE + ";\nDROP DATABASE IF EXISTS " + STATE + "_lock");
    }

    private static String yaml(String properties) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n" + properties + "  pg:\n    url: \""
                + pg.url() + "\"\nstate:\n  schema: " + STATE + "\nsyncs:\n  - name: b\n"
                + "    source: {connection: pg, table: public.bsrc}\n    target: {connection: maria, table: bdst}\n"
                + "    key: {id: id}\n";
    }

    private static long loads() {
        return Long.parseLong(maria.queryString("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                + " WHERE VARIABLE_NAME = 'COM_LOAD'"));
    }

    private static void tables() {
        pg.execute("DROP TABLE IF EXISTS bsrc;\nCREATE TABLE bsrc (id int PRIMARY KEY, t text, n numeric(12,2),"
                + " ok boolean, at timestamptz, b bytea);\n"
                + "INSERT INTO bsrc SELECT i, CASE i % 7 WHEN 0 THEN E'tab\\there' WHEN 1 THEN E'line\\nbreak\\r'"
                + " WHEN 2 THEN E'back\\\\slash' WHEN 3 THEN E'\\\\N' WHEN 4 THEN '' WHEN 5 THEN NULL"
                + " ELSE 'é 😀 ' || i END, i / 7.0, i % 3 = 0, timestamptz '2024-01-01 00:00:00.000001+00'"
                + " + i * interval '1 second', CASE WHEN i % 5 = 0 THEN NULL ELSE decode('005c0a09ff', 'hex') END"
                + " FROM generate_series(1, 700) AS i");
        maria.execute("DROP TABLE IF EXISTS bdst;\nCREATE TABLE bdst (id int PRIMARY KEY, t varchar(40), n"
                + " decimal(12,2), ok tinyint(1), at timestamp(6) NULL DEFAULT NULL, b varbinary(10))"
                + " DEFAULT CHARSET=utf8mb4");
    }

    @Test
    void everyValueArrivesAsItIsByTheBulkLoad() {
        tables();
        long before = loads();
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml("")), SyncOptions.defaults().withBatchSize(300),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.converged()).isTrue();
        assertThat(sync.mappings().get(0).applied().orElseThrow().written().inserts()).isEqualTo(700);
        // 700 rows in batches of 300: three loads
        assertThat(loads() - before).isEqualTo(3);
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml("")), 10, ReportFormat.JSON.writer(new StringWriter()))
                .inSync()).isTrue();
        assertThat(maria.queryString("SELECT CONCAT_WS('|', HEX(t), n, ok, at, HEX(b)) FROM bdst WHERE id = 7"))
                .isEqualTo("7461620968657265|1.00|0|2024-01-01 00:00:07.000001|005C0A09FF");
        assertThat(maria.queryString("SELECT CONCAT_WS('|', HEX(t), ok, b IS NULL) FROM bdst WHERE id = 10"))
                .isEqualTo("5C4E|0|1");
        assertThat(maria.queryString("SELECT CONCAT_WS('|', t IS NULL, HEX(t)) FROM bdst WHERE id = 5"))
                .isEqualTo("1");
        assertThat(maria.queryString("SELECT CONCAT('[', t, ']', ok) FROM bdst WHERE id = 11")).isEqualTo("[]0");
        assertThat(maria.queryString("SELECT COUNT(*) FROM bdst WHERE t = CONCAT('line', CHAR(10), 'break',"
                + " CHAR(13))")).isEqualTo("100");
    }

    @Test
    void aBatchWithARowMariaDbWouldCutGoesByInsertWhichIsolatesIt() {
        tables();
        pg.execute("UPDATE bsrc SET t = repeat('x', 41) WHERE id = 123");
        long before = loads();
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml("")), SyncOptions.defaults().withBatchSize(300),
                ReportFormat.JSON.writer(new StringWriter()));
        // rows 1-300 (with 123): a load with a warning, rolled back; the INSERT fails, so halves: 1-150 loads
        // and fails again (its INSERT splits further, below the bulk size), 151-300 loads; 301-600 and 601-700 load
        assertThat(loads() - before).isEqualTo(5);
        ApplyResult applied = sync.mappings().get(0).applied().orElseThrow();
        assertThat(applied.written().inserts()).isEqualTo(699);
        assertThat(applied.failed()).singleElement().satisfies(f -> {
            assertThat(f.operation()).isEqualTo(Operation.INSERT);
            assertThat(f.key()).containsExactly("123");
            assertThat(f.message()).isEqualTo("Data too long for column 't' at row 1");
        });
        // nothing cut to fit: the row is not there, the diff still finds it
        assertThat(maria.queryString("SELECT COUNT(*) FROM bdst WHERE id = 123")).isEqualTo("0");
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml("")), 10, ReportFormat.JSON.writer(new StringWriter()))
                .mappings().get(0).total()).isEqualTo(1);
    }

    @Test
    void aConnectionWithoutLocalInfileWritesByInsert() {
        tables();
        long before = loads();
        String yaml = yaml("    properties: {allowLocalInfile: \"false\"}\n");
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml), SyncOptions.defaults().withBatchSize(300),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.converged()).isTrue();
        assertThat(sync.mappings().get(0).applied().orElseThrow().written().inserts()).isEqualTo(700);
        // asked once (the server counts the statement the driver then refuses), then never again
        assertThat(loads() - before).isEqualTo(1);
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter())).inSync())
                .isTrue();
        assertThat(List.of(maria.queryString("SELECT COUNT(*) FROM bdst"))).containsExactly("700");
    }
}
