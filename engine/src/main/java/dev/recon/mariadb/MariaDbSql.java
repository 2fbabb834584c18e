package dev.recon.mariadb;

/** Quoting for MariaDB and MySQL SQL text. */
public final class MariaDbSql {
    private MariaDbSql() {
    }

    /** An identifier in backquotes ({@code `a``b`} for {@code a`b}). */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
