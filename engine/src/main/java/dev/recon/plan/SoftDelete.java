package dev.recon.plan;

/** The target column that marks a soft-deleted row: boolean (set true) or a timestamp (set now()). */
public record SoftDelete(String column, boolean isBoolean) {
}
