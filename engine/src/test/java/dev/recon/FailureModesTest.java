package dev.recon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recon.config.ConfigLoader;
import dev.recon.config.MaxDeletes;
import dev.recon.connect.Databases;
import dev.recon.base.PlanException;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportFormat;
import dev.recon.result.Outcome;
import dev.recon.result.RunResult;
import dev.recon.config.SyncOptions;
import dev.recon.result.RunRecord;
import dev.recon.state.RunStore;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults around the comparison: a server that never answers, one mapping failing among others, rights, hosts. */
class FailureModesTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (id int PRIMARY KEY, v text);
                CREATE TABLE dst (id int PRIMARY KEY, v text);
                INSERT INTO src SELECT g, 'v' || g FROM generate_series(1, 6) g;
                INSERT INTO dst SELECT g, 'v' || g FROM generate_series(1, 5) g;
                """);
    }

    private static Recon recon(String yaml) {
        return new Recon(new ConfigLoader(Map.of()).parse(yaml, "test.yaml"));
    }

    private static String mapping(String name, String columns) {
        return "  - name: " + name + "\n    source: { connection: db, table: src }\n"
                + "    target: { connection: db, table: dst }\n    key: { id: id }\n    columns: { " + columns + " }\n";
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutNamingTheConnection() throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String yaml = "connections:\n  mute: { url: \"jdbc:postgresql://127.0.0.1:" + silent.getLocalPort()
                    + "/x\", properties: { loginTimeout: 2 } }\n" + db.connectionsYaml().substring("connections:\n".length())
                    + "syncs:\n  - name: m\n    source: { connection: mute, table: src }\n"
                    + "    target: { connection: db, table: dst }\n    key: { id: id }\n";
            long start = System.nanoTime();
            assertThatThrownBy(() -> recon(yaml).plan(List.of(), Purpose.DIFF))
                    .isInstanceOf(PlanException.class)
                    .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                            .contains("cannot connect to connection 'mute'"));
            assertThat((System.nanoTime() - start) / 1_000_000_000.0).isLessThan(10.0);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void anUnknownHostIsNamed() {
        String yaml = "connections:\n  far: { url: \"jdbc:postgresql://no-such-host.invalid:5432/x\" }\n"
                + db.connectionsYaml().substring("connections:\n".length())
                + "syncs:\n  - name: m\n    source: { connection: far, table: src }\n"
                + "    target: { connection: db, table: dst }\n    key: { id: id }\n";
        assertThatThrownBy(() -> recon(yaml).plan(List.of(), Purpose.DIFF))
                .isInstanceOf(PlanException.class)
                .satisfies(e -> assertThat(((PlanException) e).problems()).singleElement().asString()
                        .contains("host 'no-such-host.invalid' is unknown"));
    }

    @Test
    void aMappingThatFailsWhileComparingLeavesTheOthersResultsInTheReport() {
        // the planner checks the expression without reading rows; row 3 divides by zero
        String yaml = db.connectionsYaml() + "syncs:\n" + mapping("broken", "\"(10 / (id - 3))::text\": v")
                + mapping("fine", "v: v");
        StringWriter json = new StringWriter();
        RunResult report = Runs.diff(recon(yaml), 5, ReportFormat.JSON.writer(json));
        assertThat(report.mappings()).extracting(s -> s.name()).containsExactly("fine");
        assertThat(report.mappings().get(0).total()).isEqualTo(1);
        assertThat(report.erroredMappings()).containsExactly("broken");
        assertThat(report.errors()).singleElement().asString().startsWith("mapping 'broken': ")
                .contains("division by zero")
                // a value the database could not take: the mapping's computed values are named
                .endsWith("; a source value that one of these could not take? expression '(10 / (id - 3))::text' -> v"
                        + " (text)");
        assertThat(report.inSync()).isFalse();
        assertThat(json.toString()).contains("\"status\" : \"error\"", "\"name\" : \"fine\"",
                "\"status\" : \"differences\"", "\"name\" : \"broken\"", "division by zero");
        // reports keep the mapping file's order, the errored mapping in its place
        assertThat(json.toString().indexOf("\"name\" : \"broken\"")).isLessThan(json.toString()
                .indexOf("\"name\" : \"fine\""));
        StringWriter text = new StringWriter();
        Runs.diff(recon(yaml), 5, ReportFormat.TEXT.writer(text));
        assertThat(text.toString()).contains("fine: public.src -> public.dst", "error: mapping 'broken': ",
                "2 mappings, 0 in sync, 1 with differences, 1 ended in an error");
        assertThat(text.toString().lines().limit(2).map(l -> l.split(" +")[0] + " " + l.split(" +")[1]).toList())
                .containsExactly("broken error", "fine differences");
        StringWriter html = new StringWriter();
        Runs.diff(recon(yaml), 5, ReportFormat.HTML.writer(html));
        // the mappings table (the chart above it lists only the differing ones)
        assertThat(html.toString().indexOf("<td>broken</td>")).isPositive()
                .isLessThan(html.toString().indexOf(">fine</a></td>"));
        for (ReportFormat format : List.of(ReportFormat.MARKDOWN, ReportFormat.SQL)) {
            StringWriter out = new StringWriter();
            Runs.diff(recon(yaml), 5, format.writer(out));
            assertThat(out.toString()).as("%s", format).contains("mapping 'broken': ", "division by zero");
            if (format == ReportFormat.MARKDOWN) {
                // the summary table lists every mapping, the errored one in its place
                assertThat(out.toString().indexOf("| broken | | | | error |")).isPositive()
                        .isLessThan(out.toString().indexOf("| fine |"));
            }
        }
    }

    @Test
    void aRoleThatMayNotUpdateIsAProblemOfTheMappingBeforeAnyRowIsRead() {
        String role = "recon_no_update_" + ProcessHandle.current().pid();
        db.execute("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN;"
                + " GRANT USAGE ON SCHEMA public TO " + role + "; GRANT SELECT, INSERT ON src, dst TO " + role
                // UPDATE of the key column alone: not of every column the sync writes
                + "; GRANT UPDATE (id) ON dst TO " + role);
        try {
            String url = db.url().replaceAll("user=[^&]*", "user=" + role);
            String yaml = "connections:\n  db: { url: \"" + url + "\" }\nsyncs:\n" + mapping("m", "v: v");
            assertThat(recon(yaml).plan(List.of(), Purpose.DIFF)).hasSize(1);
            assertThatThrownBy(() -> recon(yaml).plan(List.of(), Purpose.SYNC))
                    .isInstanceOf(PlanException.class)
                    .satisfies(e -> assertThat(((PlanException) e).problems()).containsExactly(
                            "mapping 'm': the role of connection 'db' lacks the UPDATE privilege on target table"
                                    + " public.dst, which the sync needs; GRANT UPDATE ON \"public\".\"dst\" TO <that"
                                    + " role>, or skip the operation (skip: [...])",
                            "mapping 'm': the role of connection 'db' lacks the DELETE privilege on target table"
                                    + " public.dst, which the sync needs; GRANT DELETE ON \"public\".\"dst\" TO <that"
                                    + " role>, or skip the operation (skip: [...])"));
        } finally {
            db.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    @Test
    void aRunEndedByAnErrorAfterCommittingBatchesRecordsWhatCommitted() {
        db.execute("""
                DELETE FROM dst;
                INSERT INTO src SELECT g, 'v' || g FROM generate_series(7, 12) g;
                INSERT INTO dst VALUES (100, 'x');
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                  IF NEW.id = 9 THEN RAISE EXCEPTION 'disk full (test)' USING ERRCODE = '53100'; END IF;
                  RETURN NEW; END $$;
                CREATE TRIGGER refuse BEFORE INSERT ON dst FOR EACH ROW EXECUTE FUNCTION refuse();
                """);
        String yaml = db.connectionsYaml() + "syncs:\n" + mapping("m", "v: v");
        RunResult report = Runs.sync(recon(yaml), SyncOptions.defaults().withBatchSize(4)
                .withMaxDeletes(MaxDeletes.parse("100%"), false), ReportFormat.JSON.writer(new StringWriter()));
        assertThat(report.errors()).singleElement().asString().contains("disk full (test)");
        RunRecord run = RunStore.openExisting(new Databases(), db.connection("db"), "recon")
                .history("m", 1).get(0);
        assertThat(run.status()).isEqualTo(Outcome.ERROR);
        // the batches before the refused one committed (which they are depends on the join's row order)
        long committed = db.value("SELECT count(*) FROM dst", Long.class) - 1;
        assertThat(run.plannedInsert()).isEqualTo(12L);
        assertThat(run.inserted()).isEqualTo(committed);
        assertThat(committed % 4).isZero();
        assertThat(committed).isLessThan(12L);
    }

    /**
     * The server ends every session of the run (as a restart does, SQLSTATE 57P01) while it
     * compares: the run is recorded as an error with the cause, on a new connection, not left
     * running for the next run to call aborted (an operator's probe found the cause lost).
     */
    @Test
    void aRunWhoseSessionsTheServerEndsIsRecordedWithTheCause() {
        String yaml = db.connectionsYaml() + "syncs:\n" + mapping("m", "v: v");
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        RunResult report = recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults())
                .withListener((plan, change) -> {
                    if (ended.compareAndSet(false, true)) {
                        db.value("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname ="
                                + " current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                                Long.class);
                    }
                }));
        assertThat(report.errors()).singleElement().asString().contains("57P01");
        RunRecord run = RunStore.openExisting(new Databases(), db.connection("db"), "recon").history("m", 1).get(0);
        assertThat(run.status()).isEqualTo(Outcome.ERROR);
        assertThat(run.error()).contains("terminating connection", "57P01");
    }

    /**
     * A target that stops answering after login (a proxy that stops forwarding) ends the
     * mapping within the connection's stall_timeout, naming it, instead of hanging for ever
     * (an operator's probe waited more than 10 minutes).
     */
    @Test
    void aServerThatStopsAnsweringEndsTheMappingWithinTheStallLimit() throws IOException {
        java.net.URI uri = java.net.URI.create(db.url().substring("jdbc:".length()));
        try (dev.recon.testing.StallingProxy proxy = new dev.recon.testing.StallingProxy(uri.getHost(),
                uri.getPort())) {
            String yaml = throughProxy(proxy, "2s");
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            long start = System.nanoTime();
            RunResult report = recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults())
                    .withListener((plan, change) -> {
                        if (stalled.compareAndSet(false, true)) {
                            proxy.stall();
                        }
                    }));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(report.errors()).singleElement().asString().contains("mapping 'm'",
                    "the server sent nothing for as long as the connection's stall_timeout allows");
            // two bounds at most: the read in flight, then the lock's release on the stalled session
            assertThat(seconds).isLessThan(15.0);
        }
    }

    /**
     * A stop (SIGTERM) while the server does not answer: the run's connections are aborted
     * after the stop's grace period, the run ends at once, recorded as stopped (an operator's
     * probe found SIGTERM only logged "stopping after the batch in flight" for ever).
     */
    @Test
    void aStopEndsAStalledRunWithinItsGracePeriod() throws IOException {
        java.net.URI uri = java.net.URI.create(db.url().substring("jdbc:".length()));
        try (dev.recon.testing.StallingProxy proxy = new dev.recon.testing.StallingProxy(uri.getHost(),
                uri.getPort())) {
            String yaml = throughProxy(proxy, "0");
            dev.recon.base.StopSignal stop = dev.recon.base.StopSignal.withGrace(java.time.Duration.ofSeconds(1));
            java.util.concurrent.atomic.AtomicBoolean stalled = new java.util.concurrent.atomic.AtomicBoolean();
            long start = System.nanoTime();
            RunResult report = recon(yaml).sync(dev.recon.SyncRequest.of(List.of(), SyncOptions.defaults())
                    .withStop(stop).withListener((plan, change) -> {
                        if (stalled.compareAndSet(false, true)) {
                            proxy.stall();
                            stop.request("SIGTERM");
                        }
                    }));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(report.errors()).singleElement().asString().contains("mapping 'm': stopped (SIGTERM)");
            assertThat(seconds).isLessThan(10.0);
            RunRecord run = RunStore.openExisting(new Databases(), db.connection("db"), "recon").history("m", 1)
                    .get(0);
            assertThat(run.status()).isIn(Outcome.STOPPED);
        }
    }

    /**
     * A source read by a superuser, or by a role that may write the source, is warned of: a
     * where clause runs with every right the role has (an operator's probe killed another
     * session from one); a reader is not.
     */
    @Test
    void aSourceRoleWithMoreThanReadingIsWarnedOf() {
        String source = mapping("m", "v: v");
        assertThat(recon(db.connectionsYaml() + "syncs:\n" + source).plan(List.of(), Purpose.DIFF).get(0).warnings())
                .containsExactly("source connection 'db': its role is a superuser. recon only needs SELECT on the"
                        + " source, and a where clause or a source expression runs with every right the role has;"
                        + " use a read-only role (docs/operating.md, Least privilege)");
        String role = "recon_reader_" + ProcessHandle.current().pid();
        db.execute("DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role + " LOGIN;"
                + " GRANT USAGE ON SCHEMA public TO " + role + "; GRANT SELECT ON src, dst TO " + role);
        try {
            String url = db.url().replaceAll("user=[^&]*", "user=" + role);
            String yaml = "connections:\n  db: { url: \"" + url + "\" }\nsyncs:\n" + source;
            assertThat(recon(yaml).plan(List.of(), Purpose.DIFF).get(0).warnings()).isEmpty();
            db.execute("GRANT DELETE, TRUNCATE ON src TO " + role + "; GRANT pg_signal_backend TO " + role);
            assertThat(recon(yaml).plan(List.of(), Purpose.DIFF).get(0).warnings()).singleElement().asString()
                    .startsWith("source connection 'db': its role may DELETE, TRUNCATE public.src; is a member of"
                            + " pg_signal_backend. recon only needs SELECT");
        } finally {
            db.execute("REVOKE pg_signal_backend FROM " + role + "; DROP OWNED BY " + role + "; DROP ROLE " + role);
        }
    }

    /** Mapping m, merged from db into the same database through {@code proxy}, with that stall_timeout. */
    private static String throughProxy(dev.recon.testing.StallingProxy proxy, String stall) {
        return "connections:\n  slow: { url: \"" + proxy.through(db.url()) + "\", stall_timeout: " + stall + " }\n"
                + db.connectionsYaml().substring("connections:\n".length())
                + "syncs:\n  - name: m\n    source: { connection: db, table: src }\n"
                + "    target: { connection: slow, table: dst }\n    key: { id: id }\n    strategy: merge\n";
    }
}
