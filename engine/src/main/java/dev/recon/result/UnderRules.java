package dev.recon.result;

import java.util.List;

/**
 * The rows of one mapping that differ byte for byte but are equal under its comparison rules
 * ({@code rules:} in the mapping file): how many, and a few of them as found, each naming in
 * {@code changed} the columns its rules forgave. They are not differences: never written.
 */
public record UnderRules(long rows, List<RowChange> samples) {
    public static final UnderRules NONE = new UnderRules(0, List.of());

    public UnderRules {
        samples = List.copyOf(samples);
    }
}
