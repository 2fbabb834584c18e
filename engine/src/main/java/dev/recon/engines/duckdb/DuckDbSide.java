package dev.recon.engines.duckdb;

import dev.recon.base.ReconException;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.spi.Engine;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mapping's DuckDB source: its table or file and, for every mapped column in the plan's
 * order (keys first), how it is read ({@link DuckDbValues}). Compared by merge: the hash's
 * summaries are not computed in DuckDB yet ({@link #notHashable}).
 */
record DuckDbSide(Engine engine, DuckDbCatalog.Table table, List<DuckDbValues.Read> reads, List<String> names,
        int nKeys, String where) implements SidePlan {
    DuckDbSide {
        reads = List.copyOf(reads);
        names = List.copyOf(names);
    }

    @Override
    public String sqlName() {
        return table.relation();
    }

    /**
     * Keys, the other columns and a gone flag (a source has none), in key order; only the rows of
     * {@code plan.onlyKeys()} when some are given, each key compared by the text its rule prints.
     */
    @Override
    public String ordered(MappingPlan plan) {
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            select.add(reads.get(i).select() + " AS v" + i);
            if (i < nKeys) {
                order.add(reads.get(i).order());
            }
        }
        select.add("false AS __gone");
        String filter = where == null ? null : "(" + where + ")";
        if (!plan.onlyKeys().isEmpty()) {
            List<String> any = new ArrayList<>();
            for (Map<String, String> key : plan.onlyKeys()) {
                List<String> all = new ArrayList<>();
                for (int i = 0; i < nKeys; i++) {
                    String v = key.get(plan.keys().get(i).targetColumn());
                    String sel = "(" + reads.get(i).select() + ")";
                    all.add(v == null ? sel + " IS NULL" : sel + " = '" + v.replace("'", "''") + "'");
                }
                any.add("(" + String.join(" AND ", all) + ")");
            }
            String keys = String.join(" OR ", any);
            filter = filter == null ? keys : filter + " AND (" + keys + ")";
        }
        return "SELECT " + String.join(", ", select) + " FROM " + table.relation()
                + (filter == null ? "" : " WHERE " + filter) + " ORDER BY " + String.join(", ", order);
    }

    @Override
    public String canonicalSummary(MappingPlan plan, long mask, boolean integerKey, List<Integer> hashed) {
        throw new ReconException("a DuckDB side is compared by merge (notHashable)");
    }

    @Override
    public String orderedInBuckets(MappingPlan plan, long mask, boolean integerKey, List<Long> buckets) {
        throw new ReconException("a DuckDB side is compared by merge (notHashable)");
    }

    /** Unknown: DuckDB keeps no row estimate the merge's progress could use. */
    @Override
    public long estimatedRows(Connection connection) {
        return -1;
    }

    /** The hash's summaries are not computed in DuckDB yet: every column, so the hash compares by merge. */
    @Override
    public List<String> notHashable() {
        return names.stream().map(n -> n + " (DuckDB)").toList();
    }

    @Override
    public String isMarked(SoftDelete soft) {
        return "false";
    }
}
