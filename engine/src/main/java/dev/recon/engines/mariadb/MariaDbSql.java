package dev.recon.engines.mariadb;

import dev.recon.plan.SoftDelete;

/** Quoting for MariaDB and MySQL SQL text, and a soft-delete marker's SQL there. */
public final class MariaDbSql {
    private MariaDbSql() {
    }

    /** An identifier in backquotes ({@code `a``b`} for {@code a`b}). */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** SQL true for a row marked deleted: a {@code tinyint(1)} or {@code bit(1)} marker is set when not 0. */
    public static String isMarked(SoftDelete soft) {
        String c = quote(soft.column());
        return "(" + c + (soft.isBoolean() ? " IS NOT NULL AND " + c + " <> 0)" : " IS NOT NULL)");
    }

    /** The value that marks a row deleted (the session's time zone is UTC). */
    public static String markValue(SoftDelete soft) {
        return soft.isBoolean() ? "1" : "CURRENT_TIMESTAMP(6)";
    }

    /** The value of a live (or revived) row. */
    public static String liveValue(SoftDelete soft) {
        return soft.isBoolean() ? "0" : "NULL";
    }
}
