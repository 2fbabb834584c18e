package dev.recon.plan;

import dev.recon.sql.Sql;

/** The target column that marks a soft-deleted row: boolean (set true) or a timestamp (set now()). */
public record SoftDelete(String column, boolean isBoolean) {
    /** SQL that is true for a row marked deleted (NULL counts as not deleted). */
    public String isMarked() {
        return "(" + Sql.quote(column) + (isBoolean ? " IS TRUE)" : " IS NOT NULL)");
    }

    /** The value that marks a row deleted. */
    public String markValue() {
        return isBoolean ? "true" : "now()";
    }

    /** The value of a live (or revived) row. */
    public String liveValue() {
        return isBoolean ? "false" : "NULL";
    }

    /** {@link #isMarked} on MariaDB or MySQL: a {@code tinyint(1)} or {@code bit(1)} marker is set when not 0. */
    public String isMarkedOnMariaDb() {
        String c = dev.recon.mariadb.MariaDbSql.quote(column);
        return "(" + c + (isBoolean ? " IS NOT NULL AND " + c + " <> 0)" : " IS NOT NULL)");
    }

    /** {@link #markValue} on MariaDB or MySQL (the session's time zone is UTC). */
    public String markValueOnMariaDb() {
        return isBoolean ? "1" : "CURRENT_TIMESTAMP(6)";
    }

    /** {@link #liveValue} on MariaDB or MySQL. */
    public String liveValueOnMariaDb() {
        return isBoolean ? "0" : "NULL";
    }
}
