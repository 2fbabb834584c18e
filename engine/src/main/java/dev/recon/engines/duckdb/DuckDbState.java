package dev.recon.engines.duckdb;

import dev.recon.db.Session;
import dev.recon.spi.StateDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The state schema in a DuckDB target's database file: the run history and the failed rows,
 * as on the other engines, created by recon itself (Flyway serves no DuckDB). Times are
 * {@code TIMESTAMPTZ}, the session in UTC; a row key is its JSON text; there are no foreign
 * keys (DuckDB has no cascading delete) and no checks on the status words.
 */
final class DuckDbState implements StateDialect {
    static final DuckDbState INSTANCE = new DuckDbState();

    /** Not asked: {@link #migrate} creates the schema. */
    @Override
    public String migrations() {
        throw new UnsupportedOperationException("the DuckDB state schema is created by recon, not by Flyway");
    }

    /** The schema as version 4 of the other engines' migrations leaves it, created where missing. */
    @Override
    public boolean migrate(Session session, String schema) {
        String q = DuckDbCatalog.quote(schema) + ".";
        session.update("CREATE SCHEMA IF NOT EXISTS " + DuckDbCatalog.quote(schema));
        session.update("CREATE SEQUENCE IF NOT EXISTS " + q + "run_id");
        session.update("CREATE TABLE IF NOT EXISTS " + q + "run (id BIGINT PRIMARY KEY DEFAULT nextval("
                + DuckDbCatalog.literal(schema + ".run_id") + "), sync_name VARCHAR NOT NULL, started_at TIMESTAMPTZ"
                + " NOT NULL DEFAULT now(), finished_at TIMESTAMPTZ, status VARCHAR NOT NULL, strategy VARCHAR,"
                + " planned_insert BIGINT, planned_update BIGINT, planned_delete BIGINT, inserted BIGINT, updated"
                + " BIGINT, deleted BIGINT, failed BIGINT, error VARCHAR, changed_meanwhile BIGINT)");
        session.update("CREATE TABLE IF NOT EXISTS " + q + "failed_row (run_id BIGINT NOT NULL, sync_name VARCHAR"
                + " NOT NULL, row_key VARCHAR NOT NULL, operation VARCHAR NOT NULL, sqlstate VARCHAR, message VARCHAR"
                + " NOT NULL)");
        session.update("CREATE TABLE IF NOT EXISTS " + q + "key_range_cut (sync_name VARCHAR PRIMARY KEY, split"
                + " VARCHAR NOT NULL, bounds VARCHAR NOT NULL, cut_at TIMESTAMPTZ NOT NULL)");
        return true;
    }

    @Override
    public String now() {
        return "now()";
    }

    @Override
    public String microsAgo(long micros) {
        return "(now() - to_microseconds(" + micros + "))";
    }

    @Override
    public String column(String name) {
        return DuckDbCatalog.quote(name);
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public String textType() {
        return "VARCHAR";
    }

    @Override
    public String integerType() {
        return "BIGINT";
    }

    @Override
    public String jsonAsText(String column) {
        return column;
    }

    @Override
    public boolean runTableExists(Session session, String schema) {
        return session.test("SELECT count(*) = 1 FROM information_schema.tables WHERE table_catalog ="
                + " current_database() AND table_schema = ? AND table_name = 'run'", schema);
    }

    /** The two tables exist, the run table with the latest column ({@code changed_meanwhile}, version 3). */
    @Override
    public boolean current(Session session, String schema, int latest) {
        return latest <= 3 && session.test("SELECT count(*) = 2 FROM information_schema.columns WHERE table_catalog ="
                + " current_database() AND table_schema = ? AND ((table_name = 'run' AND column_name ="
                + " 'changed_meanwhile') OR (table_name = 'failed_row' AND column_name = 'row_key'))", schema);
    }

    @Override
    public long insertReturningId(Session session, String insert, Object... params) {
        return session.one(insert + " RETURNING id", rs -> rs.getLong(1), params);
    }

    @Override
    public OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class);
    }
}
