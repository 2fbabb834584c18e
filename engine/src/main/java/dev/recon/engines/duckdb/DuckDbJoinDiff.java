package dev.recon.engines.duckdb;

import dev.recon.base.Side;
import dev.recon.config.Operation;
import dev.recon.connect.Databases;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.DuplicateKeyException;
import dev.recon.diff.join.JoinDiff;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.ValueType;
import dev.recon.result.RowChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The join of two DuckDB sides inside DuckDB, on the target's connection: two tables of one
 * database file, or a file (or two file sets, yesterday's export against today's) read by path
 * beside a table. One {@code FULL OUTER JOIN} of the two sides' canonical texts, so rows pair
 * exactly as the merge pairs them (keys by their texts, NULL parts of a nullable key with NULL,
 * a multiset's rows by their copy numbers) and values compare as the merge compares them (by
 * their texts, floats by value); only the differing rows leave DuckDB. A side whose key no
 * constraint proves unique (a file) is checked first: two rows of one key end the comparison.
 */
final class DuckDbJoinDiff implements DiffStrategy {
    private final Databases databases;

    DuckDbJoinDiff(Databases databases) {
        this.databases = databases;
    }

    @Override
    public boolean handsOverOnlyDifferences() {
        return true;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        return JoinDiff.run(databases, plan, queries(plan), c -> {
            if (plan.multiset()) {
                return; // rows are numbered: no two have one key
            }
            if (!plan.sourceKeyUnique()) {
                checkUnique(plan, c, Side.SOURCE);
            }
            if (((DuckDbSide) plan.targetSide()).file() || plan.nullableKeys()) {
                checkUnique(plan, c, Side.TARGET);
            }
        }, sink);
    }

    /** Fails on two rows of one side with one key (as recon compares keys: by their texts). */
    private static void checkUnique(MappingPlan plan, Connection c, Side side) throws SQLException {
        int nKeys = plan.keys().size();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            keys.add("x.v" + i);
        }
        String sql = "SELECT " + String.join(", ", keys) + ", count(*) FROM " + ((DuckDbSide) plan.side(side))
                .joinRelation() + " AS x GROUP BY ALL HAVING count(*) > 1 LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 0; i < nKeys; i++) {
                    key.add(rs.getString(i + 1));
                }
                throw new DuplicateKeyException(plan, side, key, rs.getLong(nKeys + 1));
            }
        }
    }

    /** Column {@code i} alike on both sides (or both NULL): by its text, a float by value. */
    private static String same(ColumnMapping m, int i) {
        return m.type().kind() == ValueType.Kind.FLOAT
                ? "TRY_CAST(s.v" + i + " AS DOUBLE) IS NOT DISTINCT FROM TRY_CAST(t.v" + i + " AS DOUBLE)"
                : "s.v" + i + " IS NOT DISTINCT FROM t.v" + i;
    }

    /**
     * The one query, with the result columns of {@link JoinDiff}'s: in source, in target, gone
     * (never: no soft deletes), the source's texts, the target's, a flag per compared column;
     * none when the mapping's skip flags leave nothing to find.
     */
    static List<String> queries(MappingPlan plan) {
        DuckDbSide source = (DuckDbSide) plan.sourceSide();
        DuckDbSide target = (DuckDbSide) plan.targetSide();
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            on.add("s.v" + i + " IS NOT DISTINCT FROM t.v" + i);
        }
        List<String> differs = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (all.get(i).compared()) {
                differs.add("NOT (" + same(all.get(i), i) + ")");
            }
        }
        List<String> when = new ArrayList<>();
        if (plan.applies(Operation.INSERT)) {
            when.add("t.__in IS NULL");
        }
        if (plan.deletesApply()) {
            when.add("s.__in IS NULL");
        }
        if (plan.applies(Operation.UPDATE) && !differs.isEmpty()) {
            when.add("(s.__in AND t.__in AND (" + String.join(" OR ", differs) + "))");
        }
        if (when.isEmpty()) {
            return List.of();
        }
        List<String> select = new ArrayList<>(List.of("s.__in IS NOT NULL", "t.__in IS NOT NULL", "false"));
        for (int i = 0; i < all.size(); i++) {
            select.add("s.v" + i);
        }
        for (int i = 0; i < all.size(); i++) {
            select.add("t.v" + i);
        }
        for (String d : differs) {
            select.add("COALESCE(" + d + ", false)");
        }
        return List.of("SELECT " + String.join(", ", select) + " FROM " + source.joinRelation() + " AS s FULL OUTER JOIN "
                + target.joinRelation() + " AS t ON " + String.join(" AND ", on) + " WHERE " + String.join(" OR ", when));
    }
}
