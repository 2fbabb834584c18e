package dev.recon.catalog;

import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads table, column and constraint metadata from the PostgreSQL system catalogs. */
public final class Catalog {
    private final Session session;

    /**
     * A column type's name without modifiers, as written text is cast to: built-in types by
     * their plain name ({@code numeric}, {@code varchar}, {@code int4[]}; {@code "bit"} and
     * {@code "char"} quoted, which unquoted would mean {@code bit(1)} and {@code char(1)}),
     * other types schema-qualified and quoted.
     */
    private static final String WRITE_TYPE = "CASE WHEN tn.nspname = 'pg_catalog' THEN"
            + " CASE WHEN et.oid IS NOT NULL AND et.typnamespace = tn.oid"
            + " THEN (CASE WHEN et.typname IN ('bit', 'char') THEN quote_ident(et.typname) ELSE et.typname::text END)"
            + " || '[]' WHEN t.typname IN ('bit', 'char') THEN quote_ident(t.typname) ELSE t.typname::text END"
            + " ELSE quote_ident(tn.nspname) || '.' || quote_ident(t.typname) END";

    /** Tables read so far, by the name they were asked for (empty: no such table). */
    private final Map<String, Optional<TableInfo>> resolved = new HashMap<>();

    public Catalog(Session session) {
        this.session = session;
    }

    /**
     * The planner's estimate of a table's rows ({@code pg_class.reltuples}), read on any
     * connection, a snapshot's included; -1 when the table was never vacuumed or analyzed.
     */
    public static long estimatedRows(Connection connection, String sqlName) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, sqlName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** The tables of a schema (plain and partitioned, not partitions), by name; empty when the schema does not exist. */
    public List<String> tablesIn(String schema) {
        return session.list("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname",
                rs -> rs.getString(1), schema);
    }

    public boolean schemaExists(String schema) {
        return session.test("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)", schema);
    }

    /**
     * The table a person named ({@code public.orders}, {@code orders}, {@code "Mixed"."Case"}),
     * resolved as PostgreSQL resolves it on this connection's search_path; empty when absent.
     * Names resolved by {@link #resolve} are answered from memory.
     */
    public Optional<TableInfo> table(String written) {
        Optional<TableInfo> known = resolved.get(written);
        if (known != null) {
            return known;
        }
        resolve(List.of(written));
        return resolved.get(written);
    }

    /**
     * Reads the tables of all these names at once: three catalog queries (and one to resolve
     * the names) however many there are, where one {@link #table} at a time takes four each.
     */
    public void resolve(Collection<String> written) {
        List<String> names = written.stream().distinct().filter(w -> !resolved.containsKey(w)).toList();
        if (names.isEmpty()) {
            return;
        }
        Map<String, Long> oids = new HashMap<>();
        try {
            session.list("SELECT w, to_regclass(w)::oid FROM unnest(CAST(? AS text[])) AS w", rs -> {
                if (rs.getObject(2) != null) {
                    oids.put(rs.getString(1), rs.getLong(2));
                }
                return 0;
            }, (Object) names.toArray(new String[0]));
        } catch (RuntimeException e) {
            if (names.size() == 1) {
                throw e;
            }
            // a name PostgreSQL cannot parse fails them all: each on its own, its error left to table()
            for (String w : names) {
                try {
                    resolve(List.of(w));
                } catch (RuntimeException ignored) {
                    // table(w) asks again and reports it
                }
            }
            return;
        }
        Map<Long, TableInfo> tables = load(oids.values().stream().distinct().toList());
        for (String w : names) {
            Long oid = oids.get(w);
            resolved.put(w, Optional.ofNullable(oid == null ? null : tables.get(oid)));
        }
    }

    private Map<Long, TableInfo> load(List<Long> relids) {
        Map<Long, TableInfo> out = new HashMap<>();
        if (relids.isEmpty()) {
            return out;
        }
        Long[] ids = relids.toArray(new Long[0]);
        Map<Long, String[]> names = new HashMap<>();
        session.list("SELECT c.oid, n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE c.oid = ANY(CAST(? AS oid[]))",
                rs -> names.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)}),
                (Object) ids);
        Map<Long, List<ColumnInfo>> columns = new HashMap<>();
        session.list(
                        "SELECT a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, t.typcategory, "
                                + "a.attnotnull, a.atthasdef OR a.attidentity <> '', a.attgenerated <> '', "
                                + "a.atttypmod, " + WRITE_TYPE + ", "
                                + "quote_ident(cn.nspname) || '.' || quote_ident(co.collname), "
                                + "coalesce(co.collisdeterministic, true) "
                                + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                                + "JOIN pg_namespace tn ON tn.oid = t.typnamespace "
                                + "LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A' "
                                + "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
                                + "LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace "
                                + "WHERE a.attrelid = ANY(CAST(? AS oid[])) AND a.attnum > 0 AND NOT a.attisdropped"
                                + " ORDER BY a.attrelid, a.attnum",
                rs -> columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ColumnInfo(
                        rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5), rs.getBoolean(6),
                        rs.getBoolean(7), rs.getBoolean(8), rs.getInt(9), rs.getString(10), rs.getString(11),
                        rs.getBoolean(12))), (Object) ids);
        // Primary keys, unique constraints and plain unique indexes (no predicate, no expressions),
        // in index column order, the primary key first
        Map<Long, List<Set<String>>> uniques = new HashMap<>();
        session.list(
                        "SELECT i.indrelid, array_agg(a.attname ORDER BY k.n) FROM pg_index i "
                                + "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                                + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                                + "WHERE i.indrelid = ANY(CAST(? AS oid[])) AND i.indisunique AND i.indpred IS NULL "
                                + "AND i.indexprs IS NULL GROUP BY i.indrelid, i.indexrelid, i.indisprimary"
                                + " ORDER BY i.indrelid, i.indisprimary DESC, i.indexrelid",
                rs -> uniques.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new LinkedHashSet<>(List.of((String[]) rs.getArray(2).getArray()))), (Object) ids);
        names.forEach((oid, n) -> out.put(oid, new TableInfo(n[0], n[1], columns.getOrDefault(oid, List.of()),
                uniques.getOrDefault(oid, List.of()), "rmp".contains(n[2]))));
        return out;
    }

    /**
     * What a column type is underneath: for a domain its base type (domains over domains
     * followed down), with the modifier that applies; for an array its element type.
     */
    public TypeFacts typeFacts(long typeOid, int typmod) {
        return session.one("WITH RECURSIVE d(oid, typmod, depth) AS (SELECT ?::oid, ?::int4, 0"
                        + " UNION ALL SELECT t.typbasetype, t.typtypmod, d.depth + 1 FROM d JOIN pg_type t"
                        + " ON t.oid = d.oid WHERE t.typtype = 'd')"
                        + " SELECT format_type(b.oid, d.typmod), quote_ident(bn.nspname) || '.' || quote_ident(b.typname),"
                        + " b.oid, b.typname, b.typtype, b.typcategory, d.typmod, d.depth > 0,"
                        + " e.oid, e.typname, e.typtype, format_type(e.oid, NULL)"
                        + " FROM d JOIN pg_type b ON b.oid = d.oid JOIN pg_namespace bn ON bn.oid = b.typnamespace"
                        + " LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'"
                        + " ORDER BY d.depth DESC LIMIT 1",
                rs -> new TypeFacts(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getInt(7), rs.getBoolean(8),
                        rs.getObject(9) == null ? 0 : rs.getLong(9), rs.getString(10), rs.getString(11),
                        rs.getString(12)), typeOid, typmod);
    }

    /**
     * True when the server runs {@code sql} (a probe over NULLs that needs an operator or a
     * hash function of a type) without an error; the session stays usable either way.
     */
    public boolean runs(String sql) {
        try {
            session.list(sql, rs -> 0);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * A column type seen through domains: the base type as {@code format_type} spells it with
     * its modifier ({@code name}) and without ({@code bare}, quoted), its oid, {@code pg_type}
     * name, typtype ({@code b}ase, {@code e}num, {@code r}ange, {@code c}omposite ...), category
     * and modifier; whether a domain was seen through; and for an array its element type
     * (oid 0 when not an array).
     */
    public record TypeFacts(String name, String bare, long oid, String typname, String typtype, String category,
            int typmod, boolean domain, long elementOid, String elementTypname, String elementTyptype,
            String elementName) {
        public boolean isArray() {
            return elementOid != 0;
        }
    }

    /** Type of a source expression evaluated over a table: {@code format_type} text, oid, category. */
    public ExpressionType expressionType(TableInfo table, String expression) {
        return session.one("SELECT format_type(t.oid, NULL), t.oid, t.typcategory FROM pg_type t "
                        + "WHERE t.oid = pg_typeof((SELECT (" + expression + ") FROM " + table.sqlName()
                        + " WHERE false LIMIT 1))::oid",
                rs -> new ExpressionType(rs.getString(1), rs.getLong(2), rs.getString(3)));
    }

    /** True when PostgreSQL converts values of one type to another implicitly or on assignment. */
    /**
     * The type modifier of a numeric expression's result, as the server describes the column
     * of {@code SELECT expression} ({@code numeric(10,2)} for {@code price::numeric(10,2)}); -1
     * when it has none.
     */
    public int expressionTypmod(TableInfo table, String expression) {
        try (PreparedStatement ps = session.connection().prepareStatement("SELECT (" + expression + ") FROM "
                + table.sqlName() + " LIMIT 0"); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int precision = md.getPrecision(1);
            int scale = md.getScale(1);
            // pgjdbc reports an unconstrained numeric as precision 0 (or its maximum, 1000)
            return precision <= 0 || precision > 1000 || scale < 0 ? -1 : ((precision << 16) | scale) + 4;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the type of " + expression + " on " + table.displayName(), e);
        }
    }

    public boolean assignable(long fromOid, long toOid) {
        if (fromOid == toOid) {
            return true;
        }
        return session.test("SELECT EXISTS (SELECT 1 FROM pg_cast WHERE castsource = ?::oid AND casttarget = ?::oid"
                + " AND castcontext IN ('i', 'a'))", fromOid, toOid);
    }

    /** The type of an expression: as {@code format_type} spells it, its oid and its category. */
    public record ExpressionType(String name, long oid, String category) {
    }

    /** The planner's estimate of the table's rows, or its count where it has none (never analysed). */
    public static long estimatedOrCounted(Connection connection, String table) throws SQLException {
        long estimate = estimatedRows(connection, table);
        return estimate >= 0 ? estimate : countRows(connection, table);
    }

    /** The rows of {@code table}, counted. */
    private static long countRows(Connection connection, String table) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + table);
             ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One column of the planner's statistics of {@code schema.table.column} (pg_stats), as text; null when absent. */
    public static String statistic(Connection c, String schema, String table, String column, String what)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + what + " FROM pg_stats WHERE schemaname = ?"
                + " AND tablename = ? AND attname = ? ORDER BY inherited DESC LIMIT 1")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Whether a btree index without predicate leads with {@code column} of table {@code qualified}. */
    public static boolean leadsABtreeIndex(Connection c, String qualified, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index i"
                + " JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ?::regclass AND am.amname = 'btree' AND i.indpred IS NULL AND a.attname = ?)")) {
            ps.setString(1, qualified);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
