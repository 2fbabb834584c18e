package dev.recon.engines.mariadb;

import dev.recon.base.ReconException;
import dev.recon.engines.mariadb.MariaDbValues.Read;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.spi.Engine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A mapping's MariaDB or MySQL side, source or target: its table and, for every mapped column
 * in the plan's order (keys first), how it is read ({@link dev.recon.engines.mariadb.MariaDbValues}):
 * printed as PostgreSQL prints the value in the type the mapping compares in, and the keys
 * ordered as recon orders them. {@code where} is the mapping's filter, in MariaDB's SQL (null
 * for a target); {@code names} the side's columns in the order of {@code reads},
 * {@code connection} the side's connection name, {@code gone} SQL that is 1 for a row
 * soft-deleted (a target's marker, else {@code 0}).
 */
public record MariaDbSide(Engine engine, MariaDbTable table, List<Read> reads, List<String> names, int nKeys,
        String where, String connection, String gone, boolean checksZeroDates) implements SidePlan {
    /** A source: no soft-delete marker; {@code checksZeroDates} when its values go to an engine without zero dates. */
    MariaDbSide(Engine engine, MariaDbTable table, List<Read> reads, List<String> names, int nKeys, String where,
            String connection, boolean checksZeroDates) {
        this(engine, table, reads, names, nKeys, where, connection, "0", checksZeroDates);
    }

    public MariaDbSide {
        reads = List.copyOf(reads);
        names = List.copyOf(names);
    }

    @Override
    public MariaDbSide within(String condition) {
        return new MariaDbSide(engine, table, reads, names, nKeys, where == null ? condition
                : "(" + where + ") AND " + condition, connection, gone, checksZeroDates);
    }

    /** True when some column is a date that {@link #check} looks at (else checking rows is no work to do). */
    public boolean readsDates() {
        return reads.stream().anyMatch(Read::zeroDates);
    }

    /**
     * Fails, naming the column and the row's key, when a value read ({@code values} in the order
     * of {@code reads}) is a zero date: PostgreSQL has no value to compare it with or write.
     */
    public void check(String[] values, String context) {
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).isZeroDate(values[i])) {
                throw new ReconException(context + ": source column " + names.get(i) + " of "
                        + table.displayName() + " holds the zero date " + values[i] + " in the row with key "
                        + java.util.Arrays.asList(values).subList(0, nKeys) + ", which PostgreSQL has no value for: correct"
                        + " the row, or set zero_dates: null on connection '" + connection + "' to read zero"
                        + " dates as NULL (docs/configuration.md)");
            }
        }
    }

    @Override
    public String sqlName() {
        return table.sqlName();
    }

    @Override
    public String ordered(MappingPlan plan) {
        return ordered(plan.onlyKeys(), plan.keys());
    }

    @Override
    public String canonicalSummary(MappingPlan plan, long mask, boolean integerKey, List<Integer> hashed) {
        return canonicalSummary(mask, integerKey, hashed);
    }

    @Override
    public String orderedInBuckets(MappingPlan plan, long mask, boolean integerKey, List<Long> buckets) {
        return orderedInBuckets(mask, integerKey, buckets);
    }

    @Override
    public long estimatedRows(Connection connection) throws SQLException {
        return MariaDbCatalog.estimatedRows(connection, table);
    }

    @Override
    public Consumer<String[]> rowCheck(String context) {
        boolean zeroDates = checksZeroDates && readsDates();
        List<Integer> zoned = zoned();
        if (!zeroDates && zoned.isEmpty()) {
            return null;
        }
        return values -> {
            if (zeroDates) {
                check(values, context);
            }
            for (int i : zoned) {
                values[i] = reads.get(i).inUtc(values[i]);
            }
        };
    }

    /** The columns read in a zone of their own and turned into UTC as they are read ({@link Read#inUtc}). */
    private List<Integer> zoned() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < reads.size(); i++) {
            if (reads.get(i).zone() != null) {
                out.add(i);
            }
        }
        return out;
    }

    /** A zone's conversion happens in recon, so this side's summaries cannot print those columns as the other's do. */
    @Override
    public List<String> notHashable() {
        return zoned().stream().map(i -> names.get(i) + " (" + table.column(names.get(i)).map(MariaDbColumn::columnType)
                .orElse("") + " in " + reads.get(i).zone().getId() + ")").toList();
    }

    @Override
    public String isMarked(SoftDelete soft) {
        return MariaDbSql.isMarked(soft);
    }

    /**
     * A key whose column is unique only under a case-, accent- or pad-blind collation holds one
     * of the keys recon tells apart ('A' and 'a', 'a' and 'a '): said once per run, so that an
     * insert and a delete of two spellings of one key are not a surprise.
     */
    @Override
    public List<String> warnings() {
        List<String> blind = table.caseInsensitiveKeyColumns(names.subList(0, nKeys));
        if (blind.isEmpty()) {
            return List.of();
        }
        return List.of("key column(s) " + blind + " of " + table.displayName() + " compare case- or accent-blind ("
                + table.column(blind.get(0)).orElseThrow().collation() + "): MariaDB holds one of keys that differ"
                + " only so ('A' and 'a'); recon compares keys byte for byte, so another spelling on the other side"
                + " is an insert or a delete");
    }

    /**
     * The same, only of the rows with these keys ({@code recon diff --key}: target key column
     * to value, as {@code keys} name them) when any are given: numbers by value, every other
     * key by its text as the rule prints it, byte for byte; the values go in as hex literals
     * (no quoting, whatever the server's SQL mode).
     */
    public String ordered(List<Map<String, String>> onlyKeys, List<ColumnMapping> keys) {
        List<Read> columns = new ArrayList<>(reads.subList(nKeys, reads.size()));
        columns.add(new Read(gone, null));
        String filter = where;
        if (!onlyKeys.isEmpty()) {
            List<String> any = new ArrayList<>();
            for (Map<String, String> key : onlyKeys) {
                List<String> all = new ArrayList<>();
                for (int i = 0; i < nKeys; i++) {
                    String v = key.get(keys.get(i).targetColumn());
                    String sel = "(" + reads.get(i).select() + ")";
                    if (v == null) {
                        all.add(sel + " IS NULL");
                        continue;
                    }
                    String hex = "X'" + HexFormat.of().formatHex(v.getBytes(StandardCharsets.UTF_8)) + "'";
                    all.add(switch (keys.get(i).type().kind()) {
                        case INTEGER, NUMERIC -> "CAST(" + sel + " AS DECIMAL(65,30)) = CAST(CONVERT(" + hex
                                + " USING utf8mb4) AS DECIMAL(65,30))";
                        case FLOAT -> "CAST(" + sel + " AS DOUBLE) = CAST(CONVERT(" + hex + " USING utf8mb4) AS DOUBLE)";
                        default -> "CAST(" + sel + " AS BINARY) = " + hex;
                    });
                }
                any.add("(" + String.join(" AND ", all) + ")");
            }
            String keyFilter = String.join(" OR ", any);
            filter = where == null ? keyFilter : "(" + where + ") AND (" + keyFilter + ")";
        }
        return MariaDbSnapshot.ordered(table, reads.subList(0, nKeys), columns, filter);
    }

    /**
     * Every column of the rows {@code filter} keeps (keys, the other columns, then the gone
     * flag, as {@link #ordered(MappingPlan)} reads them), locked for the writer's transaction:
     * what a guarded write finds before it writes.
     */
    public String lockedRows(String filter) {
        List<Read> columns = new ArrayList<>(reads.subList(nKeys, reads.size()));
        columns.add(new Read(gone, null));
        return MariaDbSnapshot.ordered(table, reads.subList(0, nKeys), columns, filter) + " FOR UPDATE";
    }

    /**
     * Column {@code i} as the hash across engines reads it: its read's text in UTF-8 as a token
     * that tells every row apart (byte length, a colon and the text; NULL as {@code N}), as
     * {@code SideQuery} computes it on PostgreSQL.
     */
    private String token(int i) {
        String t = "CONVERT((" + reads.get(i).select() + ") USING utf8mb4)";
        return "COALESCE(CONCAT(LENGTH(" + t + "), ':', " + t + "), 'N')";
    }

    private String md5(List<Integer> indexes) {
        List<String> tokens = new ArrayList<>();
        for (int i : indexes) {
            tokens.add(token(i));
        }
        return "MD5(CONCAT(" + String.join(", ", tokens) + "))";
    }

    /**
     * The bucket of a row under {@code mask}: with {@code integerKey} (one key column, an
     * integer) the key's own low bits (MariaDB's {@code &} works on the 64-bit two's complement,
     * as PostgreSQL's does); otherwise the first 32 bits of the MD5 of the key's tokens.
     */
    private String bucket(long mask, boolean integerKey) {
        if (integerKey) {
            // a NULL key's rows go with bucket 0, as on PostgreSQL
            return "COALESCE(" + MariaDbSql.quote(column(0)) + " & " + mask + ", 0)";
        }
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < nKeys; i++) {
            keys.add(i);
        }
        return "(CAST(CONV(SUBSTRING(" + md5(keys) + ", 1, 8), 16, 10) AS UNSIGNED) & " + mask + ")";
    }

    /**
     * Per key-hash bucket: the row count and the XOR of the rows' hashes (the first 64 bits of
     * the MD5 of the tokens of columns {@code hashed}, keys first), soft-deleted rows left out.
     */
    public String canonicalSummary(long mask, boolean integerKey, List<Integer> hashed) {
        String filter = where == null ? "" : "(" + where + ")";
        if (!gone.equals("0")) {
            filter = (filter.isEmpty() ? "" : filter + " AND ") + "NOT (" + gone + ")";
        }
        return "SELECT " + bucket(mask, integerKey) + " AS seg, COUNT(*), CAST(BIT_XOR(CAST(CONV(SUBSTRING(" + md5(hashed)
                + ", 1, 16), 16, 10) AS UNSIGNED)) AS CHAR) FROM " + table.sqlName()
                + (filter.isEmpty() ? "" : " WHERE " + filter) + " GROUP BY 1";
    }

    /** The rows in these buckets (under {@code mask}), as {@link #ordered(MappingPlan)} reads them, in key order. */
    public String orderedInBuckets(long mask, boolean integerKey, List<Long> buckets) {
        List<Read> columns = new ArrayList<>(reads.subList(nKeys, reads.size()));
        columns.add(new Read(gone, null));
        String in = bucket(mask, integerKey) + " IN (" + String.join(",", buckets.stream().map(String::valueOf).toList()) + ")";
        return MariaDbSnapshot.ordered(table, reads.subList(0, nKeys), columns,
                where == null ? in : "(" + where + ") AND " + in);
    }

    /**
     * This side as one relation of a join on its server ({@code MariaDbJoinDiff}): {@code __r}
     * (1 for every row), each read as {@code v0..} (in {@code reads}' order), the same columns as
     * the table has them as {@code r0..} (what an index serves), and the gone flag as
     * {@code __gone}; only the rows {@code where} keeps.
     */
    public String joinRelation() {
        List<String> cols = new ArrayList<>();
        cols.add("1 AS __r");
        for (int i = 0; i < reads.size(); i++) {
            cols.add(reads.get(i).select() + " AS v" + i);
        }
        for (int i = 0; i < reads.size(); i++) {
            cols.add(MariaDbSql.quote(column(i)) + " AS r" + i);
        }
        cols.add(gone + " AS __gone");
        return "(SELECT " + String.join(", ", cols) + " FROM " + table.sqlName()
                + (where == null ? "" : " WHERE (" + where + ")") + ")";
    }

    /** The table's name of mapped column {@code i}. */
    private String column(int i) {
        return table.column(names.get(i)).map(c -> c.name()).orElse(names.get(i));
    }

    /** Mapped column {@code i} as the catalog describes it. */
    public MariaDbColumn mariaDbColumn(int i) {
        return table.column(names.get(i)).orElseThrow();
    }
}
