package dev.recon.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.Recon;
import dev.recon.SyncRequest;
import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.config.SyncOptions;
import dev.recon.result.ApplyResult;
import dev.recon.result.MappingResult;
import dev.recon.result.Outcome;
import dev.recon.result.RunRecord;
import dev.recon.result.RunResult;
import dev.recon.testing.MariaDbDatabase;
import dev.recon.testing.PgDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Another writer changes the target after recon read it and before recon writes: recon leaves
 * those rows as the other writer left them, counts them as changed meanwhile (not converged),
 * and the next run compares them again and converges. The order is made deterministic by
 * writing from the run's own change listener, which the diff calls before anything is applied.
 */
class ChangedMeanwhileTest {
    @RegisterExtension
    static final PgDatabase warehouse = new PgDatabase();
    @RegisterExtension
    static final PgDatabase app = new PgDatabase();
    @RegisterExtension
    static final MariaDbDatabase maria = new MariaDbDatabase();

    private static final String STATE = "recon_cm_state_" + ProcessHandle.current().pid();

    /** The state database on the shared MariaDB server is the test's own: dropped when it ends. */
    @AfterAll
    static void dropState() {
        maria.execute("DROP DATABASE IF EXISTS " + STATE);
    }

    @BeforeEach
    void seed() {
        String source = """
                CREATE TABLE src (id int PRIMARY KEY, note text, n int);
                INSERT INTO src SELECT g, 'note ' || g, g FROM generate_series(1, 50) g;
                """;
        String target = """
                CREATE TABLE dst (id int PRIMARY KEY, note text, n int, is_deleted boolean NOT NULL DEFAULT false);
                INSERT INTO dst (id, note, n) SELECT g, CASE WHEN g <= 10 THEN 'old' ELSE 'note ' || g END, g
                    FROM generate_series(1, 45) g;
                INSERT INTO dst (id, note, n) VALUES (60, 'gone', 60), (61, 'gone', 61), (62, 'gone', 62);
                """;
        warehouse.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;" + source);
        app.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;"
                + source + target);
        maria.execute("DROP TABLE IF EXISTS dst");
        maria.execute("DROP DATABASE IF EXISTS " + STATE);
        maria.execute("CREATE TABLE dst (id int PRIMARY KEY, note text, n int, is_deleted boolean NOT NULL DEFAULT"
                + " false)");
        StringBuilder rows = new StringBuilder();
        for (int g = 1; g <= 45; g++) {
            rows.append(g == 1 ? "" : ", ").append("(").append(g).append(", '").append(g <= 10 ? "old" : "note " + g)
                    .append("', ").append(g).append(")");
        }
        maria.execute("INSERT INTO dst (id, note, n) VALUES " + rows + ", (60, 'gone', 60), (61, 'gone', 61),"
                + " (62, 'gone', 62)");
    }

    /**
     * {@code join}: one server; {@code merge}, {@code hash}: two; {@code maria-*}: into MariaDB;
     * {@code *-soft}: deletes as a soft-delete marker; {@code staged}: batches through COPY.
     */
    @ParameterizedTest
    @ValueSource(strings = {"join", "join-soft", "merge", "hash", "staged", "maria-merge", "maria-hash",
        "maria-merge-soft"})
    void rowsChangedAfterTheReadAreLeftToTheirWriterAndComparedAgain(String variant) throws Exception {
        boolean intoMaria = variant.startsWith("maria");
        boolean soft = variant.endsWith("soft");
        String strategy = variant.replace("maria-", "").replace("-soft", "");
        String yaml = yaml(variant, intoMaria, soft, strategy);
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        if (variant.equals("staged")) {
            options = new SyncOptions(options.batchSize(), 1, options.maxDeletes(), false, options.lockTimeout(),
                    Optional.empty(), 10, 0, Set.of());
        }
        AtomicBoolean written = new AtomicBoolean();
        RunResult first = recon(yaml).sync(SyncRequest.of(List.of(), options).withListener((plan, change) -> {
            if (written.compareAndSet(false, true)) {
                otherWriter(intoMaria, soft);
            }
        }));

        assertThat(first.errors()).isEmpty();
        MappingResult m = first.mappings().get(0);
        // planned: inserts 46-50, updates 1-10, deletes 60-62
        assertThat(m.counts().inserts()).isEqualTo(5);
        assertThat(m.counts().updates()).isEqualTo(10);
        assertThat(m.counts().deletes()).isEqualTo(3);
        ApplyResult a = m.applied().orElseThrow();
        assertThat(a.changedMeanwhile()).as("rows 1, 2, 46 and 60 changed meanwhile").isEqualTo(4);
        assertThat(a.meanwhileKeys()).containsExactlyInAnyOrder(List.of("1"), List.of("2"), List.of("46"),
                List.of("60"));
        assertThat(a.written().inserts()).isEqualTo(4);
        assertThat(a.written().updates()).isEqualTo(8);
        assertThat(a.written().deletes()).isEqualTo(2);
        assertThat(a.failed()).isEmpty();
        assertThat(a.notApplied()).isZero();
        assertThat(a.converged()).isFalse();
        assertThat(first.outcome(m)).isEqualTo(Outcome.FAILED_ROWS);
        // what the other writer wrote is still there
        assertThat(target(intoMaria, soft)).contains("1:newer:1", "46:other:46", "60:kept:60")
                .doesNotContain("2:note 2:2", "61:gone:61");
        RunRecord run = recon(yaml).histories(List.of("m"), 1).get("m").get(0);
        assertThat(run.changedMeanwhile()).isEqualTo(4);
        assertThat(run.status()).isEqualTo(Outcome.FAILED_ROWS);

        RunResult second = recon(yaml).sync(SyncRequest.of(List.of(), options));
        ApplyResult again = second.mappings().get(0).applied().orElseThrow();
        assertThat(again.converged()).isTrue();
        assertThat(again.changedMeanwhile()).isZero();
        // row 1 was changed on both sides alike: nothing to write; 2 is inserted, 46 updated, 60 deleted
        assertThat(second.mappings().get(0).counts().total()).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (int g = 1; g <= 50; g++) {
            expected.add(g + ":" + (g == 1 ? "newer" : "note " + g) + ":" + g);
        }
        assertThat(target(intoMaria, soft)).containsExactlyElementsOf(expected);
    }

    /**
     * A column recon writes but does not compare ({@code compare: [note]}) changed meanwhile:
     * the row is left alone too (a probe found it written over, exit 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"join", "maria-merge"})
    void aColumnWrittenButNotComparedIsNotWrittenOverEither(String variant) throws Exception {
        boolean intoMaria = variant.startsWith("maria");
        String yaml = yaml(variant, intoMaria, false, variant.replace("maria-", "")) + "    compare: [note]\n";
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        AtomicBoolean written = new AtomicBoolean();
        RunResult first = recon(yaml).sync(SyncRequest.of(List.of(), options).withListener((plan, change) -> {
            if (written.compareAndSet(false, true)) {
                try (Connection t = intoMaria ? maria.connect() : DriverManager.getConnection(app.url());
                     Statement st = t.createStatement()) {
                    st.execute("UPDATE dst SET n = -777 WHERE id IN (3, 61)"); // a planned update and delete
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        assertThat(first.errors()).isEmpty();
        ApplyResult a = first.mappings().get(0).applied().orElseThrow();
        assertThat(a.meanwhileKeys()).containsExactlyInAnyOrder(List.of("3"), List.of("61"));
        assertThat(target(intoMaria, false)).contains("3:old:-777", "61:gone:-777");
    }

    /**
     * Another writer's transaction, open when recon's update begins, changes a planned row and
     * commits while recon waits for the row: left alone and counted as changed meanwhile, not as
     * a row a trigger skipped (a probe's find). The commit waits until recon's statement waits
     * for the lock (pg_stat_activity), so the order does not rest on a sleep.
     */
    @org.junit.jupiter.api.Test
    void aWriterWhoseTransactionWasStillOpenCountsAsChangedMeanwhile() throws Exception {
        String yaml = yaml("join", false, false, "join");
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        Connection other = DriverManager.getConnection(app.url());
        other.setAutoCommit(false);
        Thread committer = new Thread(() -> {
            try (Connection watch = DriverManager.getConnection(app.url()); Statement st = watch.createStatement()) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < deadline) {
                    try (var rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                            + " current_database() AND wait_event_type = 'Lock'")) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            break; // recon's update waits for the row
                        }
                    }
                    Thread.sleep(20);
                }
                other.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        AtomicBoolean written = new AtomicBoolean();
        RunResult first = recon(yaml).sync(SyncRequest.of(List.of(), options).withListener((plan, change) -> {
            if (written.compareAndSet(false, true)) {
                try (Statement st = other.createStatement()) {
                    st.execute("UPDATE dst SET note = 'held' WHERE id = 1");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                committer.start();
            }
        }));
        committer.join();
        other.close();
        assertThat(first.errors()).isEmpty();
        ApplyResult a = first.mappings().get(0).applied().orElseThrow();
        assertThat(a.notApplied()).isZero();
        assertThat(a.meanwhileKeys()).containsExactly(List.of("1"));
        assertThat(target(false, false)).contains("1:held:1");
    }

    /** With --recheck the rows changed meanwhile are compared again at once and the run converges. */
    @ParameterizedTest
    @ValueSource(strings = {"join", "hash", "maria-merge"})
    void aRecheckComparesTheChangedRowsAgainAtOnce(String variant) throws Exception {
        boolean intoMaria = variant.startsWith("maria");
        String strategy = variant.replace("maria-", "");
        String yaml = yaml(variant, intoMaria, false, strategy);
        SyncOptions options = SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
        AtomicBoolean written = new AtomicBoolean();
        RunResult first = recon(yaml).sync(SyncRequest.of(List.of(), options).withRecheck(true)
                .withListener((plan, change) -> {
                    if (written.compareAndSet(false, true)) {
                        otherWriter(intoMaria, false);
                    }
                }));
        assertThat(first.errors()).isEmpty();
        ApplyResult a = first.mappings().get(0).applied().orElseThrow();
        assertThat(a.changedMeanwhile()).isZero();
        assertThat(a.notApplied()).isZero();
        assertThat(a.converged()).isTrue();
        // first 4 + 8 + 2; then the recheck: 2 inserted again, 46 updated, 60 deleted (1 is equal now)
        assertThat(a.written().inserts()).isEqualTo(5);
        assertThat(a.written().updates()).isEqualTo(9);
        assertThat(a.written().deletes()).isEqualTo(3);
        List<String> expected = new ArrayList<>();
        for (int g = 1; g <= 50; g++) {
            expected.add(g + ":" + (g == 1 ? "newer" : "note " + g) + ":" + g);
        }
        assertThat(target(intoMaria, false)).containsExactlyElementsOf(expected);
    }

    private static String yaml(String variant, boolean intoMaria, boolean soft, String strategy) {
        String source = strategy.equals("join") ? "app" : "warehouse";
        String target = intoMaria ? "maria" : "app";
        return "connections:\n  warehouse: { url: \"" + warehouse.url() + "\" }\n  app: { url: \"" + app.url()
                + "\" }\n  maria: { url: \"" + maria.url() + "\" }\n"
                + (intoMaria ? "state:\n  schema: " + STATE + "\n" : "")
                + "syncs:\n  - name: m\n    source: { connection: " + source + ", table: src }\n"
                + "    target: { connection: " + target + ", table: dst }\n    key: { id: id }\n"
                + "    columns: { note: note, n: n }\n"
                + (strategy.equals("staged") ? "" : "    strategy: " + strategy + "\n")
                + (soft ? "    deletes: { soft: is_deleted }\n" : "");
    }

    /** Another application's writes, committed between recon's read and its write. */
    private static void otherWriter(boolean intoMaria, boolean soft) {
        List<String> target = List.of(
                "UPDATE dst SET note = 'newer' WHERE id = 1",      // a planned update: updated meanwhile
                "DELETE FROM dst WHERE id = 2",                      // a planned update: deleted meanwhile
                "INSERT INTO dst (id, note, n) VALUES (46, 'other', 46)", // a planned insert: inserted meanwhile
                "UPDATE dst SET note = 'kept' WHERE id = 60");       // a planned delete: updated meanwhile
        try (Connection t = intoMaria ? maria.connect() : DriverManager.getConnection(app.url());
             Connection s = DriverManager.getConnection(warehouse.url());
             Connection s1 = DriverManager.getConnection(app.url())) {
            try (Statement st = t.createStatement()) {
                for (String sql : target) {
                    st.execute(sql);
                }
            }
            // the source changed alike: the row is right as the other writer left it
            for (Connection c : List.of(s, s1)) {
                try (Statement st = c.createStatement()) {
                    st.execute("UPDATE src SET note = 'newer' WHERE id = 1");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The target's live rows as {@code id:note:n}, by id. */
    private static List<String> target(boolean intoMaria, boolean soft) throws SQLException {
        String sql = "SELECT id, note, n FROM dst" + (soft ? " WHERE NOT is_deleted" : "") + " ORDER BY id";
        List<String> out = new ArrayList<>();
        try (Connection c = intoMaria ? maria.connect() : DriverManager.getConnection(app.url());
             Statement st = c.createStatement(); var rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getInt(1) + ":" + rs.getString(2) + ":" + rs.getInt(3));
            }
        }
        return out;
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }
}
