package dev.recon.report;

import dev.recon.base.ReconException;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ChangeListener;
import dev.recon.result.RowChange;
import dev.recon.result.RunResult;
import java.io.IOException;

/**
 * Renders a run's result. Formats that list every row (csv, sql) write as changes stream
 * past ({@link #listener()}, given to the run); the others render the finished
 * {@link RunResult} ({@link #render}).
 */
public interface ReportWriter {
    /** Called for every change as the run finds it. */
    default void change(MappingPlan plan, RowChange change) throws IOException {
    }

    /** Called once when every mapping has run. */
    void finish(RunResult result) throws IOException;

    /** This writer as a run's listener: a change it cannot write fails the run. */
    default ChangeListener listener() {
        return (plan, change) -> {
            try {
                change(plan, change);
            } catch (IOException e) {
                throw new ChangeListener.Failure("cannot write the report: " + e.getMessage(), e);
            }
        };
    }

    /**
     * Writes the document of a run that failed before comparing anything (a configuration
     * error, a server that cannot be reached): {@code message} says what, {@code errors} are
     * its problems, each naming its mapping and side where known. False when the format has no
     * place for it (csv, text, markdown, html: the error goes to stderr only) and nothing was
     * written.
     */
    default boolean failed(String message, java.util.List<String> errors) throws IOException {
        return false;
    }

    /** Renders the finished result. */
    default void render(RunResult result) {
        try {
            finish(result);
        } catch (IOException e) {
            throw new ReconException("cannot write the report: " + e.getMessage(), e);
        }
    }
}
