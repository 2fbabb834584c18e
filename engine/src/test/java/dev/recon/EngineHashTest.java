package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.config.ConfigLoader;
import dev.recon.config.ReconConfig;
import dev.recon.config.Strategy;
import dev.recon.diff.DiffStats;
import dev.recon.diff.hash.EngineHashDiff;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.result.StrategyDetails.Figure;
import dev.recon.config.SyncOptions;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hash strategy across engines ({@link EngineHashDiff}), for a mapping with a MariaDB side
 * that asks for it (auto merges): its buckets read only where rows differ, and never fooled by values whose
 * texts run together (a value moved from one column into the next, NULL beside the text
 * {@code N}, an empty string) or by a PostgreSQL database whose encoding is not UTF-8.
 */
class EngineHashTest {
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    @RegisterExtension
    static final PgDatabase pg = new PgDatabase();

    private static String yaml(String pgUrl, String extra) {
        return "connections:\n  maria:\n    url: \"" + maria.url() + "\"\n  pg:\n    url: \"" + pgUrl + "\"\n"
                + "syncs:\n  - name: h\n    source: {connection: maria, table: hsrc}\n"
                + "    target: {connection: pg, table: public.hdst}\n    key: {id: id}\n" + extra;
    }

    private static List<String> hashed(String yaml, int rowsPerBucket, Map<Figure, Long> figures) {
        ReconConfig config = new ConfigLoader(Map.of()).parse(yaml, "test.yaml");
        Databases databases = new Databases();
        try {
            MappingPlan plan = new Planner(config, databases).plan(List.of(), Purpose.DIFF).get(0);
            List<String> out = new ArrayList<>();
            DiffStats stats = new EngineHashDiff(databases, rowsPerBucket, 1.0).diff(plan,
                    c -> out.add(c.operation() + " " + c.key() + " " + c.changed() + " " + c.source() + " " + c.target()));
            for (Figure f : Figure.values()) {
                stats.details().get(f).ifPresent(v -> figures.put(f, v));
            }
            out.sort(null);
            return out;
        } finally {
            databases.closeIdle();
        }
    }

    @Test
    void valuesWhoseTextsRunTogetherStillDiffer() {
        maria.execute("DROP TABLE IF EXISTS hsrc;\nCREATE TABLE hsrc (id int PRIMARY KEY, a varchar(10), b varchar(10))"
                + " DEFAULT CHARSET=utf8mb4;\n"
                + "INSERT INTO hsrc WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                + " SELECT i, CONCAT('v', i), NULL FROM n;\n"
                + "INSERT INTO hsrc VALUES (1, 'ab', 'c'), (2, NULL, 'N'), (3, '', 'x'), (4, 'N', NULL), (5, '1:a', ''),"
                + " (6, 'é', 'ü');\nANALYZE TABLE hsrc");
        pg.execute("DROP TABLE IF EXISTS hdst;\nCREATE TABLE hdst (id int PRIMARY KEY, a text, b text);\n"
                + "INSERT INTO hdst SELECT i, 'v' || i, NULL FROM generate_series(10, 400) AS i;\n"
                + "INSERT INTO hdst VALUES (1, 'a', 'bc'), (2, 'N', NULL), (3, NULL, 'x'), (4, NULL, 'N'), (5, '1', ':a'),"
                + " (6, 'é', 'ü');\nANALYZE hdst");
        Map<Figure, Long> figures = new java.util.EnumMap<>(Figure.class);
        assertThat(hashed(yaml(pg.url(), ""), 4, figures)).containsExactly(
                "UPDATE [1] [a, b] [1, ab, c] [1, a, bc]",
                "UPDATE [2] [a, b] [2, null, N] [2, N, null]",
                "UPDATE [3] [a] [3, , x] [3, null, x]",
                "UPDATE [4] [a, b] [4, N, null] [4, null, N]",
                "UPDATE [5] [a, b] [5, 1:a, ] [5, 1, :a]");
        // compared by buckets, only the differing ones read again
        assertThat(figures).doesNotContainKey(Figure.FALLBACK_TO_MERGE);
        assertThat(figures.get(Figure.SEGMENTS_DIFFERING)).isBetween(1L, 5L);
        assertThat(figures.get(Figure.ROWS_FETCHED)).isLessThan(200L);
    }

    @Test
    void aNullIntegerKeyGoesWithBucketZeroOnBothSides() {
        // buckets of 4 rows over about 400: keys 128, 256 and 384 share bucket 0 with the NULL key, whose row differs
        maria.execute("DROP TABLE IF EXISTS hsrc;\nCREATE TABLE hsrc (id int, a varchar(10), b varchar(10), UNIQUE (id))"
                + " DEFAULT CHARSET=utf8mb4;\n"
                + "INSERT INTO hsrc SELECT seq, CONCAT('v', seq), NULL FROM seq_1_to_400;\n"
                + "INSERT INTO hsrc VALUES (NULL, 'nobody', NULL);\nANALYZE TABLE hsrc");
        pg.execute("DROP TABLE IF EXISTS hdst;\nCREATE TABLE hdst (id int UNIQUE, a text, b text);\n"
                + "INSERT INTO hdst SELECT i, 'v' || i, NULL FROM generate_series(1, 400) AS i;\n"
                + "INSERT INTO hdst VALUES (NULL, 'somebody', NULL);\nANALYZE hdst");
        Map<Figure, Long> figures = new java.util.EnumMap<>(Figure.class);
        assertThat(hashed(yaml(pg.url(), ""), 4, figures)).containsExactly("UPDATE [null] [a] [null, nobody, null]"
                + " [null, somebody, null]");
        assertThat(figures).doesNotContainKey(Figure.FALLBACK_TO_MERGE);
        assertThat(figures.get(Figure.SEGMENTS_DIFFERING)).isEqualTo(1L);
    }

    @Test
    void aLatin1PostgresDatabaseHashesItsTextInUtf8() throws Exception {
        String db = pg.name() + "_latin1";
        try (Connection c = DriverManager.getConnection(PgDatabase.adminUrl()); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db);
            s.execute("CREATE DATABASE " + db + " ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        }
        try {
            String url = pg.url().replace("/" + pg.name(), "/" + db);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                // 'Ã©' in Latin-1 is the bytes C3 A9, which in UTF-8 spell 'é'
                s.execute("CREATE TABLE hdst (id int PRIMARY KEY, a text, b text);\n"
                        + "INSERT INTO hdst SELECT i, 'v' || i, NULL FROM generate_series(10, 400) AS i;\n"
                        + "INSERT INTO hdst VALUES (1, 'Ã©', NULL), (2, 'é', NULL);\nANALYZE hdst");
            }
            maria.execute("DROP TABLE IF EXISTS hsrc;\nCREATE TABLE hsrc (id int PRIMARY KEY, a varchar(10),"
                    + " b varchar(10)) DEFAULT CHARSET=utf8mb4;\n"
                    + "INSERT INTO hsrc WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
                    + " SELECT i, CONCAT('v', i), NULL FROM n;\n"
                    + "INSERT INTO hsrc VALUES (1, 'é', NULL), (2, 'é', NULL);\nANALYZE TABLE hsrc");
            Map<Figure, Long> figures = new java.util.EnumMap<>(Figure.class);
            assertThat(hashed(yaml(url, ""), 4, figures)).containsExactly("UPDATE [1] [a] [1, é, null] [1, Ã©, null]");
            assertThat(figures).doesNotContainKey(Figure.FALLBACK_TO_MERGE);
        } finally {
            try (Connection c = DriverManager.getConnection(PgDatabase.adminUrl()); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    @Test
    void hashFindsTheDifferencesOfAMillionRowsShapeAndASyncConverges() {
        maria.execute("DROP TABLE IF EXISTS hsrc;\nCREATE TABLE hsrc (id int PRIMARY KEY, price decimal(10,2),"
                + " at datetime(6), f float, d double, ok tinyint(1), u char(36)) DEFAULT CHARSET=utf8mb4;\n"
                + "INSERT INTO hsrc SELECT seq, seq / 7, TIMESTAMP('2024-01-01') + INTERVAL seq * 1001 MICROSECOND,"
                + " seq / 3, seq / 9, seq % 2, UUID() FROM seq_1_to_5000;\nANALYZE TABLE hsrc");
        pg.execute("DROP TABLE IF EXISTS hdst;\nCREATE TABLE hdst (id int PRIMARY KEY, price numeric(10,2),"
                + " at timestamp, f real, d float8, ok boolean, u uuid)");
        String yaml = yaml(pg.url(), "    strategy: hash\n") + "state:\n  schema: recon_hash_state\n";
        // the empty target is loaded first, then compared by hash
        RunResult load = Runs.sync(MariaDbSourceTest.recon(yaml), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(load.converged()).isTrue();
        pg.execute("ANALYZE hdst;\nUPDATE hdst SET price = price + 1 WHERE id = 77;\nDELETE FROM hdst WHERE id = 4000;\n"
                + "UPDATE hdst SET f = f + 0.5 WHERE id = 1234");
        RunResult diff = Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter()));
        MappingResult m = diff.mappings().get(0);
        assertThat(m.plan().strategy()).isEqualTo(Strategy.HASH);
        assertThat(m.strategy()).isEqualTo("hash");
        assertThat(m.samples()).extracting(c -> c.operation() + " " + c.key() + " " + c.changed())
                .containsExactlyInAnyOrder("UPDATE [77] [price]", "INSERT [4000] []", "UPDATE [1234] [f]");
        assertThat(m.details().has(Figure.FALLBACK_TO_MERGE)).isFalse();
        // equal values print alike on both engines: only the differing buckets' rows are read (32 rows a bucket)
        assertThat(m.details().get(Figure.ROWS_FETCHED).orElseThrow()).isLessThan(400);
        RunResult sync = Runs.sync(MariaDbSourceTest.recon(yaml), SyncOptions.defaults(),
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(sync.converged()).isTrue();
        assertThat(sync.mappings().get(0).strategy()).isEqualTo("hash");
        assertThat(Runs.diff(MariaDbSourceTest.recon(yaml), 10, ReportFormat.JSON.writer(new StringWriter())).inSync())
                .isTrue();
    }

    @Test
    void autoMergesAndAJsonbColumnIsComparedByMergeAndTheFiguresSaySo() {
        maria.execute("DROP TABLE IF EXISTS hsrc;\nCREATE TABLE hsrc (id int PRIMARY KEY, doc json);\n"
                + "INSERT INTO hsrc VALUES (1, '{\"a\":1}'), (2, '[1,2]')");
        pg.execute("DROP TABLE IF EXISTS hdst;\nCREATE TABLE hdst (id int PRIMARY KEY, doc jsonb);\n"
                + "INSERT INTO hdst VALUES (1, '{\"a\": 1}'), (2, '[2, 1]')");
        RunResult auto = Runs.diff(MariaDbSourceTest.recon(yaml(pg.url(), "")), 10,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(auto.mappings().get(0).strategy()).isEqualTo("merge");
        assertThat(auto.mappings().get(0).samples()).extracting(c -> c.operation() + " " + c.key())
                .containsExactly("UPDATE [2]");
        RunResult hash = Runs.diff(MariaDbSourceTest.recon(yaml(pg.url(), "    strategy: hash\n")), 10,
                ReportFormat.JSON.writer(new StringWriter()));
        assertThat(hash.mappings().get(0).strategy()).isEqualTo("hash");
        assertThat(hash.mappings().get(0).details().get(Figure.FALLBACK_TO_MERGE)).hasValue(1L);
        assertThat(hash.mappings().get(0).details().get(Figure.COLUMNS_NOT_HASHABLE)).hasValue(1L);
        StringWriter text = new StringWriter();
        Runs.diff(MariaDbSourceTest.recon(yaml(pg.url(), "    strategy: hash\n")), 10, ReportFormat.TEXT.writer(text));
        assertThat(text.toString()).contains("1 column not hashed alike on both engines (json, or a float of an"
                + " engine that prints it otherwise): every row compared (merge)");
        assertThat(hash.mappings().get(0).samples()).extracting(c -> c.operation() + " " + c.key())
                .containsExactly("UPDATE [2]");
    }
}
