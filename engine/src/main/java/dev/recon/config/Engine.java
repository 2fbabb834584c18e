package dev.recon.config;

import java.util.Locale;

/** The database engine a connection's URL names. */
public enum Engine {
    POSTGRESQL("PostgreSQL"),
    /** MariaDB, and MySQL through MariaDB's driver ({@code jdbc:mariadb:} or {@code jdbc:mysql:}). */
    MARIADB("MariaDB/MySQL");

    private final String label;

    Engine(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The engine of a JDBC URL, or null when recon knows none for it. */
    public static Engine of(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        return null;
    }
}
