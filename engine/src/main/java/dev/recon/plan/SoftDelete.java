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
}
