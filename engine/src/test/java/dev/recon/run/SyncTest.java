package dev.recon.run;

import dev.recon.config.SyncOptions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.Recon;
import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.config.MaxDeletes;
import dev.recon.config.Operation;
import dev.recon.report.ReportFormat;
import dev.recon.result.ApplyResult;
import dev.recon.result.FailedRow;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SyncTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private static final String ORDERS = """
            syncs:
              - name: orders
                source: { connection: db, table: src, where: "status <> 'draft'" }
                target: { connection: db, table: dst }
                key: { reference: code }
                columns: { price: total_price, item_count: number_of_items, "lower(email)": email }
            """;

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS recon CASCADE;
                CREATE TABLE src (reference text PRIMARY KEY, status text, price numeric(10,3), item_count int,
                    email text);
                CREATE TABLE dst (code text PRIMARY KEY, total_price numeric(12,2), number_of_items int,
                    email text, is_deleted boolean NOT NULL DEFAULT false, deleted_at timestamptz);
                INSERT INTO src SELECT 'R' || g, CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'paid' END, g * 1.5, g,
                    'User' || g || '@X' FROM generate_series(1, 100) g;
                INSERT INTO dst (code, total_price, number_of_items, email)
                    SELECT 'R' || g, g * 1.5, g, 'user' || g || '@x' FROM generate_series(1, 95) g;
                UPDATE dst SET number_of_items = -1 WHERE code IN ('R1', 'R2', 'R3');
                INSERT INTO dst (code, total_price, number_of_items, email) VALUES ('GONE', 1, 1, 'g');
                """);
        // differences: inserts R96-R99 (R100 is a draft), updates R1-R3, deletes GONE and drafts R10..R90
    }

    private static RunResult sync(String yaml, SyncOptions options) {
        return Runs.sync(new Recon(Diffs.config(db, yaml)), options, ReportFormat.JSON.writer(new StringWriter()));
    }

    private static SyncOptions options() {
        return SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("100%"), false);
    }

    private static ApplyResult applied(RunResult report) {
        return report.mappings().get(0).applied().orElseThrow();
    }

    @Test
    void convergesAndCountsWhatWasCommitted() {
        RunResult report = sync(ORDERS, options());

        MappingResult s = report.mappings().get(0);
        assertThat(s.count(Operation.INSERT)).isEqualTo(4);
        assertThat(s.count(Operation.UPDATE)).isEqualTo(3);
        assertThat(s.count(Operation.DELETE)).isEqualTo(10);
        ApplyResult a = applied(report);
        assertThat(List.of(a.written().inserts(), a.written().updates(), a.written().deletes())).containsExactly(4L, 3L, 10L);
        assertThat(a.failed()).isEmpty();
        assertThat(report.converged()).isTrue();
        assertThat(Diffs.join(db, ORDERS)).isEmpty();
        assertThat(db.rows("SELECT code, total_price::text, number_of_items, email FROM dst WHERE code IN"
                + " ('R1', 'R99')").toString()).isEqualTo("[{code=R1, total_price=1.50, number_of_items=1,"
                + " email=user1@x}, {code=R99, total_price=148.50, number_of_items=99, email=user99@x}]");
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(90L);
        assertThat(db.rows("SELECT status, planned_insert, planned_update, planned_delete, inserted, updated,"
                + " deleted, failed FROM recon.run").toString()).isEqualTo("[{status=converged, planned_insert=4,"
                + " planned_update=3, planned_delete=10, inserted=4, updated=3, deleted=10, failed=0}]");
        // a second run finds nothing to do
        ApplyResult again = applied(sync(ORDERS, options()));
        assertThat(List.of(again.written().inserts(), again.written().updates(), again.written().deletes())).containsExactly(0L, 0L, 0L);
    }

    /**
     * A target whose key is an identity column GENERATED ALWAYS takes the source's values (a
     * replica keeps the source's ids): the inserts override the identity, so the sync converges
     * (it failed every inserted row, every run, before).
     */
    @Test
    void anIdentityKeyGeneratedAlwaysTakesTheSourcesValues() {
        db.execute("""
                CREATE TABLE isrc (id bigint PRIMARY KEY, name text);
                CREATE TABLE idst (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
                INSERT INTO isrc VALUES (1, 'a'), (2, 'b'), (40, 'c'), (41, 'd');
                INSERT INTO idst (name) VALUES ('a'), ('x'), ('gone');
                """);
        String yaml = """
                syncs:
                  - name: ids
                    source: { connection: db, table: isrc }
                    target: { connection: db, table: idst }
                    key: { id: id }
                """;
        RunResult first = sync(yaml, options());
        assertThat(applied(first).failed()).isEmpty();
        assertThat(first.converged()).isTrue();
        ApplyResult a = applied(first);
        assertThat(List.of(a.written().inserts(), a.written().updates(), a.written().deletes()))
                .containsExactly(2L, 1L, 1L);
        assertThat(Diffs.join(db, yaml)).isEmpty();
        assertThat(db.rows("SELECT id, name FROM idst ORDER BY id").toString())
                .isEqualTo("[{id=1, name=a}, {id=2, name=b}, {id=40, name=c}, {id=41, name=d}]");
    }

    @Test
    void failedWriteBacksAreRecordedAndRetriedOnTheNextRun() {
        db.execute("ALTER TABLE dst ADD CONSTRAINT small CHECK (number_of_items < 98)");
        db.execute("""
                CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF OLD.code = 'R20' THEN RAISE EXCEPTION 'R20 is protected'; END IF; RETURN OLD; END $$;
                CREATE TRIGGER refuse BEFORE DELETE ON dst FOR EACH ROW EXECUTE FUNCTION refuse();
                """);
        ApplyResult first = applied(sync(ORDERS, options().withBatchSize(4)));
        assertThat(first.failed()).containsExactlyInAnyOrder(
                new FailedRow(List.of("R98"), Operation.INSERT, "23514",
                        "new row for relation \"dst\" violates check constraint \"small\""),
                new FailedRow(List.of("R99"), Operation.INSERT, "23514",
                        "new row for relation \"dst\" violates check constraint \"small\""),
                new FailedRow(List.of("R20"), Operation.DELETE, "P0001", "R20 is protected"));
        assertThat(List.of(first.written().inserts(), first.written().updates(), first.written().deletes())).containsExactly(2L, 3L, 9L);
        assertThat(Diffs.join(db, ORDERS).stream().map(c -> c.operation().label() + " " + c.key()).sorted().toList())
                .containsExactly("delete [R20]", "insert [R98]", "insert [R99]");
        assertThat(db.rows("SELECT r.status, f.row_key::text, f.operation, f.sqlstate FROM recon.failed_row f"
                + " JOIN recon.run r ON r.id = f.run_id ORDER BY 2").toString()).isEqualTo(
                "[{status=failed_rows, row_key=[\"R20\"], operation=delete, sqlstate=P0001},"
                        + " {status=failed_rows, row_key=[\"R98\"], operation=insert, sqlstate=23514},"
                        + " {status=failed_rows, row_key=[\"R99\"], operation=insert, sqlstate=23514}]");

        db.execute("ALTER TABLE dst DROP CONSTRAINT small; DROP TRIGGER refuse ON dst");
        RunResult second = sync(ORDERS, options());
        assertThat(second.converged()).isTrue();
        ApplyResult a = applied(second);
        assertThat(List.of(a.written().inserts(), a.written().updates(), a.written().deletes())).containsExactly(2L, 0L, 1L);
        assertThat(Diffs.join(db, ORDERS)).isEmpty();
    }

    @Test
    void aRowFailingRunAfterRunIsCalledStuck() {
        db.execute("ALTER TABLE dst ADD CONSTRAINT small CHECK (number_of_items < 99)");
        assertThat(applied(sync(ORDERS, options())).stuck()).isEmpty();
        assertThat(applied(sync(ORDERS, options())).stuck()).isEmpty();
        List<ApplyResult.Stuck> stuck = applied(sync(ORDERS, options())).stuck();
        assertThat(stuck).containsExactly(new ApplyResult.Stuck(new FailedRow(List.of("R99"), Operation.INSERT,
                "23514", "new row for relation \"dst\" violates check constraint \"small\""), 3));
        assertThat(applied(sync(ORDERS, options())).stuck()).extracting(ApplyResult.Stuck::runs).containsExactly(4);
        // a later run that ended in an error before writing (a lock timeout) has no refused rows of its own:
        // recon history --failed shows those of the latest run that wrote, still refused
        db.execute("INSERT INTO recon.run (sync_name, status, strategy, started_at, finished_at, error) VALUES"
                + " ('orders', 'error', 'join', now(), now(), 'timed out waiting for the lock')");
        assertThat(new Recon(Diffs.config(db, ORDERS)).refusedRows(List.of("orders"), null).orElseThrow())
                .extracting(r -> r.row().row().key() + " " + r.row().runs() + " " + r.run().status().label())
                .containsExactly("[R99] 4 failed_rows");
    }

    @Test
    void tooManyDeletesStopBeforeAnythingIsWritten() {
        String before = db.rows("SELECT * FROM dst ORDER BY code").toString();
        RunResult guarded = sync(ORDERS, SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("10%"), false));
        assertThat(guarded.mappings()).isEmpty();
        assertThat(guarded.converged()).isFalse();
        assertThat(guarded.errors()).containsExactly("mapping 'orders': the sync would delete 10 of 96 rows of"
                + " public.dst, more than --max-deletes 10% allows (9); nothing was written. If the source really lost"
                + " these rows, run again with --max-deletes 10 or --force; if not, check the job that fills public.src");
        assertThat(sync(ORDERS, options().withMaxDeletes(MaxDeletes.parse("9"), false)).errors())
                .singleElement().asString().contains("more than --max-deletes 9 allows (9)");
        assertThat(db.rows("SELECT * FROM dst ORDER BY code").toString()).isEqualTo(before);
        assertThat(db.rows("SELECT status, error IS NOT NULL AS has_error FROM recon.run").toString())
                .isEqualTo("[{status=error, has_error=true}, {status=error, has_error=true}]");

        assertThat(applied(sync(ORDERS, options().withMaxDeletes(MaxDeletes.parse("10"), false))).written().deletes())
                .isEqualTo(10);
    }

    @Test
    void forceLiftsTheDeleteGuard() {
        db.execute("TRUNCATE src");
        ApplyResult a = applied(sync(ORDERS, SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("0"), true)));
        assertThat(a.written().deletes()).isEqualTo(96);
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isZero();
    }

    @Test
    void aSecondRunOfTheSameMappingWaitsForTheLockThenGivesUp() throws Exception {
        try (Connection holder = DriverManager.getConnection(db.url()); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + dev.recon.engines.postgres.PostgresEngine.LOCK_CLASS + ", hashtext('orders'))");
            long start = System.nanoTime();
            assertThat(sync(ORDERS, options().withLockTimeout(Duration.ofMillis(700))).errors())
                    .containsExactly("mapping 'orders': another recon run of this mapping is still running (it holds"
                            + " the mapping's lock on db); waited 0.7 s (--lock-timeout). Nothing was written");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
            assertThat(db.value("SELECT count(*) FROM dst WHERE code = 'R99'", Long.class)).isZero();
            // the run that waited in vain is in the history, with the reason
            assertThat(db.rows("SELECT status, error FROM recon.run").toString()).isEqualTo("[{status=error,"
                    + " error=mapping 'orders': another recon run of this mapping is still running (it holds the"
                    + " mapping's lock on db); waited 0.7 s (--lock-timeout). Nothing was written}]");
            // from when it began to wait
            assertThat(db.value("SELECT extract(epoch FROM finished_at - started_at) >= 0.7 FROM recon.run",
                    Boolean.class)).isTrue();
            s.execute("SELECT pg_advisory_unlock_all()");
        }
        assertThat(sync(ORDERS, options()).converged()).isTrue();
        // the run released its lock
        try (Connection other = DriverManager.getConnection(db.url()); Statement s = other.createStatement()) {
            var rs = s.executeQuery("SELECT pg_try_advisory_lock(" + dev.recon.engines.postgres.PostgresEngine.LOCK_CLASS + ", hashtext('orders'))");
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
    }

    @Test
    void softDeletesMarkRowsAndReviveThemWhenTheyReturn() {
        String soft = ORDERS + "    deletes: { soft: is_deleted }\n";
        ApplyResult a = applied(sync(soft, options()));
        assertThat(a.written().deletes()).isEqualTo(10);
        assertThat(db.value("SELECT count(*) FROM dst WHERE is_deleted", Long.class)).isEqualTo(10L);
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(100L);
        assertThat(Diffs.join(db, soft)).isEmpty();

        db.execute("UPDATE src SET status = 'paid' WHERE reference = 'R10'");
        ApplyResult revived = applied(sync(soft, options()));
        assertThat(List.of(revived.written().inserts(), revived.written().updates(), revived.written().deletes())).containsExactly(0L, 1L, 0L);
        assertThat(db.value("SELECT is_deleted FROM dst WHERE code = 'R10'", Boolean.class)).isFalse();

        String stamped = ORDERS + "    deletes: { soft: deleted_at }\n";
        db.execute("UPDATE src SET status = 'draft' WHERE reference = 'R11'");
        assertThat(applied(sync(stamped, options())).written().deletes()).isEqualTo(10);
        assertThat(db.value("SELECT count(*) FROM dst WHERE deleted_at > now() - interval '1 hour'", Long.class))
                .isEqualTo(10L);
    }

    @Test
    void skippedOperationsAreNeverPerformed() {
        ApplyResult noUpdates = applied(sync(ORDERS + "    skip: [update, delete]\n", options()));
        assertThat(List.of(noUpdates.written().inserts(), noUpdates.written().updates(), noUpdates.written().deletes()))
                .containsExactly(4L, 0L, 0L);
        assertThat(db.value("SELECT number_of_items FROM dst WHERE code = 'R1'", Integer.class)).isEqualTo(-1);

        ApplyResult noInserts = applied(sync(ORDERS + "    skip: [insert]\n", options()));
        assertThat(List.of(noInserts.written().inserts(), noInserts.written().updates(), noInserts.written().deletes()))
                .containsExactly(0L, 3L, 10L);
    }

    @Test
    void largeBatchesGoThroughCopyAndStillIsolateBadRows() {
        db.execute("""
                INSERT INTO src SELECT 'B' || g, 'paid', g, g, E'tab\\there\\nnew line \\\\ back' FROM generate_series(1, 3000) g;
                ALTER TABLE dst ADD CONSTRAINT not_1234 CHECK (code <> 'B1234');
                """);
        ApplyResult a = applied(sync(ORDERS, options().withBatchSize(2500).withCopyThreshold(1000)));
        assertThat(a.written().inserts()).isEqualTo(3003);
        assertThat(a.failed()).extracting(FailedRow::key).containsExactly(List.of("B1234"));
        assertThat(db.value("SELECT email FROM dst WHERE code = 'B7'", String.class))
                .isEqualTo("tab\there\nnew line \\ back");
        assertThat(Diffs.join(db, ORDERS)).extracting(c -> c.key().get(0)).containsExactly("B1234");
    }

    @Test
    void changesATriggerSilentlySkipsAreNotCalledConverged() {
        db.execute("CREATE FUNCTION skip_all() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;"
                + " CREATE TRIGGER skip_all BEFORE INSERT OR UPDATE OR DELETE ON dst FOR EACH ROW"
                + " EXECUTE FUNCTION skip_all();");
        RunResult report = sync(ORDERS, options());
        ApplyResult a = applied(report);
        assertThat(List.of(a.written().inserts(), a.written().updates(), a.written().deletes(), (long) a.failed().size())).containsOnly(0L);
        assertThat(a.notApplied()).isEqualTo(report.mappings().get(0).total()).isPositive();
        assertThat(report.converged()).isFalse();
        assertThat(db.value("SELECT status FROM recon.run", String.class)).isEqualTo("failed_rows");
    }

    @Test
    void oneMappingsErrorDoesNotStopTheOthers() {
        db.execute("CREATE TABLE dst2 (code text PRIMARY KEY, total_price numeric(12,2), number_of_items int,"
                + " email text)");
        String two = ORDERS + ORDERS.substring(ORDERS.indexOf("  - name")).replace("name: orders", "name: second")
                .replace("table: dst }", "table: dst2 }");
        RunResult report = sync(two, SyncOptions.defaults().withMaxDeletes(MaxDeletes.parse("10%"), false));
        assertThat(report.errors()).singleElement().asString().startsWith("mapping 'orders': the sync would delete");
        assertThat(report.mappings()).extracting(MappingResult::name).containsExactly("second");
        assertThat(applied(report).written().inserts()).isEqualTo(90);
        assertThat(report.converged()).isFalse();
    }

    @Test
    void writesArePacedByMaxRowsPerSecond() {
        long start = System.nanoTime();
        ApplyResult a = applied(sync(ORDERS, options().withMaxRowsPerSecond(20)));
        assertThat(a.written().inserts() + a.written().updates() + a.written().deletes()).isEqualTo(17);
        // 7 upserts, then 10 deletes, at 20 rows per second: the second batch waits for the first 7/20 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(300));
    }

    @Test
    void aRunLeftRunningByACrashIsMarkedAbortedByTheNext() {
        sync(ORDERS, options());
        db.execute("INSERT INTO recon.run (sync_name, status) VALUES ('orders', 'running')");
        sync(ORDERS, options());
        assertThat(db.rows("SELECT status FROM recon.run ORDER BY id").toString())
                .isEqualTo("[{status=converged}, {status=aborted}, {status=converged}]");
    }

    @Test
    void aStopRequestedDuringTheWritesEndsTheRunAfterTheBatchInFlight() {
        StopSignal stop = new StopSignal();
        Progress stopAfterFirstBatch = raiseOnFirstBatch(stop);
        RunResult report = Runs.sync(new Recon(Diffs.config(db, ORDERS)), options().withBatchSize(2),
                ReportFormat.JSON.writer(new StringWriter()), stopAfterFirstBatch, stop);

        assertThat(report.mappings()).isEmpty();
        assertThat(report.erroredMappings()).containsExactly("orders");
        assertThat(report.errors()).singleElement().asString().startsWith("mapping 'orders': stopped (SIGTERM) after"
                + " committing ").endsWith("of 17 differences; the next run applies the rest");
        // exactly the first batch of two rows committed, and the history says so
        assertThat(Diffs.join(db, ORDERS)).hasSize(15);
        assertThat(db.rows("SELECT status, inserted + updated + deleted AS applied, planned_insert, planned_update,"
                + " planned_delete FROM recon.run").toString())
                .isEqualTo("[{status=stopped, applied=2, planned_insert=4, planned_update=3, planned_delete=10}]");

        RunResult next = sync(ORDERS, options());
        ApplyResult a = applied(next);
        assertThat(a.written().inserts() + a.written().updates() + a.written().deletes()).isEqualTo(15);
        assertThat(Diffs.join(db, ORDERS)).isEmpty();
    }

    @Test
    void aStopRequestedBeforeAMappingStartsLeavesItUntouched() {
        StopSignal stop = new StopSignal();
        stop.request("SIGINT");
        RunResult report = Runs.sync(new Recon(Diffs.config(db, ORDERS)), options(),
                ReportFormat.JSON.writer(new StringWriter()), Progress.NONE, stop);

        assertThat(report.errors()).containsExactly("mapping 'orders': not started, because a stop was requested"
                + " (SIGINT)");
        assertThat(Diffs.join(db, ORDERS)).hasSize(17);
        assertThat(db.rows("SELECT to_regclass('recon.run') AS history").toString()).isEqualTo("[{history=null}]");
    }

    @Test
    void anInitialLoadStreamsTheSourceAndStopsAfterTheBatchInFlight() {
        db.execute("TRUNCATE dst; UPDATE src SET email = E'tab\\there, new\\nline, back\\\\slash' WHERE reference = 'R1';"
                + " UPDATE src SET email = NULL WHERE reference = 'R2'");
        StopSignal stop = new StopSignal();
        Progress stopAfterFirstBatch = raiseOnFirstBatch(stop);
        RunResult stopped = Runs.sync(new Recon(Diffs.config(db, ORDERS)), options().withBatchSize(10),
                ReportFormat.JSON.writer(new StringWriter()), stopAfterFirstBatch, stop);
        // whether the reader had read all 90 rows when the stop came depends on timing; what committed does not
        assertThat(stopped.errors()).singleElement().asString().startsWith("mapping 'orders': stopped (SIGTERM)")
                .contains("after committing 10 inserts").endsWith("; the next run applies the rest");
        assertThat(db.value("SELECT count(*) FROM dst", Long.class)).isEqualTo(10L);
        assertThat(db.rows("SELECT status, inserted FROM recon.run").toString())
                .isEqualTo("[{status=stopped, inserted=10}]");

        db.execute("TRUNCATE dst");
        RunResult loaded = sync(ORDERS, options().withBatchSize(10));
        MappingResult s = loaded.mappings().get(0);
        assertThat(s.strategy()).isEqualTo("initial-load");
        assertThat(s.count(Operation.INSERT)).isEqualTo(90);
        assertThat(applied(loaded).written().inserts()).isEqualTo(90);
        assertThat(Diffs.join(db, ORDERS)).isEmpty();
        assertThat(db.rows("SELECT email FROM dst WHERE code IN ('R1', 'R2') ORDER BY code").toString())
                .isEqualTo("[{email=tab\there, new\nline, back\\slash}, {email=null}]");
    }

    /**
     * Progress that raises {@code stop} ("SIGTERM") as soon as the first batch has committed
     * (the writes report progress per batch; the diff's progress is ignored).
     */
    private static Progress raiseOnFirstBatch(StopSignal stop) {
        return new Progress() {
            private boolean writing;

            @Override
            public void start(String task, long total) {
                writing = task.endsWith(": applying") || task.endsWith(": initial load");
            }

            @Override
            public void advance(long rows) {
                if (writing) {
                    stop.request("SIGTERM");
                }
            }

            @Override
            public void finish() {
            }
        };
    }
}
