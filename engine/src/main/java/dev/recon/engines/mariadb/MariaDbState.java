package dev.recon.engines.mariadb;

import dev.recon.db.Session;
import dev.recon.spi.StateDialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The state schema on MariaDB or MySQL: a database of its own, times as UTC {@code datetime(6)}. */
final class MariaDbState implements StateDialect {
    static final MariaDbState INSTANCE = new MariaDbState();

    @Override
    public String migrations() {
        return "classpath:dev/recon/sql-mariadb";
    }

    @Override
    public String now() {
        return "UTC_TIMESTAMP(6)";
    }

    @Override
    public String microsAgo(long micros) {
        return "UTC_TIMESTAMP(6) - INTERVAL " + micros + " MICROSECOND";
    }

    @Override
    public String column(String name) {
        return MariaDbSql.quote(name);
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public String textType() {
        return "CHAR";
    }

    @Override
    public String integerType() {
        return "SIGNED";
    }

    @Override
    public String jsonAsText(String column) {
        return column;
    }

    @Override
    public boolean runTableExists(Session session, String schema) {
        return session.test("SELECT COUNT(*) = 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND"
                + " TABLE_NAME = 'run'", schema);
    }

    @Override
    public boolean current(Session session, String schema, int latest) {
        if (!session.test("SELECT COUNT(*) = 2 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?"
                + " AND TABLE_NAME IN ('schema_history', 'run')", schema)) {
            return false;
        }
        return session.test("SELECT COALESCE(MIN(success), 0) AND COALESCE(MAX(CASE WHEN version REGEXP"
                + " '^[0-9]+$' THEN CAST(version AS UNSIGNED) END), 0) >= ? FROM "
                + MariaDbSql.quote(schema) + ".schema_history", latest);
    }

    @Override
    public long insertReturningId(Session session, String insert, Object... params) {
        session.update(insert, params);
        return session.one("SELECT LAST_INSERT_ID()", rs -> rs.getLong(1));
    }

    @Override
    public OffsetDateTime time(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }
}
