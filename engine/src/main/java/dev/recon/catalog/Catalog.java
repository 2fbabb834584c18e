package dev.recon.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Reads table, column and constraint metadata from the PostgreSQL system catalogs. */
public final class Catalog {
    private final Handle handle;

    public Catalog(Handle handle) {
        this.handle = handle;
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

    /**
     * The table a person named ({@code public.orders}, {@code orders}, {@code "Mixed"."Case"}),
     * resolved as PostgreSQL resolves it on this connection's search_path; empty when absent.
     */
    public Optional<TableInfo> table(String written) {
        Optional<Long> oid = handle.createQuery("SELECT to_regclass(:name)::oid")
                .bind("name", written)
                .mapTo(Long.class)
                .findOne();
        if (oid.isEmpty()) {
            return Optional.empty();
        }
        long relid = oid.get();
        String[] names = handle.createQuery(
                        "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                                + "WHERE c.oid = :oid")
                .bind("oid", relid)
                .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                .one();
        List<ColumnInfo> columns = handle.createQuery(
                        "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.atttypid, t.typcategory, "
                                + "a.attnotnull, a.atthasdef OR a.attidentity <> '', a.attgenerated <> '' "
                                + "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                                + "WHERE a.attrelid = :oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")
                .bind("oid", relid)
                .map((rs, ctx) -> new ColumnInfo(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7)))
                .list();
        // Primary keys, unique constraints and plain unique indexes (no predicate, no expressions).
        List<Set<String>> uniques = handle.createQuery(
                        "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_index i "
                                + "CROSS JOIN LATERAL unnest(i.indkey) AS k(attnum) "
                                + "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                                + "WHERE i.indrelid = :oid AND i.indisunique AND i.indpred IS NULL "
                                + "AND i.indexprs IS NULL GROUP BY i.indexrelid")
                .bind("oid", relid)
                .map((rs, ctx) -> (Set<String>) new HashSet<>(List.of((String[]) rs.getArray(1).getArray())))
                .list();
        return Optional.of(new TableInfo(names[0], names[1], columns, uniques));
    }

    /** Type of a source expression evaluated over a table: {@code format_type} text, oid, category. */
    public ExpressionType expressionType(TableInfo table, String expression) {
        return handle.createQuery("SELECT format_type(t.oid, NULL), t.oid, t.typcategory FROM pg_type t "
                        + "WHERE t.oid = pg_typeof((SELECT (" + expression + ") FROM " + table.sqlName()
                        + " WHERE false LIMIT 1))::oid")
                .map((rs, ctx) -> new ExpressionType(rs.getString(1), rs.getLong(2), rs.getString(3)))
                .one();
    }

    /** True when PostgreSQL converts values of one type to another implicitly or on assignment. */
    public boolean assignable(long fromOid, long toOid) {
        if (fromOid == toOid) {
            return true;
        }
        return handle.createQuery("SELECT EXISTS (SELECT 1 FROM pg_cast WHERE castsource = :f AND casttarget = :t "
                        + "AND castcontext IN ('i', 'a'))")
                .bind("f", fromOid)
                .bind("t", toOid)
                .mapTo(Boolean.class)
                .one();
    }

    /** The type of an expression: as {@code format_type} spells it, its oid and its category. */
    public record ExpressionType(String name, long oid, String category) {
    }
}
