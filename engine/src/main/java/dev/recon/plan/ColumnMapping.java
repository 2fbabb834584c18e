package dev.recon.plan;

/**
 * One mapped column pair. {@code sourceSql} is ready for SQL text (a quoted column, or the
 * user's expression in parentheses); {@code targetType} is the target column's type with
 * modifiers, the type both sides are compared in.
 */
public record ColumnMapping(
        String sourceLabel,
        String sourceSql,
        boolean sourceIsExpression,
        String targetColumn,
        String targetType,
        boolean compared) {
}
