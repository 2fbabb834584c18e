package dev.recon.config;

import java.util.Objects;
import java.util.Optional;

/** One side of a mapping: a connection, a table and, on the source, an optional SQL filter. */
public record TableRef(String connection, String table, Optional<String> where) {
    public TableRef {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(where, "where");
    }
}
