package dev.recon.diff.load;

import dev.recon.connect.Databases;
import dev.recon.plan.MappingPlan;

/**
 * An engine whose tables stream their rows out in PostgreSQL's COPY text format, offered
 * through {@code Engine.feature(CopyTextReads.class)}: an initial load from it reads the source
 * that way; from any other engine it reads the source's ordered rows.
 */
public interface CopyTextReads {
    /** Every source row of {@code plan}, each column cast to its target type, in one read snapshot. */
    Lines open(Databases databases, MappingPlan plan);

    /** The source's rows as COPY text lines. */
    interface Lines extends AutoCloseable {
        /** The next line, newline included; null after the last. */
        byte[] next();

        @Override
        void close();
    }
}
