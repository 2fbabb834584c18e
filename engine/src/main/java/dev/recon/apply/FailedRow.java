package dev.recon.apply;

import dev.recon.config.Operation;
import java.util.Collections;
import java.util.List;

/** A row the target refused: its key (target key column text values), the operation and why. */
public record FailedRow(List<String> key, Operation operation, String sqlState, String message) {
    public FailedRow {
        key = Collections.unmodifiableList(new java.util.ArrayList<>(key));
    }
}
