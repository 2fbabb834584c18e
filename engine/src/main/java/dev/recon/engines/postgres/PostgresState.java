package dev.recon.engines.postgres;

import dev.recon.db.Session;
import dev.recon.spi.StateDialect;
import dev.recon.sql.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** The state schema on PostgreSQL: a schema of its own, times as {@code timestamptz}, keys as {@code jsonb}. */
final class PostgresState implements StateDialect {
    static final PostgresState INSTANCE = new PostgresState();

    @Override
    public String migrations() {
        return "classpath:dev/recon/sql";
    }

    @Override
    public String now() {
        return "now()";
    }

    @Override
    public String microsAgo(long micros) {
        return "now() - " + micros + " * interval '1 microsecond'";
    }

    @Override
    public String column(String name) {
        return name;
    }

    @Override
    public String jsonParameter() {
        return "CAST(? AS jsonb)";
    }

    @Override
    public String textType() {
        return "text";
    }

    @Override
    public String integerType() {
        return "bigint";
    }

    @Override
    public String jsonAsText(String column) {
        return column + "::text";
    }

    @Override
    public boolean runTableExists(Session session, String schema) {
        return session.test("SELECT to_regclass(?) IS NOT NULL", Sql.quote(schema) + ".run");
    }

    @Override
    public boolean current(Session session, String schema, int latest) {
        String history = Sql.quote(schema, "schema_history");
        if (!session.test("SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL", history,
                Sql.quote(schema, "run"))) {
            return false;
        }
        return session.test("SELECT coalesce(bool_and(success), false) AND coalesce(max(CASE WHEN version ~ '^[0-9]+$'"
                + " THEN version::int END), 0) >= ? FROM " + history, latest);
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
