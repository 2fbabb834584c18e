package dev.recon.testing;

import dev.recon.result.RowChange;
import dev.recon.sql.Sql;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A random pair of differently named tables with a known set of differences: rows only in
 * the source (inserts), only in the target (deletes) and rows whose chosen columns differ
 * (updates). Everything is derived from the constructor's arguments, so a failing seed
 * reproduces.
 */
public final class Scenario {
    public final KeyKind keyKind;
    public final List<ColumnKind> columns;
    /** Which value columns decide "changed"; all when empty. */
    public final Set<Integer> compared;
    final List<Row> rows = new ArrayList<>();

    /** Fate of a generated row. */
    enum Fate { SAME, ONLY_SOURCE, ONLY_TARGET, CHANGED }

    record Row(List<String> key, List<String> target, List<String> source, Fate fate, Set<Integer> changed) {
    }

    public Scenario(KeyKind keyKind, int columnCount, int rowCount, int changePercent, boolean subsetCompared,
            long seed) {
        this(keyKind, columnCount, rowCount, changePercent, subsetCompared, false, seed);
    }

    /**
     * With {@code clustered}, only the rows in one window of consecutive keys (a tenth of the
     * rows, in the byte-wise key order) differ, so the differences fall into one segment.
     */
    public Scenario(KeyKind keyKind, int columnCount, int rowCount, int changePercent, boolean subsetCompared,
            boolean clustered, long seed) {
        this(keyKind, ColumnKind.BASIC, columnCount, rowCount, changePercent, subsetCompared, clustered, seed);
    }

    /** The same, drawing column types from {@code pool}. */
    public Scenario(KeyKind keyKind, List<ColumnKind> pool, int columnCount, int rowCount, int changePercent,
            boolean subsetCompared, boolean clustered, long seed) {
        Random r = new Random(seed);
        this.keyKind = keyKind;
        List<ColumnKind> cols = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            cols.add(pool.get(r.nextInt(pool.size())));
        }
        this.columns = List.copyOf(cols);
        Set<Integer> cmp = new TreeSet<>();
        if (subsetCompared) {
            for (int i = 0; i < columnCount; i++) {
                if (r.nextBoolean()) {
                    cmp.add(i);
                }
            }
            if (cmp.isEmpty()) {
                cmp.add(r.nextInt(columnCount));
            }
        }
        this.compared = Set.copyOf(cmp);
        Set<List<String>> keys = new HashSet<>();
        List<List<String>> drawn = new ArrayList<>();
        // a small key space (a composite of few words) holds fewer rows than asked for
        for (int attempts = 0; keys.size() < rowCount && attempts < 50 * rowCount; attempts++) {
            List<String> k = keyKind.draw(r);
            if (keys.add(k)) {
                drawn.add(k);
            }
        }
        Set<List<String>> window = new HashSet<>(drawn);
        if (clustered && !drawn.isEmpty()) {
            List<List<String>> sorted = new ArrayList<>(drawn);
            sorted.sort(this::compareKeys);
            int size = Math.max(1, sorted.size() / 10);
            int start = r.nextInt(sorted.size() - size + 1);
            window = new HashSet<>(sorted.subList(start, start + size));
        }
        for (List<String> k : drawn) {
            rows.add(row(k, r, window.contains(k) ? changePercent : 0));
        }
    }

    /**
     * Key order as the servers sort for the cross-server strategies: numbers by value (NaN
     * above Infinity), else UTF-8 bytes; NULL last.
     */
    private int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            String x = a.get(i);
            String y = b.get(i);
            int c;
            if (x == null || y == null) {
                c = x == null ? (y == null ? 0 : 1) : -1;
            } else if (keyKind.numeric(i)) {
                c = Double.compare(number(x), number(y));
            } else {
                c = Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                        y.getBytes(StandardCharsets.UTF_8));
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static double number(String v) {
        return v.equals("NaN") ? Double.NaN : Double.parseDouble(v);
    }

    private Row row(List<String> key, Random r, int changePercent) {
        List<String> target = new ArrayList<>();
        for (ColumnKind c : columns) {
            target.add(c.drawNullable(r));
        }
        Fate fate = Fate.SAME;
        if (r.nextInt(100) < changePercent) {
            fate = Fate.values()[1 + r.nextInt(3)];
        }
        List<String> source = new ArrayList<>();
        Set<Integer> changed = new TreeSet<>();
        for (int i = 0; i < columns.size(); i++) {
            String v = target.get(i);
            if (fate == Fate.CHANGED && (r.nextBoolean() || (i == columns.size() - 1 && changed.isEmpty()))) {
                v = columns.get(i).changeNullable(v, r);
                changed.add(i);
            }
            source.add(v == null ? null : columns.get(i).sourceSpelling(v, r));
        }
        return new Row(key, target, source, fate, changed);
    }

    /** Creates and fills {@code source} and {@code target}; target columns are named differently. */
    public void create(Handle handle, String source, String target) {
        create(handle, handle, source, target);
    }

    /** The same, with the two tables on two connections. */
    public void create(Handle sourceHandle, Handle targetHandle, String source, String target) {
        List<String> sk = new ArrayList<>();
        List<String> tk = new ArrayList<>();
        List<String> sc = new ArrayList<>();
        List<String> tc = new ArrayList<>();
        for (int i = 0; i < keyKind.sourceTypes.size(); i++) {
            sk.add("k" + i);
            tk.add("key_" + i);
        }
        for (int i = 0; i < columns.size(); i++) {
            sc.add("c" + i);
            tc.add("col_" + i);
        }
        List<String> sourceDefs = new ArrayList<>();
        List<String> targetDefs = new ArrayList<>();
        for (int i = 0; i < sk.size(); i++) {
            String notNull = keyKind.nullableLast() && i == sk.size() - 1 ? "" : " NOT NULL";
            sourceDefs.add(sk.get(i) + " " + keyKind.sourceTypes.get(i) + notNull);
            targetDefs.add(tk.get(i) + " " + keyKind.targetTypes.get(i) + notNull);
        }
        for (int i = 0; i < columns.size(); i++) {
            sourceDefs.add(sc.get(i) + " " + columns.get(i).sourceType);
            targetDefs.add(tc.get(i) + " " + columns.get(i).targetType);
        }
        sourceHandle.execute("DROP TABLE IF EXISTS " + source);
        targetHandle.execute("DROP TABLE IF EXISTS " + target);
        // autovacuum off: whether and when the tables are analysed is up to the test
        String unique = keyKind.nullableLast() ? ", UNIQUE (" : ", PRIMARY KEY (";
        sourceHandle.execute("CREATE TABLE " + source + " (" + String.join(", ", sourceDefs) + unique
                + String.join(", ", sk) + ")) WITH (autovacuum_enabled = false)");
        targetHandle.execute("CREATE TABLE " + target + " (" + String.join(", ", targetDefs) + unique
                + String.join(", ", tk) + ")) WITH (autovacuum_enabled = false)");
        List<String> sourceTypes = new ArrayList<>(keyKind.sourceTypes);
        List<String> targetTypes = new ArrayList<>(keyKind.targetTypes);
        columns.forEach(c -> {
            sourceTypes.add(c.sourceType);
            targetTypes.add(c.targetType);
        });
        PreparedBatch sb = sourceHandle.prepareBatch(insert(source, sourceTypes));
        PreparedBatch tb = targetHandle.prepareBatch(insert(target, targetTypes));
        for (Row row : rows) {
            if (row.fate() != Fate.ONLY_TARGET) {
                bindAll(sb, row.key(), row.source());
            }
            if (row.fate() != Fate.ONLY_SOURCE) {
                bindAll(tb, row.key(), row.target());
            }
        }
        if (sb.size() > 0) {
            sb.execute();
        }
        if (tb.size() > 0) {
            tb.execute();
        }
    }

    private static String insert(String table, List<String> types) {
        List<String> params = new ArrayList<>();
        for (String t : types) {
            params.add("CAST(? AS " + t + ")");
        }
        return "INSERT INTO " + table + " VALUES (" + String.join(", ", params) + ")";
    }

    private static void bindAll(PreparedBatch batch, List<String> key, List<String> values) {
        int i = 0;
        for (String k : key) {
            batch.bind(i++, k);
        }
        for (String v : values) {
            batch.bind(i++, v);
        }
        batch.add();
    }

    /** The mapping for these tables, on the connections named {@code sourceConn} and {@code targetConn}. */
    public String yaml(String name, String sourceConn, String source, String targetConn, String target,
            String extra) {
        StringBuilder sb = new StringBuilder("  - name: ").append(name).append('\n')
                .append("    source: { connection: ").append(sourceConn).append(", table: ").append(source)
                .append(" }\n")
                .append("    target: { connection: ").append(targetConn).append(", table: ").append(target)
                .append(" }\n    key: {");
        for (int i = 0; i < keyKind.sourceTypes.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append("k").append(i).append(": key_").append(i);
        }
        sb.append(" }\n    columns: {");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append("c").append(i).append(": col_").append(i);
        }
        sb.append(" }\n");
        if (!compared.isEmpty()) {
            sb.append("    compare: [").append(String.join(", ", compared.stream().map(i -> "c" + i).toList()))
                    .append("]\n");
        }
        return sb.append(extra).toString();
    }

    /** The changes a correct diff reports, as {@link #describe} spells them, sorted. */
    public List<String> expected() {
        List<String> out = new ArrayList<>();
        for (Row row : rows) {
            switch (row.fate()) {
                case ONLY_SOURCE -> out.add("insert " + row.key());
                case ONLY_TARGET -> out.add("delete " + row.key());
                case CHANGED -> {
                    List<String> cols = new ArrayList<>();
                    for (int i : row.changed()) {
                        if (compared.isEmpty() || compared.contains(i)) {
                            cols.add("col_" + i);
                        }
                    }
                    if (!cols.isEmpty()) {
                        out.add("update " + row.key() + " " + cols);
                    }
                }
                default -> {
                }
            }
        }
        return out.stream().sorted().toList();
    }

    /** Every key a correct sync changes, with the operation ("insert", "update", "delete"). */
    public Map<List<String>, String> expectedOperations() {
        Map<List<String>, String> ops = new LinkedHashMap<>();
        for (String line : expected()) {
            String op = line.substring(0, line.indexOf(' '));
            for (Row row : rows) {
                if (line.startsWith(op + " " + row.key() + (op.equals("update") ? " " : ""))
                        && (op.equals("update") || line.length() == (op + " " + row.key()).length())) {
                    ops.put(row.key(), op);
                }
            }
        }
        return ops;
    }

    /** SQL creating a trigger that refuses any write to {@code target} of a key listed in {@code rejects}. */
    public String rejectTriggerSql(String target, String rejects) {
        List<String> keyCols = new ArrayList<>();
        List<String> defs = new ArrayList<>();
        for (int i = 0; i < keyKind.targetTypes.size(); i++) {
            keyCols.add("key_" + i);
            defs.add("key_" + i + " " + keyKind.targetTypes.get(i));
        }
        // NULL-safe: a refused key may hold a NULL
        String newRow = String.join(", ", keyCols.stream().map(c -> "NEW." + c).toList());
        String oldRow = String.join(", ", keyCols.stream().map(c -> "OLD." + c).toList());
        String refusedRow = "ROW(" + String.join(", ", keyCols.stream().map(c -> "r." + c).toList()) + ")";
        return "DROP TABLE IF EXISTS " + rejects + "; CREATE TABLE " + rejects + " (" + String.join(", ", defs) + ");"
                + " CREATE OR REPLACE FUNCTION " + rejects + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF TG_OP = 'DELETE' THEN"
                + "   IF EXISTS (SELECT 1 FROM " + rejects + " r WHERE " + refusedRow + " IS NOT DISTINCT FROM ROW("
                + oldRow + ")) THEN"
                + "     RAISE EXCEPTION 'refused by test' USING ERRCODE = 'P0042'; END IF; RETURN OLD;"
                + " END IF;"
                + " IF EXISTS (SELECT 1 FROM " + rejects + " r WHERE " + refusedRow + " IS NOT DISTINCT FROM ROW("
                + newRow + ")) THEN"
                + "   RAISE EXCEPTION 'refused by test' USING ERRCODE = 'P0042'; END IF; RETURN NEW; END $$;"
                + " CREATE TRIGGER refuse BEFORE INSERT OR UPDATE OR DELETE ON " + target
                + " FOR EACH ROW EXECUTE FUNCTION " + rejects + "_fn();";
    }

    /** Rows for {@code rejects}: the key values cast to the target key types. */
    public String insertRejectsSql(String rejects, Collection<List<String>> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        List<String> tuples = new ArrayList<>();
        for (List<String> k : keys) {
            List<String> vals = new ArrayList<>();
            for (int i = 0; i < k.size(); i++) {
                vals.add(Sql.literal(k.get(i)) + "::" + keyKind.targetTypes.get(i));
            }
            tuples.add("(" + String.join(", ", vals) + ")");
        }
        return "INSERT INTO " + rejects + " VALUES " + String.join(", ", tuples) + ";";
    }

    public static List<String> describe(List<RowChange> changes) {
        return changes.stream()
                .map(c -> c.operation().label() + " " + c.key() + (c.changed().isEmpty() ? "" : " " + c.changed()))
                .sorted()
                .toList();
    }

    public int rowCount() {
        return rows.size();
    }

    @Override
    public String toString() {
        return "Scenario[key=" + keyKind + ", columns=" + columns + ", compared=" + compared + ", rows="
                + rows.size() + "]";
    }
}
