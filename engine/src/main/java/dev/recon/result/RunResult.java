package dev.recon.result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every mapping of one run, in the order they ran. {@code errors} are the messages of the
 * mappings that ended in an error, {@code erroredMappings} their names (a dry run's refused
 * mapping has its differences in {@code mappings} and its error here too).
 */
public record RunResult(Kind kind, List<MappingResult> mappings, Duration planTime, List<String> errors,
        List<String> erroredMappings, List<String> order) {
    /** What the run did: compared, compared and held to a sync's checks, or synced. */
    public enum Kind { DIFF, DRY_RUN, SYNC }

    public RunResult {
        mappings = List.copyOf(mappings);
        errors = List.copyOf(errors);
        erroredMappings = List.copyOf(erroredMappings);
        order = List.copyOf(order);
    }

    /** A run whose mappings are reported in the order they ran (errored ones last). */
    public RunResult(Kind kind, List<MappingResult> mappings, Duration planTime, List<String> errors,
            List<String> erroredMappings) {
        this(kind, mappings, planTime, errors, erroredMappings, List.of());
    }

    /**
     * The same run, its mappings reported in {@code order} (the mapping file's, by name),
     * errored ones in their place; names it lacks come after, as they ran.
     */
    public RunResult inOrder(List<String> order) {
        return new RunResult(kind, mappings, planTime, errors, erroredMappings, order);
    }

    /**
     * Where mapping {@code name} goes in a report: its place in {@link #order}; a name not
     * there after all that are (a report sorts stably by it).
     */
    public java.util.function.ToIntFunction<String> rank() {
        Map<String, Integer> at = new java.util.HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            at.putIfAbsent(order.get(i), i);
        }
        return name -> at.getOrDefault(name, Integer.MAX_VALUE);
    }

    /** A run of one mapping that ended before it compared anything (it could not be planned). */
    public static RunResult failed(Kind kind, String mapping, String error) {
        return new RunResult(kind, List.of(), Duration.ZERO, List.of(error), List.of(mapping));
    }

    /** The same run with more mappings that ended in an error (by name, with their messages). */
    public RunResult withErrors(Map<String, String> more) {
        List<String> allErrors = new ArrayList<>(errors);
        List<String> allNames = new ArrayList<>(erroredMappings);
        more.forEach((name, message) -> {
            allNames.add(name);
            allErrors.add(message);
        });
        return new RunResult(kind, mappings, planTime, allErrors, allNames, order);
    }

    /** Every mapping ran, and none found a difference. */
    public boolean inSync() {
        return errors.isEmpty() && mappings.stream().allMatch(MappingResult::inSync);
    }

    /** True for a sync, which applies what it finds. */
    public boolean applied() {
        return kind == Kind.SYNC;
    }

    /** For a sync: every mapping ran and applied every difference. */
    public boolean converged() {
        return errors.isEmpty() && mappings.stream().allMatch(MappingResult::converged);
    }

    /** How the run as a whole ended. */
    public Outcome outcome() {
        if (!errors.isEmpty()) {
            return Outcome.ERROR;
        }
        if (applied()) {
            return converged() ? Outcome.CONVERGED : Outcome.FAILED_ROWS;
        }
        return inSync() ? Outcome.IN_SYNC : Outcome.DIFFERENCES;
    }

    /** How one of its mappings ended. */
    public Outcome outcome(MappingResult m) {
        if (erroredMappings.contains(m.name())) {
            return Outcome.ERROR;
        }
        if (m.applied().isPresent()) {
            return m.converged() ? Outcome.CONVERGED : Outcome.FAILED_ROWS;
        }
        return m.inSync() ? Outcome.IN_SYNC : Outcome.DIFFERENCES;
    }
}
