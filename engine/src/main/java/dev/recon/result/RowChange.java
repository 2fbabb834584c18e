package dev.recon.result;

import dev.recon.config.Operation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One row that differs. Values are PostgreSQL text representations in the target column's
 * type ({@code null} is SQL NULL), in the order of {@code MappingPlan.allColumns()}: keys first.
 * {@code source} is empty for a delete, {@code target} empty for an insert. {@code changed}
 * names the compared target columns whose values differ (updates only); {@code revive} marks
 * an update that brings back a soft-deleted row.
 */
public record RowChange(
        Operation operation,
        List<String> key,
        List<String> source,
        List<String> target,
        List<String> changed,
        boolean revive) {

    public RowChange {
        Objects.requireNonNull(operation, "operation");
        key = nullableCopy(key);
        source = nullableCopy(source);
        target = nullableCopy(target);
        changed = List.copyOf(changed);
    }

    private static List<String> nullableCopy(List<String> values) {
        return Collections.unmodifiableList(Arrays.asList(values.toArray(new String[0])));
    }
}
