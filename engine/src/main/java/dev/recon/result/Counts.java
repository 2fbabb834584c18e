package dev.recon.result;

import dev.recon.config.Operation;

/** Rows per operation: inserts, updates and deletes (soft deletes count as deletes). */
public record Counts(long inserts, long updates, long deletes) {
    public static final Counts ZERO = new Counts(0, 0, 0);

    public static Counts of(Operation op, long rows) {
        return switch (op) {
            case INSERT -> new Counts(rows, 0, 0);
            case UPDATE -> new Counts(0, rows, 0);
            case DELETE -> new Counts(0, 0, rows);
        };
    }

    public long get(Operation op) {
        return switch (op) {
            case INSERT -> inserts;
            case UPDATE -> updates;
            case DELETE -> deletes;
        };
    }

    public Counts plus(Counts other) {
        return new Counts(inserts + other.inserts, updates + other.updates, deletes + other.deletes);
    }

    public long total() {
        return inserts + updates + deletes;
    }
}
