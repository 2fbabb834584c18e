package dev.recon.engines.mariadb;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.MappingConfig;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ColumnRead;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PlanTable;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.ValueType;
import dev.recon.spi.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A MariaDB or MySQL table of a mapping, as the planner's one pipeline asks of it: compared by
 * key only; its filter in MariaDB's SQL; its own soft-delete markers and write checks; each
 * column read by the rule of its pair ({@link MariaDbValues}).
 */
record MariaDbPlanTable(ConnectionConfig connection, Session session, MariaDbTable table, TableInfo info)
        implements PlanTable {
    @Override
    public Engine engine() {
        return connection.engine();
    }

    @Override
    public String sqlName() {
        return table.sqlName();
    }

    @Override
    public String keyedOnly(Side side) {
        return side == Side.SOURCE ? "a MariaDB or MySQL source" : "a MariaDB or MySQL table";
    }

    /** Two MariaDB tables are compared in the PostgreSQL counterpart of the target's type. */
    @Override
    public Optional<ValueType> comparedIn(MappingCheck check, String section, ColumnInfo column) {
        MariaDbColumn c = table.column(column.name()).orElseThrow();
        String type = MariaDbValues.comparisonType(c);
        if (type == null) {
            check.problem(section + ": target column " + c.name() + " (" + c.columnType() + "): no exact rule"
                    + " for this type between two MariaDB or MySQL tables yet (docs/configuration.md"
                    + " lists the pairs recon reads exactly)");
            return Optional.empty();
        }
        return Optional.of(MariaDbPlanner.comparedAs(type));
    }

    /** A column read as the canonical text of another engine's counterpart type, by the MariaDB rules. */
    @Override
    public Optional<ColumnRead> readAs(MappingCheck check, String section, String column, String type, String what) {
        Optional<MariaDbColumn> c = table.column(column);
        if (c.isEmpty()) {
            check.problem(section + ": table " + table.displayName() + " has no column '" + column + "'");
            return Optional.empty();
        }
        MariaDbValues.Rule rule = MariaDbValues.rule(c.get(), type, connection.zeroDatesAsNull(), false, what);
        if (rule instanceof MariaDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason() + " (docs/configuration.md lists the pairs recon reads"
                    + " exactly)");
            return Optional.empty();
        }
        return Optional.of((MariaDbValues.Read) rule);
    }

    @Override
    public String counterpartType(String column) {
        return table.column(column).map(MariaDbValues::comparisonType).orElse(null);
    }

    @Override
    public void checkWhere(MappingCheck check, String where) {
        check.checkWhere(session, table.sqlName(), table.displayName() + " (MariaDB's SQL)", where,
                MariaDbPlanTable::whereReason);
    }

    /** MariaDB's "near '...'" of a syntax error, up to its "at line N". */
    private static final java.util.regex.Pattern NEAR = java.util.regex.Pattern.compile(
            "(?s)right syntax to use near '(.*)' at line \\d+");

    /**
     * Why MariaDB refused a where clause, said of the user's clause: its syntax error quotes
     * the text from the error on, which ends in the probe's own {@link MappingCheck#AFTER_WHERE};
     * that part is left out ("at the end of the clause" when nothing else is left).
     */
    static String whereReason(RuntimeException e) {
        String reason = MappingCheck.reason(e).replaceFirst("^\\(conn=\\d+\\) ", "");
        java.sql.SQLException sql = dev.recon.db.DatabaseException.sqlCause(e);
        java.util.regex.Matcher near = sql == null ? null : NEAR.matcher(sql.getMessage());
        if (near == null || !near.find()) {
            return reason;
        }
        String at = near.group(1);
        if (at.endsWith(MappingCheck.AFTER_WHERE)) {
            at = at.substring(0, at.length() - MappingCheck.AFTER_WHERE.length());
        }
        return "a syntax error " + (at.isBlank() ? "at the end of the clause (is something missing?)"
                : "near '" + at + "'") + (sql.getSQLState() == null ? "" : " [SQLSTATE " + sql.getSQLState() + "]");
    }

    /**
     * The soft-delete marker of a MariaDB target: a column recon alone writes, boolean
     * ({@code tinyint(1)}, {@code bit(1)}: set to 1) or a date or time ({@code date},
     * {@code datetime}, {@code timestamp}: set to the current time, UTC).
     */
    @Override
    public Optional<SoftDelete> softDelete(MappingCheck check, List<ColumnMapping> keys,
            List<ColumnMapping> columns) {
        MappingConfig sync = check.sync();
        if (!(sync.deletes() instanceof DeletePolicy.Soft soft)) {
            return Optional.empty();
        }
        Optional<MariaDbColumn> c = table.column(soft.column());
        if (c.isEmpty()) {
            check.problem("deletes.soft: target table " + table.displayName() + " has no column '" + soft.column()
                    + "'");
            return Optional.empty();
        }
        MariaDbColumn col = c.get();
        if (Stream.concat(keys.stream(), columns.stream()).anyMatch(m -> m.targetColumn()
                .equalsIgnoreCase(col.name()))) {
            check.problem("deletes.soft: column '" + col.name() + "' is also mapped; the soft-delete marker must be"
                    + " a column that only recon writes");
        }
        boolean isBoolean = col.booleanLike();
        if (!isBoolean && !Set.of("date", "datetime", "timestamp").contains(col.dataType())) {
            check.problem("deletes.soft: column '" + col.name() + "' is " + col.columnType() + "; it must be"
                    + " tinyint(1) or bit(1) (set to 1) or a date, datetime or timestamp (set to the time)");
        } else if (!isBoolean && !col.nullable()) {
            check.problem("deletes.soft: column '" + col.name() + "' is NOT NULL, but a live row's time marker is"
                    + " NULL; make it NULL (ALTER TABLE " + table.sqlName() + " MODIFY "
                    + MariaDbSql.quote(col.name()) + " " + col.columnType() + " NULL)");
        }
        return Optional.of(new SoftDelete(col.name(), isBoolean));
    }

    /**
     * A sync writes every mapped column, and finds rows by their key: no generated column,
     * and no text key under a collation that calls keys equal which recon tells apart
     * ({@code 'A'} and {@code 'a'} under {@code _ci}, {@code 'a'} and {@code 'a '} under
     * any PAD SPACE collation, {@code utf8mb4_bin} too), where an upsert of one key would
     * overwrite the row of another.
     */
    @Override
    public void checkWritable(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft) {
        for (ColumnMapping m : Stream.concat(keys.stream(), columns.stream()).toList()) {
            MariaDbColumn c = table.column(m.targetColumn()).orElseThrow();
            if (c.generated()) {
                check.problem("columns: target column " + c.name() + " of " + table.displayName() + " is generated;"
                        + " a sync cannot write it: leave it out of columns");
            }
            String alters = altersWhatItStores(c, m.sourceType());
            if (alters != null) {
                check.problem("columns: target column " + c.name() + " (" + c.columnType() + ") of "
                        + table.displayName() + " " + alters + ", so values of source column "
                        + m.sourceLabel() + " (" + m.sourceType() + ") could be written again and again"
                        + " without ever being equal (or two keys become one)");
            }
        }
        List<String> written = new ArrayList<>();
        Stream.concat(keys.stream(), columns.stream()).forEach(m -> written.add(m.targetColumn()));
        soft.ifPresent(sd -> written.add(sd.column()));
        for (MariaDbColumn c : table.columns()) {
            // a column paired in the mapping whose pair is refused: that refusal is said, not this
            if (!c.hasDefault() && !c.generated() && written.stream().noneMatch(w -> w.equalsIgnoreCase(c.name()))
                    && !check.isNamed(c.name(), true)) {
                check.problem("target column '" + c.name() + "' of " + table.displayName() + " is NOT NULL without"
                        + " a default and is not mapped; inserts would fail. Map a source column to it");
            }
        }
        for (ColumnMapping k : keys) {
            MariaDbColumn c = table.column(k.targetColumn()).orElseThrow();
            String collation = c.collation();
            if (collation != null && !collation.equals("binary") && !collation.endsWith("_nopad_bin")
                    && !collation.endsWith("_0900_bin")) {
                check.problem("key: target column " + c.name() + " (" + c.columnType() + ") of " + table.displayName()
                        + " has collation " + collation + ", under which keys recon tells apart are one"
                        + " ('A' and 'a', or 'a' and 'a '), so writing one could overwrite the row of another;"
                        + " recon sync writes a text key only under a binary, NO PAD collation, e.g. ALTER"
                        + " TABLE " + table.sqlName() + " MODIFY " + MariaDbSql.quote(c.name()) + " "
                        + c.columnType() + " COLLATE utf8mb4_nopad_bin" + (c.nullable() ? "" : " NOT NULL")
                        + " (recon diff compares it as it is)");
            }
        }
    }

    /**
     * How a target column changes what is written into it, when its source is of another
     * type (null when it keeps it): {@code char(n)} drops trailing spaces, {@code binary(n)}
     * pads with zero bytes, {@code enum} and {@code set} fold case, trim and reorder. A
     * source column of the same declared type (from MariaDB) is changed alike on both sides.
     */
    private static String altersWhatItStores(MariaDbColumn c, String sourceType) {
        String t = c.dataType();
        String st = sourceType.toLowerCase(Locale.ROOT);
        // a uuid's text is 36 characters without spaces: char(36) keeps it as it is
        if (st.equals(c.columnType().toLowerCase(Locale.ROOT)) || t.equals("char")
                && (st.startsWith("char(") || st.equals("uuid"))) {
            return null;
        }
        return switch (t) {
            case "char" -> "drops the trailing spaces of what it stores ('ab  ' becomes 'ab'); make it"
                    + " varchar(n)";
            case "binary" -> "pads what it stores with zero bytes to its length (\\x41 becomes \\x41000000);"
                    + " make it varbinary(n)";
            case "enum", "set" -> "stores only its own members, in its own spelling and order ('X' is"
                    + " stored as 'x', 'b,a' as 'a,b'); make it varchar(n), or map a column of the same type";
            default -> null;
        };
    }

    /**
     * True when the source's primary or unique key covers exactly the key columns (NOT NULL
     * where the target would match NULLs), each read without folding two values into one (a
     * {@code char(36)} read as {@code uuid} is lower-cased).
     */
    @Override
    public boolean keyUnique(MappingCheck check, List<ColumnMapping> keys) {
        boolean zeroDatesAsNull = connection.zeroDatesAsNull();
        List<String> names = new ArrayList<>();
        for (ColumnMapping k : keys) {
            MariaDbColumn c = table.column(k.sourceLabel()).orElse(null);
            // zero dates read as NULL are many rows of one key: the diff checks
            if (c == null || (k.targetNullable() && c.nullable())
                    || k.targetType().equals("uuid") && !c.dataType().equals("uuid")
                    || zeroDatesAsNull && Set.of("date", "datetime", "timestamp").contains(c.dataType())) {
                return false;
            }
            names.add(c.name());
        }
        return table.uniqueOn(names);
    }

    @Override
    public SidePlan side(Side side, List<ColumnRead> reads, List<String> names, int keys, Optional<String> where,
            Engine other, Optional<SoftDelete> soft) {
        List<MariaDbValues.Read> own = reads.stream().map(MariaDbValues.Read.class::cast).toList();
        // zero dates from MariaDB into an engine that has none fail the comparison
        return side == Side.SOURCE
                ? new MariaDbSide(engine(), table, own, names, keys, where.orElse(null), connection.name(),
                        !other.hasZeroDates())
                : new MariaDbSide(engine(), table, own, names, keys, null, connection.name(),
                        soft.map(MariaDbSql::isMarked).orElse("0"), false);
    }

    /** The columns of a MariaDB table as recon's reports and checks list them. */
    static TableInfo tableInfo(MariaDbTable table) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (MariaDbColumn c : table.columns()) {
            columns.add(new ColumnInfo(c.name(), c.columnType(), 0, "", !c.nullable(), c.hasDefault(), c.generated()));
        }
        List<Set<String>> unique = new ArrayList<>();
        if (!table.primaryKey().isEmpty()) {
            unique.add(Set.copyOf(table.primaryKey()));
        }
        table.uniqueKeys().forEach(u -> unique.add(Set.copyOf(u)));
        return new TableInfo(table.schema(), table.name(), columns, unique, false);
    }
}
