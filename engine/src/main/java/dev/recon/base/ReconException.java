package dev.recon.base;

import java.util.List;

/**
 * Base of every error recon reports to its user. The message is written for a person: it
 * names the mapping, the side and the offending name, and says what to do. Every
 * {@code ReconException} ends a command with exit code 2.
 */
public class ReconException extends RuntimeException {
    private final List<String> problems;

    public ReconException(String message) {
        this(message, List.of(), null);
    }

    public ReconException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public ReconException(String message, List<String> problems, Throwable cause) {
        super(message, cause);
        this.problems = List.copyOf(problems);
    }

    /** Individual problems, when the error gathers several (configuration, plan). */
    public List<String> problems() {
        return problems;
    }

    /** The message followed by one line per problem. */
    public String describe() {
        if (problems.isEmpty()) {
            return getMessage();
        }
        StringBuilder sb = new StringBuilder(getMessage());
        for (String p : problems) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
