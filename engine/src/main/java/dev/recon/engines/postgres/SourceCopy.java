package dev.recon.engines.postgres;

import dev.recon.diff.load.CopyTextReads;
import dev.recon.base.Side;
import dev.recon.diff.DuplicateKeyException;
import dev.recon.diff.SideQuery;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.MappingPlan;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Every source row of a mapping as a line of COPY's text format, read inside the same kind
 * of REPEATABLE READ, READ ONLY snapshot as a diff, every column already cast to its target
 * type, in {@code MappingPlan.allColumns()} order. For an initial load, which needs no comparison.
 */
final class SourceCopy implements CopyTextReads.Lines {
    private final ReadSnapshot snapshot;
    private final CopyOut copy;
    private final String context;

    private SourceCopy(ReadSnapshot snapshot, CopyOut copy, String context) {
        this.snapshot = snapshot;
        this.copy = copy;
        this.context = context;
    }

    static SourceCopy open(Databases databases, MappingPlan plan) {
        String context = "mapping '" + plan.name() + "'";
        ReadSnapshot snapshot = ReadSnapshot.open(databases, plan.sourceConnection(), context, Side.SOURCE);
        try {
            if (!plan.sourceKeyUnique()) {
                DuplicateKeyException.check(plan, snapshot.connection(), Side.SOURCE);
            }
            SideQuery query = new SideQuery(plan, Side.SOURCE);
            List<String> cols = new ArrayList<>();
            for (int i = 0; i < plan.allColumns().size(); i++) {
                cols.add(query.text(i));
            }
            String sql = "COPY (SELECT " + String.join(", ", cols) + " FROM " + query.projection() + ") TO STDOUT"
                    + " (FORMAT text)";
            CopyOut copy = snapshot.connection().unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            return new SourceCopy(snapshot, copy, context);
        } catch (RuntimeException e) {
            snapshot.close();
            throw e;
        } catch (SQLException e) {
            snapshot.close();
            throw new DatabaseException(context + ": cannot read " + plan.sourceTable().displayName()
                    + " on the source", e);
        }
    }

    /** The next row, newline included, or null after the last. */
    @Override
    public byte[] next() {
        try {
            return copy.readFromCopy();
        } catch (SQLException e) {
            throw new DatabaseException(context + ": reading the source failed", e);
        }
    }

    @Override
    public void close() {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException ignored) {
            // the snapshot's connection closes below anyway
        }
        snapshot.close();
    }
}
