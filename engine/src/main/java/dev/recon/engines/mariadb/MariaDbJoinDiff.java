package dev.recon.engines.mariadb;

import dev.recon.base.Side;
import dev.recon.config.Operation;
import dev.recon.diff.DiffStats;
import dev.recon.diff.DiffStrategy;
import dev.recon.diff.DuplicateKeyException;
import dev.recon.diff.join.JoinDiff;
import dev.recon.connect.Databases;
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
 * The join for two MariaDB or MySQL tables on one server: MariaDB has no FULL OUTER JOIN, so
 * a {@code LEFT JOIN} from the source (rows to insert or update) and an anti-join from the
 * target ({@code NOT EXISTS}: rows to delete), read one after the other in one consistent
 * snapshot; only differing rows travel. Rows pair on the key columns as the
 * tables have them ({@code <=>}, which an index serves), and, for keys that are not numbers,
 * also on their texts' bytes (a {@code _ci} or {@code PAD SPACE} collation calls {@code 'A'}
 * and {@code 'a'}, {@code 'a'} and {@code 'a '} equal; recon does not). Values compare as the
 * merge compares them: by their texts' bytes, floats by value. The planner allows it only
 * where the key columns' equality implies their texts' (the same collation on both sides for
 * text, no float, no zero dates read as NULL), and refuses {@code strategy: join} otherwise.
 */
public final class MariaDbJoinDiff implements DiffStrategy {
    private final Databases databases;

    public MariaDbJoinDiff(Databases databases) {
        this.databases = databases;
    }

    @Override
    public boolean handsOverOnlyDifferences() {
        return true;
    }

    @Override
    public DiffStats diff(MappingPlan plan, Consumer<RowChange> sink) {
        return JoinDiff.run(databases, plan, queries(plan), c -> {
            if (!plan.sourceKeyUnique()) {
                checkUnique(plan, c, Side.SOURCE);
            }
            if (plan.nullableKeys()) {
                checkUnique(plan, c, Side.TARGET);
            }
        }, sink);
    }

    /** Fails on two rows of one side with one key (compared as recon compares keys: by their texts' bytes). */
    private static void checkUnique(MappingPlan plan, Connection c, Side side) throws SQLException {
        MariaDbSide m = (MariaDbSide) plan.side(side);
        int nKeys = plan.keys().size();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            keys.add("CAST(x.v" + i + " AS BINARY)");
        }
        String sql = "SELECT " + String.join(", ", keys) + ", COUNT(*) FROM " + m.joinRelation() + " AS x GROUP BY "
                + String.join(", ", keys) + " HAVING COUNT(*) > 1 LIMIT 1";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 0; i < nKeys; i++) {
                    byte[] b = rs.getBytes(i + 1);
                    key.add(b == null ? null : new String(b, java.nio.charset.StandardCharsets.UTF_8));
                }
                throw new DuplicateKeyException(plan, side, key, rs.getLong(nKeys + 1));
            }
        }
    }

    /**
     * Column {@code i} alike on both sides (or both NULL), as the merge compares it: the columns
     * as the tables hold them where their equality is the texts' (one type, or two integer
     * types; strings of one character set, byte for byte; no zero date read as NULL), which
     * spares formatting every row; else the texts, byte for byte (floats by value).
     */
    private static String same(MappingPlan plan, int i) {
        ColumnMapping m = plan.allColumns().get(i);
        MariaDbColumn s = ((MariaDbSide) plan.sourceSide()).mariaDbColumn(i);
        MariaDbColumn t = ((MariaDbSide) plan.targetSide()).mariaDbColumn(i);
        boolean zeroAsNull = plan.sourceConnection().zeroDatesAsNull() || plan.targetConnection().zeroDatesAsNull();
        boolean temporal = TEMPORAL.contains(s.dataType()) || TEMPORAL.contains(t.dataType());
        boolean sameType = s.dataType().equals(t.dataType()) || INTEGERS.contains(s.dataType())
                && INTEGERS.contains(t.dataType()) && !s.booleanLike() && !t.booleanLike();
        boolean text = s.charset() != null || t.charset() != null;
        if (sameType && !(temporal && zeroAsNull) && (!text || s.charset() != null && s.charset().equals(t.charset()))) {
            return text || s.dataType().endsWith("binary") || s.dataType().endsWith("blob")
                    ? "CAST(s.r" + i + " AS BINARY) <=> CAST(t.r" + i + " AS BINARY)" : "s.r" + i + " <=> t.r" + i;
        }
        return m.type().kind() == ValueType.Kind.FLOAT ? "CAST(s.v" + i + " AS DOUBLE) <=> CAST(t.v" + i + " AS DOUBLE)"
                : "CAST(s.v" + i + " AS BINARY) <=> CAST(t.v" + i + " AS BINARY)";
    }

    private static final java.util.Set<String> TEMPORAL = java.util.Set.of("date", "datetime", "timestamp");
    private static final java.util.Set<String> INTEGERS = java.util.Set.of("tinyint", "smallint", "mediumint", "int",
            "integer", "bigint");

    /**
     * The queries, run one after the other in one snapshot (not joined by {@code UNION ALL},
     * whose temporary table would cut texts to the length MariaDB reckons for the column:
     * {@code 1.2175416883683624E-262} to 22 characters), each with the result columns of
     * {@link JoinDiff}'s: in source, in target, gone, the source's texts, the target's, a flag
     * per compared column; none when the mapping's skip flags leave nothing to find.
     */
    static List<String> queries(MappingPlan plan) {
        MariaDbSide source = ((MariaDbSide) plan.sourceSide());
        MariaDbSide target = ((MariaDbSide) plan.targetSide());
        List<ColumnMapping> all = plan.allColumns();
        int nKeys = plan.keys().size();
        List<String> on = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            ColumnMapping k = all.get(i);
            on.add("s.r" + i + " <=> t.r" + i);
            if (k.type().kind() != ValueType.Kind.INTEGER && k.type().kind() != ValueType.Kind.NUMERIC) {
                on.add(same(plan, i));
            }
        }
        List<Integer> compared = new ArrayList<>();
        for (int i = nKeys; i < all.size(); i++) {
            if (all.get(i).compared()) {
                compared.add(i);
            }
        }
        List<String> differs = new ArrayList<>();
        for (int i : compared) {
            differs.add("NOT (" + same(plan, i) + ")");
        }
        List<String> when = new ArrayList<>();
        if (plan.applies(Operation.INSERT)) {
            when.add("t.__r IS NULL");
        }
        List<String> changed = new ArrayList<>();
        if (plan.applies(Operation.UPDATE)) {
            changed.addAll(differs);
            if (plan.softDelete().isPresent()) {
                changed.add("t.__gone = 1");
            }
            if (!changed.isEmpty()) {
                when.add("(t.__r IS NOT NULL AND (" + String.join(" OR ", changed) + "))");
            }
        }
        List<String> arms = new ArrayList<>();
        if (!when.isEmpty()) {
            List<String> select = new ArrayList<>(List.of("1", "t.__r IS NOT NULL", "COALESCE(t.__gone, 0) = 1"));
            for (int i = 0; i < all.size(); i++) {
                select.add("s.v" + i);
            }
            for (int i = 0; i < all.size(); i++) {
                select.add("t.v" + i);
            }
            for (String d : differs) {
                select.add("COALESCE(" + d + ", 0)");
            }
            arms.add("SELECT " + String.join(", ", select) + " FROM " + source.joinRelation() + " AS s LEFT JOIN "
                    + target.joinRelation() + " AS t ON " + String.join(" AND ", on) + " WHERE "
                    + String.join(" OR ", when));
        }
        if (plan.deletesApply()) {
            List<String> select = new ArrayList<>(List.of("0", "1", "t.__gone = 1"));
            for (int i = 0; i < all.size(); i++) {
                select.add("NULL");
            }
            for (int i = 0; i < all.size(); i++) {
                select.add("t.v" + i);
            }
            for (int i = 0; i < compared.size(); i++) {
                select.add("0");
            }
            arms.add("SELECT " + String.join(", ", select) + " FROM " + target.joinRelation() + " AS t WHERE NOT"
                    + " (t.__gone = 1) AND NOT EXISTS (SELECT 1 FROM " + source.joinRelation() + " AS s WHERE "
                    + String.join(" AND ", on) + ")");
        }
        return arms;
    }
}
