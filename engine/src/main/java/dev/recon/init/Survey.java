package dev.recon.init;

import java.util.List;

/**
 * What {@code recon init} found: the connections as the file will name them, the two schemas,
 * and the pairing of their tables and columns ({@link Pairing.Result}).
 */
public record Survey(Connection source, Connection target, String sourceSchema, String targetSchema,
        Pairing.Result pairing, java.util.Map<String, String> sourceRefs, java.util.Map<String, String> targetRefs,
        java.util.Map<String, String> sourceColumnNames, java.util.Map<String, List<String>> notWritten,
        java.util.Map<String, List<String>> syncProblems) {
    /**
     * The same survey with the problems {@code recon validate} has with its mappings, by source
     * table: {@code notWritten}, a diff's (the mapping is written commented out, with them);
     * {@code syncProblems}, what only a sync refuses (the mapping is written, with them).
     */
    public Survey withProblems(java.util.Map<String, List<String>> notWritten,
            java.util.Map<String, List<String>> syncProblems) {
        return new Survey(source, target, sourceSchema, targetSchema, pairing, sourceRefs, targetRefs,
                sourceColumnNames, notWritten, syncProblems);
    }

    /** The same survey with connections that name no password variable (a file init checks, not writes). */
    Survey withoutPasswords() {
        return new Survey(new Connection(source.name(), source.url(), null), new Connection(target.name(),
                target.url(), null), sourceSchema, targetSchema, pairing, sourceRefs, targetRefs, sourceColumnNames,
                notWritten, syncProblems);
    }

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
