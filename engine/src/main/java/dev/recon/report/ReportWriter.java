package dev.recon.report;

import dev.recon.diff.RowChange;
import dev.recon.plan.SyncPlan;
import java.io.IOException;

/**
 * Renders a run. Formats that list every row (csv, sql) write as changes stream past;
 * the others render the finished {@link RunReport}.
 */
public interface ReportWriter {
    /** Called for every change as the diff finds it. */
    default void change(SyncPlan plan, RowChange change) throws IOException {
    }

    /** Called once when every mapping has run. */
    void finish(RunReport report) throws IOException;
}
