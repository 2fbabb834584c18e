package dev.recon.config;

/** What sync does with a destination row whose key is gone from the source. */
public sealed interface DeletePolicy {
    /** Leave the row alone. */
    record Ignore() implements DeletePolicy {
        @Override
        public String toString() {
            return "ignore";
        }
    }

    /** Delete the row. */
    record Delete() implements DeletePolicy {
        @Override
        public String toString() {
            return "delete";
        }
    }

    /** Mark the row: a boolean column is set true, a timestamp column to now(). */
    record Soft(String column) implements DeletePolicy {
        @Override
        public String toString() {
            return "soft(" + column + ")";
        }
    }
}
