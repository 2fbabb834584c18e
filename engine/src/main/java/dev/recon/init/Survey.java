package dev.recon.init;

import java.util.List;

/**
 * What {@code recon init} found: the connections as the file will name them, the two schemas,
 * and the pairing of their tables and columns ({@link Pairing.Result}).
 */
public record Survey(Connection source, Connection target, String sourceSchema, String targetSchema,
        Pairing.Result pairing, java.util.Map<String, String> sourceRefs, java.util.Map<String, String> targetRefs,
        java.util.Map<String, String> sourceColumnNames) {
    /**
     * A connection as the file writes it: its name, its URL without a password, and the
     * environment variable of its password (null when it needs none).
     */
    public record Connection(String name, String url, String passwordVariable) {
    }

    /** True when both sides are one connection (one database: the join compares them). */
    public boolean oneConnection() {
        return source.name().equals(target.name());
    }

    /** The tables paired, in the source's order. */
    public List<Pairing.TablePair> pairs() {
        return pairing.tables();
    }
}
