package dev.recon.diff.join;

import dev.recon.base.Side;
import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.DuplicateKeyException;
import dev.recon.db.DatabaseException;
import dev.recon.connect.Databases;
import dev.recon.connect.ReadSnapshot;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.RowChange;
import dev.recon.result.StrategyDetails;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Same-database diff: one {@code FULL OUTER JOIN} decides every row inside PostgreSQL and
 * only the differing rows travel, through a cursor, in a read-only REPEATABLE READ snapshot.
 */
public final class JoinDiff implements DiffStrategy {

    private final Databases databases;

    public JoinDiff(Databases databases) {
        this.databases = databases;
    }

    @Override
    public boolean handsOverOnlyDifferences() {
        return true;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        String sql = JoinDiffQuery.build(plan);
        return run(databases, plan, sql == null ? List.of() : List.of(sql), c -> {
            if (!plan.sourceKeyUnique()) {
                DuplicateKeyException.check(plan, c, Side.SOURCE);
            }
            if (plan.nullableKeys() && !plan.multiset()) {
                DuplicateKeyException.check(plan, c, Side.TARGET);
            }
        }, sink);
    }

    /** What a join looks at before its queries run (duplicate keys), on the snapshot's connection. */
    public interface Checks {
        void run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code checks}, then {@code queries} one after the other, in one read snapshot of the
     * target, each result read as {@link #read} reads it; nothing (no query) when the mapping's
     * skip flags leave nothing to find.
     */
    public static DiffStats run(Databases databases, MappingPlan plan, List<String> queries, Checks checks,
            Consumer<RowChange> sink) {
        if (queries.isEmpty()) {
            return new DiffStats("join", StrategyDetails.NONE);
        }
        String context = "mapping '" + plan.name() + "'";
        try (ReadSnapshot snapshot = ReadSnapshot.open(databases, plan.targetConnection(), context, Side.TARGET)) {
            Connection c = snapshot.connection();
            checks.run(c);
            for (String sql : queries) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setFetchSize(ReadSnapshot.FETCH_SIZE);
                    try (ResultSet rs = ps.executeQuery()) {
                        read(plan, rs, sink);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(context + ": the diff query failed", e);
        } catch (RuntimeException e) {
            throw DatabaseException.wrap(context + ": the diff query failed", e);
        }
        return new DiffStats("join", StrategyDetails.NONE);
    }

    /** The diff query recon runs for this plan (for benchmarks: the floor is this query alone). */
    public static String query(MappingPlan plan) {
        return JoinDiffQuery.build(plan);
    }

    static void read(MappingPlan plan, ResultSet rs, Consumer<RowChange> sink) throws SQLException {
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        int nAll = all.size();
        List<Integer> comparedIdx = new ArrayList<>();
        for (int i = 0; i < nAll; i++) {
            if (i >= nKeys && all.get(i).compared()) {
                comparedIdx.add(i);
            }
        }
        while (rs.next()) {
            boolean inSource = rs.getBoolean(1);
            boolean inTarget = rs.getBoolean(2);
            boolean gone = rs.getBoolean(3);
            int col = 4;
            String[] source = new String[nAll];
            String[] target = new String[nAll];
            for (int i = 0; i < nAll; i++) {
                source[i] = rs.getString(col++);
            }
            for (int i = 0; i < nAll; i++) {
                target[i] = rs.getString(col++);
            }
            List<String> changed = new ArrayList<>();
            for (int idx : comparedIdx) {
                if (rs.getBoolean(col++)) {
                    changed.add(all.get(idx).targetColumn());
                }
            }
            Operation kind = !inTarget ? Operation.INSERT : !inSource ? Operation.DELETE : Operation.UPDATE;
            String[] key = Arrays.copyOf(inSource ? source : target, nKeys);
            sink.accept(new RowChange(kind, Arrays.asList(key),
                    inSource ? Arrays.asList(source) : List.of(),
                    inTarget ? Arrays.asList(target) : List.of(),
                    kind == Operation.UPDATE ? changed : List.of(),
                    kind == Operation.UPDATE && gone));
        }
    }

}
