package dev.recon.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.base.ReconException;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Operation;
import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import dev.recon.result.ApplyResult;
import dev.recon.result.Counts;
import dev.recon.result.FailedRow;
import dev.recon.result.Outcome;
import dev.recon.sql.Sql;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Jdbi;

/**
 * Run history and failed rows in the state schema on a target connection. The schema is
 * created and upgraded by the versioned migrations in {@code sql/} the first time a store
 * is opened in a process.
 */
public final class RunStore {
    /** A row that failed on this many consecutive runs is reported as stuck. */
    public static final int STUCK_AFTER_RUNS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> MIGRATED = ConcurrentHashMap.newKeySet();

    private final Jdbi jdbi;
    private final String schema;
    private final String q;

    private RunStore(Jdbi jdbi, String schema) {
        this.jdbi = jdbi;
        this.schema = schema;
        this.q = Sql.quote(schema) + ".";
    }

    /** Opens the store, creating or upgrading the schema when needed. */
    public static RunStore open(Databases databases, ConnectionConfig connection, String schema) {
        String id = connection.url() + "|" + connection.user() + "|" + schema;
        // Flyway runs once per process and target; afterwards a cheap check catches a dropped schema.
        if (!MIGRATED.contains(id) || openExisting(databases, connection, schema) == null) {
            migrate(databases, connection, schema);
            MIGRATED.add(id);
        }
        return new RunStore(databases.jdbi(connection), schema);
    }

    /** Opens the store only if its schema exists (for reading history); null otherwise. */
    public static RunStore openExisting(Databases databases, ConnectionConfig connection, String schema) {
        Jdbi jdbi = databases.jdbi(connection);
        boolean exists;
        try {
            exists = jdbi.withHandle(h -> h.createQuery("SELECT to_regclass(:t) IS NOT NULL")
                    .bind("t", Sql.quote(schema) + ".run").mapTo(Boolean.class).one());
        } catch (RuntimeException e) {
            throw DatabaseException.wrap("cannot read run history on connection '" + connection.name() + "' ("
                    + connection.redactedUrl() + ")", e);
        }
        return exists ? new RunStore(jdbi, schema) : null;
    }

    private static void migrate(Databases databases, ConnectionConfig connection, String schema) {
        try {
            Flyway.configure()
                    .dataSource(databases.dataSource(connection))
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .locations("classpath:dev/recon/sql")
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

    public String schema() {
        return schema;
    }

    /** Records the start of a run; returns its id. */
    public long start(String sync, String strategy) {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO " + q + "run (sync_name, status, strategy) "
                        + "VALUES (:s, :status, :st) RETURNING id")
                .bind("s", sync).bind("status", Outcome.RUNNING.label()).bind("st", strategy).mapTo(Long.class).one());
    }

    /** Marks runs of this mapping still 'running' as aborted; call while holding the mapping's lock. */
    public int abortStale(String sync) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE " + q + "run SET status = :aborted, finished_at = now(),"
                        + " error = 'the process ended before the run finished' WHERE sync_name = :s AND status = :running")
                .bind("s", sync).bind("aborted", Outcome.ABORTED.label()).bind("running", Outcome.RUNNING.label())
                .execute());
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
        jdbi.useTransaction(h -> {
            var batch = h.prepareBatch("INSERT INTO " + q + "failed_row (run_id, sync_name, row_key, operation, "
                    + "sqlstate, message) VALUES (:r, :s, CAST(:k AS jsonb), :o, :st, :m)");
            for (FailedRow f : applied.failed()) {
                batch.bind("r", runId).bind("s", sync).bind("k", keyJson(f.key())).bind("o", f.operation().label())
                        .bind("st", f.sqlState()).bind("m", f.message()).add();
            }
            if (batch.size() > 0) {
                batch.execute();
            }
            h.createUpdate("UPDATE " + q + "run SET finished_at = now(), status = :status, planned_insert = :pi,"
                            + " planned_update = :pu, planned_delete = :pd, inserted = :i, updated = :u, deleted = :d,"
                            + " failed = :f, error = :e WHERE id = :id")
                    .bind("status", status.label()).bind("e", message)
                    .bind("pi", planned.inserts()).bind("pu", planned.updates()).bind("pd", planned.deletes())
                    .bind("i", applied.written().inserts()).bind("u", applied.written().updates())
                    .bind("d", applied.written().deletes())
                    .bind("f", (long) applied.failed().size()).bind("id", runId)
                    .execute();
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
        jdbi.useHandle(h -> h.createUpdate("UPDATE " + q + "run SET planned_insert = :pi, planned_update = :pu,"
                        + " planned_delete = :pd WHERE id = :id")
                .bind("pi", planned.inserts()).bind("pu", planned.updates()).bind("pd", planned.deletes())
                .bind("id", runId).execute());
    }

    /** Records a run that ended with an error. */
    public void error(long runId, String message) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE " + q + "run SET finished_at = now(), status = :status, "
                + "error = :e WHERE id = :id").bind("status", Outcome.ERROR.label()).bind("e", message)
                .bind("id", runId).execute());
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
        String sql = "WITH runs AS (SELECT id, row_number() OVER (ORDER BY id DESC) AS n FROM (SELECT id FROM " + q
                + "run WHERE sync_name = :s AND status IN (:converged, :failed_rows) AND id <= :id"
                + " ORDER BY id DESC LIMIT 100) recent), "
                + "cur AS (SELECT row_key, operation, sqlstate, message FROM " + q + "failed_row WHERE run_id = :id), "
                + "hits AS (SELECT c.row_key, c.operation, r.n FROM cur c JOIN " + q + "failed_row f"
                + " ON f.sync_name = :s AND f.row_key = c.row_key AND f.operation = c.operation"
                + " JOIN runs r ON r.id = f.run_id) "
                + "SELECT * FROM (SELECT c.row_key::text, c.operation, c.sqlstate, c.message,"
                + " coalesce((SELECT min(r.n) FROM runs r WHERE NOT EXISTS (SELECT 1 FROM hits h"
                + " WHERE h.row_key = c.row_key AND h.operation = c.operation AND h.n = r.n)),"
                + " (SELECT count(*) + 1 FROM runs)) - 1 AS streak FROM cur c) x"
                + " WHERE streak >= :min ORDER BY streak DESC, row_key";
        return jdbi.withHandle(h -> h.createQuery(sql)
                .bind("s", sync).bind("id", runId).bind("min", atLeast)
                .bind("converged", Outcome.CONVERGED.label()).bind("failed_rows", Outcome.FAILED_ROWS.label())
                .map((rs, ctx) -> new ApplyResult.Stuck(new FailedRow(parseKey(rs.getString(1)),
                        Operation.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)), rs.getString(3),
                        rs.getString(4)), rs.getInt(5)))
                .list()).stream()
                .sorted(Comparator.comparingInt(ApplyResult.Stuck::runs).reversed()
                        .thenComparing(st -> st.row().key(), FailedRow.KEY_ORDER))
                .toList();
    }

    /** When the mapping last converged. */
    public Optional<Instant> lastConverged(String sync) {
        return jdbi.withHandle(h -> h.createQuery("SELECT max(finished_at) FROM " + q + "run WHERE sync_name = :s"
                        + " AND status = :converged")
                .bind("s", sync).bind("converged", Outcome.CONVERGED.label()).map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class)).list()
                .stream().filter(Objects::nonNull).findFirst().map(OffsetDateTime::toInstant));
    }

    /** The latest runs, newest first; of one mapping when {@code sync} is not null. */
    public List<RunRecord> history(String sync, int limit) {
        return history(List.of(sync), limit);
    }

    /** The latest {@code limit} runs of these mappings, newest first. */
    public List<RunRecord> history(Collection<String> syncs, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, sync_name, started_at, finished_at, status, strategy, "
                        + "planned_insert, planned_update, planned_delete, inserted, updated, deleted, failed, error "
                        + "FROM " + q + "run WHERE sync_name = ANY(:s) ORDER BY id DESC LIMIT :n")
                .bind("s", syncs.toArray(String[]::new)).bind("n", limit)
                .map((rs, ctx) -> new RunRecord(rs.getLong(1), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class), rs.getObject(4, OffsetDateTime.class),
                        Outcome.fromLabel(rs.getString(5)), rs.getString(6), (Long) rs.getObject(7), (Long) rs.getObject(8),
                        (Long) rs.getObject(9), (Long) rs.getObject(10), (Long) rs.getObject(11),
                        (Long) rs.getObject(12), (Long) rs.getObject(13), rs.getString(14)))
                .list());
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
