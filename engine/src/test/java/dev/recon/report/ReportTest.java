package dev.recon.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.Recon;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReportTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private static final String ORDERS = """
            syncs:
              - name: orders
                source: { connection: db, table: src }
                target: { connection: db, table: dst }
                key: { reference: code }
                columns: { price: total_price, note: remark }
            """;

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (reference text PRIMARY KEY, price numeric(10,3), note text);
                CREATE TABLE dst (code text PRIMARY KEY, total_price numeric(12,2), remark text,
                    gone boolean NOT NULL DEFAULT false);
                INSERT INTO src VALUES ('A', 1.5, 'same'), ('B', 2, 'it''s, "new"'), ('C', 3, NULL);
                INSERT INTO dst (code, total_price, remark) VALUES ('A', 1.5, 'same'), ('B', 2, ' '), ('Z', 9, 'z');
                """);
    }

    private String render(String yaml, ReportFormat format, int samples) {
        StringWriter out = new StringWriter();
        Runs.diff(new Recon(Diffs.config(db, yaml)), samples, format.writer(out));
        return out.toString();
    }

    @Test
    void textShowsCountsKeysAndTargetToSourceValues() {
        String text = render(ORDERS, ReportFormat.TEXT, 10).replaceAll("\\d+ ms", "N ms");
        assertThat(text).isEqualTo("""
                orders: public.src -> public.dst (strategy join, N ms)
                  1 to insert, 1 to update, 1 to delete
                  insert (1):
                    code=C
                  update (1):
                    code=B
                      remark: " " -> "it's, \\"new\\""
                  delete (1):
                    code=Z
                1 mapping, 0 in sync, 1 with differences
                """);
    }

    @Test
    void aLongValueIsCutInTextAndMarkdownAndSaysHowLongItIs() {
        db.execute("UPDATE src SET note = repeat('é', 10000) WHERE reference = 'B'");
        for (ReportFormat format : List.of(ReportFormat.TEXT, ReportFormat.MARKDOWN)) {
            String out = render(ORDERS, format, 10);
            assertThat(out).as("%s", format).contains("\"" + "é".repeat(200) + "\"… (10000 characters)")
                    .doesNotContain("é".repeat(201));
        }
        // machines get the whole value
        assertThat(render(ORDERS, ReportFormat.JSON, 10)).contains("é".repeat(10000));
    }

    @Test
    void jsonValuesAreJsonAndSamplesComeInKeyOrder() throws Exception {
        db.execute("CREATE TABLE js (id int PRIMARY KEY, doc jsonb); CREATE TABLE jt (id int PRIMARY KEY, doc jsonb);"
                + " INSERT INTO js SELECT g, jsonb_build_object('lang', 'fr', 'n', g) FROM generate_series(1, 160) g;");
        String yaml = "syncs:\n  - name: docs\n    source: { connection: db, table: js }\n"
                + "    target: { connection: db, table: jt }\n    key: { id: id }\n    columns: { doc: doc }\n";
        JsonNode json = new ObjectMapper().readTree(render(yaml, ReportFormat.JSON, 4));
        JsonNode samples = json.get("syncs").get(0).get("samples");
        assertThat(samples.get(0).get("values").get("doc").get("lang").asText()).isEqualTo("fr");
        // four samples (whichever the join met first), listed in numeric key order
        assertThat(samples.findValues("key").stream().map(k -> k.get("id").asInt()).toList()).hasSize(4).isSorted();
        db.execute("DELETE FROM js WHERE id NOT IN (7, 57, 107, 157)");
        assertThat(render(yaml, ReportFormat.TEXT, 10)).contains("insert (4):\n    id=7\n    id=57\n    id=107\n"
                + "    id=157\n");
    }

    @Test
    void samplesAreBoundedButCountsAreExact() {
        db.execute("INSERT INTO src SELECT 'N' || g, g, NULL FROM generate_series(1, 50) g");
        String text = render(ORDERS, ReportFormat.TEXT, 3);
        assertThat(text).contains("51 to insert, 1 to update, 1 to delete").contains("insert (3 of 51):");
        assertThat(text.lines().filter(l -> l.matches(" {4}code=(C|N\\d+)")).count()).isEqualTo(3);
    }

    @Test
    void jsonCarriesStatusCountsSamplesAndDuration() throws Exception {
        JsonNode root = new ObjectMapper().readTree(render(ORDERS, ReportFormat.JSON, 10));
        assertThat(root.get("status").asText()).isEqualTo("differences");
        JsonNode sync = root.get("syncs").get(0);
        assertThat(sync.get("name").asText()).isEqualTo("orders");
        assertThat(sync.get("strategy").asText()).isEqualTo("join");
        assertThat(sync.get("counts").toString()).isEqualTo("{\"insert\":1,\"update\":1,\"delete\":1}");
        assertThat(sync.get("duration_ms").isIntegralNumber()).isTrue();
        assertThat(sync.get("samples").toString()).isEqualTo("["
                + "{\"operation\":\"insert\",\"key\":{\"code\":\"C\"},"
                + "\"values\":{\"code\":\"C\",\"total_price\":\"3.00\",\"remark\":null}},"
                + "{\"operation\":\"update\",\"key\":{\"code\":\"B\"},"
                + "\"changes\":{\"remark\":{\"target\":\" \",\"source\":\"it's, \\\"new\\\"\"}}},"
                + "{\"operation\":\"delete\",\"key\":{\"code\":\"Z\"},"
                + "\"values\":{\"code\":\"Z\",\"total_price\":\"9.00\",\"remark\":\"z\"}}]"
                .replace("},{", "},{"));
    }

    @Test
    void jsonSaysInSyncWhenNothingDiffers() throws Exception {
        db.execute("DELETE FROM dst; INSERT INTO dst (code, total_price, remark) SELECT * FROM src;");
        JsonNode root = new ObjectMapper().readTree(render(ORDERS, ReportFormat.JSON, 10));
        assertThat(root.get("status").asText()).isEqualTo("in_sync");
        assertThat(root.get("syncs").get(0).get("samples").size()).isZero();
    }

    @Test
    void csvHasOneQuotedLinePerDifferingRow() {
        String csv = render(ORDERS, ReportFormat.CSV, 0);
        List<String> lines = csv.lines().sorted().toList();
        assertThat(lines).containsExactly(
                "orders,delete,\"{\"\"code\"\":\"\"Z\"\"}\",,,\"{\"\"code\"\":\"\"Z\"\",\"\"total_price\"\":\"\"9.00\"\","
                        + "\"\"remark\"\":\"\"z\"\"}\"",
                "orders,insert,\"{\"\"code\"\":\"\"C\"\"}\",,\"{\"\"code\"\":\"\"C\"\",\"\"total_price\"\":\"\"3.00\"\","
                        + "\"\"remark\"\":null}\",",
                "orders,update,\"{\"\"code\"\":\"\"B\"\"}\",remark,\"{\"\"code\"\":\"\"B\"\",\"\"total_price\"\":"
                        + "\"\"2.00\"\",\"\"remark\"\":\"\"it's, \\\"\"new\\\"\"\"\"}\",\"{\"\"code\"\":\"\"B\"\","
                        + "\"\"total_price\"\":\"\"2.00\"\",\"\"remark\"\":\"\" \"\"}\"",
                "sync,operation,key,changed_columns,source,target");
    }

    @Test
    void markdownHasASummaryTableAndSampleRows() {
        String md = render(ORDERS, ReportFormat.MARKDOWN, 10).replaceAll("\\| \\d+ \\|\n", "| N |\n");
        assertThat(md).startsWith("# recon diff: differences found\n")
                .contains("| orders | public.src | public.dst | join | differences | 1 | 1 | 1 | N |\n")
                .contains("| update | code=B | remark | \" \" | \"it's, \\\"new\\\"\" |\n")
                .contains("| insert | code=C |  | | |\n");
    }

    @Test
    void theSqlReportIsWhatSyncWouldRunAndConvergesTheTarget() {
        String sql = render(ORDERS, ReportFormat.SQL, 0);
        assertThat(sql.lines().sorted().toList()).containsExactly(
                "-- mapping orders: public.src -> public.dst",
                "DELETE FROM \"public\".\"dst\" WHERE \"code\" = 'Z'::text;",
                "INSERT INTO \"public\".\"dst\" (\"code\", \"total_price\", \"remark\") VALUES ('C'::text,"
                        + " '3.00'::numeric, NULL) ON CONFLICT (\"code\") DO UPDATE SET \"total_price\" ="
                        + " EXCLUDED.\"total_price\", \"remark\" = EXCLUDED.\"remark\";",
                "UPDATE \"public\".\"dst\" SET \"total_price\" = '2.00'::numeric, \"remark\" ="
                        + " 'it''s, \"new\"'::text WHERE \"code\" = 'B'::text;");
        db.execute(sql);
        assertThat(Diffs.join(db, ORDERS)).isEmpty();
    }

    @Test
    void theSqlReportSoftDeletesAndRevives() {
        db.execute("UPDATE dst SET gone = true WHERE code = 'A'");
        String yaml = ORDERS + "    deletes: { soft: gone }\n";
        String sql = render(yaml, ReportFormat.SQL, 0);
        assertThat(sql).contains("UPDATE \"public\".\"dst\" SET \"gone\" = true WHERE \"code\" = 'Z'::text;")
                .contains("\"gone\" = false WHERE \"code\" = 'A'::text;");
        db.execute(sql);
        assertThat(Diffs.join(db, yaml)).isEmpty();
        assertThat(db.rows("SELECT code, gone FROM dst ORDER BY code").toString())
                .isEqualTo("[{code=A, gone=false}, {code=B, gone=false}, {code=C, gone=false}, {code=Z, gone=true}]");
    }
}
