package dev.recon.state;

import dev.recon.result.RunRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.base.ReconException;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Operation;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.db.Session;
import dev.recon.spi.StateDialect;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.FailedRow;
import dev.recon.result.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Run history and failed rows in the state schema on a target connection. The schema is
 * created and upgraded by the versioned migrations in {@code sql/} (Flyway) when a sync opens
 * a store whose schema is missing or behind {@link #LATEST_MIGRATION}.
 */
public final class RunStore {
    /** A row that failed on this many consecutive runs is reported as stuck. */
    public static final int STUCK_AFTER_RUNS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The highest migration in {@code sql/} ({@code V4__key_range_cut.sql}); a schema whose
     * history already reached it is used without starting Flyway, which costs a process about
     * 0.2 s. RunStoreTest keeps this equal to the files.
     */
    public static final int LATEST_MIGRATION = 4;

    private final Databases databases;
    private final ConnectionConfig connection;
    /** The session every statement uses, or null: each opens a connection of its own. */
    private final Session session;
    private final String schema;
    private final String q;
    /** How the state schema is spelled on the target's engine. */
    private final StateDialect dialect;
    /** The current time as the state schema stores it. */
    private final String now;
    /** The failed rows' SQLSTATE column (a reserved word on some engines). */
    private final String sqlstate;

    private RunStore(Databases databases, ConnectionConfig connection, Session session, String schema) {
        this.databases = databases;
        this.connection = connection;
        this.session = session;
        this.schema = schema;
        this.dialect = connection.engine().state();
        this.q = connection.engine().quote(schema) + ".";
        this.now = dialect.now();
        this.sqlstate = dialect.column("sqlstate");
    }

    /**
     * Opens the store on {@code session} (a connection to the target, used by one thread),
     * creating or upgrading the schema when needed.
     */
    public static RunStore open(Databases databases, ConnectionConfig connection, String schema, Session session) {
        if (!current(session, schema, connection.engine().state())) {
            migrate(databases, connection, schema, session);
        }
        return new RunStore(databases, connection, session, schema);
    }

    /** Whether the schema's tables exist and its migration history reached {@link #LATEST_MIGRATION}, without failures. */
    private static boolean current(Session session, String schema, StateDialect dialect) {
        try {
            return dialect.current(session, schema, LATEST_MIGRATION);
        } catch (RuntimeException e) {
            return false; // Flyway then says what is wrong
        }
    }

    /** Opens the store only if its schema exists (for reading history); null otherwise. */
    public static RunStore openExisting(Databases databases, ConnectionConfig connection, String schema) {
        boolean exists;
        try (Session s = databases.open(connection, "state schema '" + schema + "'")) {
            exists = connection.engine().state().runTableExists(s, schema);
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("cannot read run history on connection '" + connection.name() + "' ("
                    + connection.redactedUrl() + ")", e);
        }
        return exists ? new RunStore(databases, connection, null, schema) : null;
    }

    private static void migrate(Databases databases, ConnectionConfig connection, String schema, Session session) {
        try {
            if (connection.engine().state().migrate(session, schema)) {
                return;
            }
        } catch (RuntimeException e) {
            throw new ReconException("cannot create or upgrade the state schema '" + schema + "' on connection '"
                    + connection.name() + "' (" + connection.redactedUrl() + "): " + DatabaseException.firstLine(
                            e.getMessage()), e);
        }
        try {
            Flyway.configure()
                    .dataSource(databases.dataSource(connection))
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .locations(connection.engine().state().migrations())
                    .table("schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ReconException("cannot create or upgrade the state schema '" + schema + "' on connection '"
                    + connection.name() + "' (" + connection.redactedUrl() + "): "
                    + DatabaseException.firstLine(e.getMessage()) + "; the role needs CREATE on the database, or create the schema"
                    + " for it", e);
        }
    }

    /**
     * The same store on connections of its own: for recording how a run ended when the run's
     * session is gone with the error (a server restart, a cut connection).
     */
    public RunStore detached() {
        return session == null ? this : new RunStore(databases, connection, null, schema);
    }

    public String schema() {
        return schema;
    }

    /** Runs {@code work} on the store's session, or on a connection of its own to the state schema's database. */
    private <T> T withSession(Function<Session, T> work) {
        try {
            if (session != null) {
                return work.apply(session);
            }
            try (Session s = databases.open(connection, "state schema '" + schema + "'")) {
                return work.apply(s);
            }
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("state schema '" + schema + "' on connection '" + connection.name() + "' ("
                    + connection.redactedUrl() + ")", e);
        }
    }

    /**
     * The key ranges' inner bounds stored for mapping {@code sync} cut for {@code split}
     * ({@code rows=N}); empty when none are stored, or they were cut for another split.
     */
    public Optional<List<String>> storedCut(String sync, String split) {
        return withSession(h -> h.list("SELECT split, bounds FROM " + q + "key_range_cut WHERE sync_name = ?",
                rs -> rs.getString(1).equals(split) ? bounds(rs.getString(2)) : null, sync).stream()
                .filter(java.util.Objects::nonNull).findFirst());
    }

    /** The split ({@code rows=N}) the stored cut of mapping {@code sync} was made for; empty when none is stored. */
    public Optional<String> storedSplit(String sync) {
        return withSession(h -> h.list("SELECT split FROM " + q + "key_range_cut WHERE sync_name = ?",
                rs -> rs.getString(1), sync).stream().findFirst());
    }

    /**
     * Stores {@code bounds} as mapping {@code sync}'s cut for {@code split} unless one for that
     * split is already stored ({@code replace}: whatever is stored), and returns the cut that is
     * stored afterwards: two workers that cut at once both get the one that was stored first.
     */
    public List<String> storeCut(String sync, String split, List<String> bounds, boolean replace) {
        String text = String.join(",", bounds);
        return withSession(h -> {
            int updated = h.update("UPDATE " + q + "key_range_cut SET split = ?, bounds = ?, cut_at = " + now
                    + " WHERE sync_name = ?" + (replace ? "" : " AND split <> ?"),
                    replace ? new Object[] {split, text, sync} : new Object[] {split, text, sync, split});
            RuntimeException refused = null;
            if (updated == 0) {
                try {
                    h.update("INSERT INTO " + q + "key_range_cut (sync_name, split, bounds, cut_at) VALUES (?, ?, ?, "
                            + now + ")", sync, split, text);
                } catch (RuntimeException e) {
                    // another worker stored its cut first (the key exists): that one is read below
                    refused = e;
                }
            }
            List<List<String>> stored = h.list("SELECT bounds FROM " + q + "key_range_cut WHERE sync_name = ?",
                    rs -> bounds(rs.getString(1)), sync);
            if (stored.isEmpty()) {
                throw refused != null ? refused : new IllegalStateException("the key range cut was not stored");
            }
            return stored.get(0);
        });
    }

    private static List<String> bounds(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(","));
    }

    /** Records the start of a run; returns its id. */
    public long start(String sync, String strategy) {
        return start(sync, strategy, null);
    }

    /** The same, begun {@code ago} before now (a run that first waited for the lock); null: now. */
    public long start(String sync, String strategy, java.time.Duration ago) {
        long micros = ago == null ? 0 : ago.toNanos() / 1000;
        return withSession(h -> dialect.insertReturningId(h, "INSERT INTO " + q + "run (sync_name, status, strategy,"
                + " started_at) VALUES (?, ?, ?, " + dialect.microsAgo(micros) + ")", sync, Outcome.RUNNING.label(),
                strategy));
    }

    /** Marks runs of this mapping still 'running' as aborted; call while holding the mapping's lock. */
    public int abortStale(String sync) {
        return withSession(h -> h.update("UPDATE " + q + "run SET status = ?, finished_at = " + now + ","
                + " error = 'the process ended before the run finished' WHERE sync_name = ? AND status = ?",
                Outcome.ABORTED.label(), sync, Outcome.RUNNING.label()));
    }

    /** Records the outcome of a run that applied changes, with its failed rows. */
    public void finish(long runId, String sync, Counts planned, ApplyResult applied) {
        finish(runId, sync, planned, applied, applied.converged() ? Outcome.CONVERGED : Outcome.FAILED_ROWS, null);
    }

    /**
     * Records a run that stopped on request after committing {@code applied}: status
     * {@code stopped}, with {@code message} saying why.
     */
    public void stopped(long runId, String sync, Counts planned, ApplyResult applied, String message) {
        finish(runId, sync, planned, applied, Outcome.STOPPED, message);
    }

    private void finish(long runId, String sync, Counts planned, ApplyResult applied, Outcome status,
            String message) {
        withSession(h -> {
            Runnable update = () -> h.update("UPDATE " + q + "run SET finished_at = " + now + ", status = ?, planned_insert = ?,"
                    + " planned_update = ?, planned_delete = ?, inserted = ?, updated = ?, deleted = ?,"
                    + " failed = ?, changed_meanwhile = ?, error = ? WHERE id = ?", status.label(), planned.inserts(),
                    planned.updates(), planned.deletes(), applied.written().inserts(),
                    applied.written().updates(), applied.written().deletes(), (long) applied.failed().size(),
                    applied.changedMeanwhile(), message, runId);
            if (applied.failed().isEmpty()) {
                update.run();
                return null;
            }
            h.inTransaction(() -> {
                try (PreparedStatement batch = h.prepare("INSERT INTO " + q + "failed_row (run_id, sync_name,"
                        + " row_key, operation, " + sqlstate + ", message) VALUES (?, ?, " + dialect.jsonParameter()
                        + ", ?, ?, ?)")) {
                    for (FailedRow f : applied.failed()) {
                        batch.setLong(1, runId);
                        batch.setString(2, sync);
                        batch.setString(3, keyJson(f.key()));
                        batch.setString(4, f.operation().label());
                        batch.setString(5, f.sqlState());
                        batch.setString(6, f.message());
                        batch.addBatch();
                    }
                    batch.executeBatch();
                } catch (SQLException e) {
                    throw new DatabaseException("state schema '" + schema + "': cannot record the failed rows", e);
                }
                update.run();
            });
            return null;
        });
    }

    /**
     * Adds one batch's rows to the run's counts, on the writer's own connection inside the
     * batch's transaction (the state schema lives on the target): committed with the batch,
     * or not at all.
     */
    public void addCommitted(Connection connection, long runId, Counts batch) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + q + "run SET inserted = coalesce(inserted, 0)"
                + " + ?, updated = coalesce(updated, 0) + ?, deleted = coalesce(deleted, 0) + ? WHERE id = ?")) {
            ps.setLong(1, batch.inserts());
            ps.setLong(2, batch.updates());
            ps.setLong(3, batch.deletes());
            ps.setLong(4, runId);
            ps.executeUpdate();
        }
    }

    /** Records what a run is about to write, before its first batch. */
    public void planned(long runId, Counts planned) {
        withSession(h -> h.update("UPDATE " + q + "run SET planned_insert = ?, planned_update = ?,"
                + " planned_delete = ? WHERE id = ?", planned.inserts(), planned.updates(), planned.deletes(), runId));
    }

    /** Records a run stopped on request whose batch in flight was cancelled: its counts are what its batches added. */
    public void stoppedAsIs(long runId, String message) {
        withSession(h -> h.update("UPDATE " + q + "run SET finished_at = " + now + ", status = ?, error = ? WHERE id = ?",
                Outcome.STOPPED.label(), message, runId));
    }

    /** Records a run that ended with an error. */
    public void error(long runId, String message) {
        withSession(h -> h.update("UPDATE " + q + "run SET finished_at = " + now + ", status = ?, error = ? WHERE id = ?",
                Outcome.ERROR.label(), message, runId));
    }

    /**
     * The failed rows of this run that also failed on the runs right before it, at least
     * {@link #STUCK_AFTER_RUNS} runs in a row counting this one (runs that ended in an error
     * before writing are not counted).
     */
    public List<ApplyResult.Stuck> stuck(String sync, long runId) {
        return inARow(sync, runId, STUCK_AFTER_RUNS);
    }

    /** Every failed row of this run, with how many runs in a row (this one included) refused it. */
    public List<ApplyResult.Stuck> failedInARow(String sync, long runId) {
        return inARow(sync, runId, 1);
    }

    private List<ApplyResult.Stuck> inARow(String sync, long runId, int atLeast) {
        // the parameters once, by name, for a query that uses them several times
        String text = dialect.textType();
        String whole = dialect.integerType();
        String sql = "WITH p AS (SELECT CAST(? AS " + text + ") AS sync, CAST(? AS " + whole + ") AS run, CAST(? AS "
                + whole + ") AS least, CAST(? AS " + text + ") AS converged, CAST(? AS " + text + ") AS failed_rows), "
                + "runs AS (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM (SELECT r.id FROM " + q
                + "run r, p WHERE r.sync_name = p.sync AND r.status IN (p.converged, p.failed_rows) AND r.id <= p.run"
                + " ORDER BY r.id DESC LIMIT 100) recent), "
                + "cur AS (SELECT f.row_key, f.operation, f." + sqlstate + ", f.message FROM " + q + "failed_row f, p"
                + " WHERE f.run_id = p.run), "
                + "hits AS (SELECT c.row_key, c.operation, r.n FROM cur c JOIN " + q + "failed_row f"
                + " ON f.sync_name = (SELECT sync FROM p) AND f.row_key = c.row_key AND f.operation = c.operation"
                + " JOIN runs r ON r.id = f.run_id) "
                + "SELECT * FROM (SELECT " + dialect.jsonAsText("c.row_key") + ", c.operation, c." + sqlstate + ", c.message,"
                + " coalesce((SELECT min(r.n) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM hits h"
                + " WHERE h.row_key = c.row_key AND h.operation = c.operation AND h.n = r.n)),"
                + " (SELECT count(*) + 1 FROM runs)) - 1 AS streak FROM cur c) x"
                + " WHERE streak >= (SELECT least FROM p) ORDER BY streak DESC, row_key";
        return withSession(h -> h.list(sql, rs -> new ApplyResult.Stuck(new FailedRow(parseKey(rs.getString(1)),
                        Operation.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getString(3),
                        rs.getString(4)), rs.getInt(5)), sync, runId, atLeast, Outcome.CONVERGED.label(),
                Outcome.FAILED_ROWS.label())).stream()
                .sorted(Comparator.comparingInt(ApplyResult.Stuck::runs).reversed()
                        .thenComparing(st -> st.row().key(), FailedRow.KEY_ORDER))
                .toList();
    }

    /** When the mapping last converged. */
    public Optional<Instant> lastConverged(String sync) {
        Optional<Instant> whole = withSession(h -> h.list("SELECT max(finished_at) FROM " + q + "run WHERE sync_name = ?"
                + " AND status = ?", rs -> Optional.ofNullable(dialect.time(rs, 1)), sync, Outcome.CONVERGED.label()))
                .stream().flatMap(Optional::stream).findFirst().map(OffsetDateTime::toInstant);
        Optional<Instant> ranges = rangesConverged(sync);
        if (whole.isEmpty() || ranges.isEmpty()) {
            return whole.isPresent() ? whole : ranges;
        }
        return Optional.of(whole.get().isAfter(ranges.get()) ? whole.get() : ranges.get());
    }

    /**
     * For a mapping cut into key ranges ({@code orders[2/8]}): when every range of the latest
     * cut's count had converged, the earliest of their latest converged runs; empty when one never did.
     */
    private Optional<Instant> rangesConverged(String sync) {
        String like = sync.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "[%";
        return withSession(h -> {
            List<String> latest = h.list("SELECT sync_name FROM " + q + "run WHERE sync_name LIKE ? ESCAPE '!'"
                    + " ORDER BY id DESC LIMIT 1", rs -> rs.getString(1), like);
            if (latest.isEmpty() || dev.recon.plan.KeyRange.mappingOf(latest.get(0)).equals(latest.get(0))) {
                return Optional.<Instant>empty();
            }
            String name = latest.get(0);
            String count = name.substring(name.lastIndexOf('/') + 1, name.length() - 1);
            java.util.Map<String, Instant> converged = new java.util.HashMap<>();
            h.list("SELECT sync_name, max(finished_at) FROM " + q + "run WHERE sync_name LIKE ? ESCAPE '!' AND status"
                    + " = ? GROUP BY sync_name", rs -> {
                        OffsetDateTime t = dialect.time(rs, 2);
                        if (t != null) {
                            converged.put(rs.getString(1), t.toInstant());
                        }
                        return null;
                    }, like, Outcome.CONVERGED.label());
            Instant earliest = null;
            for (int k = 1; k <= Integer.parseInt(count); k++) {
                Instant t = converged.get(dev.recon.plan.KeyRange.name(sync, k - 1, Integer.parseInt(count)));
                if (t == null) {
                    return Optional.<Instant>empty();
                }
                earliest = earliest == null || t.isBefore(earliest) ? t : earliest;
            }
            return Optional.ofNullable(earliest);
        });
    }

    /** The latest runs, newest first; of one mapping when {@code sync} is not null. */
    public List<RunRecord> history(String sync, int limit) {
        return history(List.of(sync), limit);
    }

    /**
     * The latest {@code perSync} runs of each of these mappings, newest first within each, in
     * one query (serve's dashboard reads every mapping's history on every request).
     */
    public List<RunRecord> historyOfEach(Collection<String> syncs, int perSync) {
        List<Object> params = new java.util.ArrayList<>(syncs);
        params.add(perSync);
        return withSession(h -> h.list(RUN_COLUMNS + " FROM (SELECT r.*, row_number() OVER (PARTITION BY"
                + " sync_name ORDER BY id DESC) AS n FROM " + q + "run r WHERE sync_name IN (" + marks(syncs.size())
                + ")) AS latest WHERE n <= ? ORDER BY sync_name, id DESC", this::record, params.toArray()));
    }

    /** What {@link #record} reads, in its order. */
    private static final String RUN_COLUMNS = "SELECT id, sync_name, started_at, finished_at, status, strategy,"
            + " planned_insert, planned_update, planned_delete, inserted, updated, deleted, failed, changed_meanwhile, error";

    /** {@code ?, ?, ...}: {@code n} parameters (at least one, so an empty list matches nothing). */
    private static String marks(int n) {
        return n == 0 ? "NULL" : String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    private RunRecord record(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RunRecord(rs.getLong(1), rs.getString(2), dialect.time(rs, 3), dialect.time(rs, 4),
                Outcome.fromLabel(rs.getString(5)), rs.getString(6), (Long) rs.getObject(7), (Long) rs.getObject(8),
                (Long) rs.getObject(9), (Long) rs.getObject(10), (Long) rs.getObject(11),
                (Long) rs.getObject(12), (Long) rs.getObject(13), (Long) rs.getObject(14), rs.getString(15));
    }

    /** The latest {@code limit} runs of these mappings, newest first. */
    public List<RunRecord> history(Collection<String> syncs, int limit) {
        List<Object> params = new java.util.ArrayList<>(syncs);
        // the runs of a mapping's key ranges (orders[2/8]) are the mapping's runs too
        StringBuilder ranges = new StringBuilder();
        for (String sync : syncs) {
            ranges.append(" OR sync_name LIKE ? ESCAPE '!'");
            params.add(sync.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "[%");
        }
        params.add(limit);
        return withSession(h -> h.list(RUN_COLUMNS + " FROM " + q + "run WHERE sync_name IN (" + marks(syncs.size())
                + ")" + ranges + " ORDER BY id DESC LIMIT ?", this::record, params.toArray())).stream()
                .filter(r -> syncs.contains(dev.recon.plan.KeyRange.mappingOf(r.sync()))).toList();
    }

    private static String keyJson(List<String> key) {
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> parseKey(String json) {
        try {
            return Arrays.asList(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
