package dev.recon.engines.mariadb;

import static dev.recon.plan.MappingCheck.IDENTIFIER;
import static dev.recon.plan.MappingCheck.columnNames;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.config.ColumnRule;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ColumnRead;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTable;
import dev.recon.plan.PlanTables;
import dev.recon.plan.ValueType;
import dev.recon.spi.Engine;
import dev.recon.sql.Sql;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * MariaDB and MySQL in the planner's one pipeline: their tables ({@link MariaDbPlanTable}),
 * the strategy of two MariaDB tables, and the value rules of every pair with a MariaDB side
 * ({@link MariaDbValues}): a MariaDB source column read as the PostgreSQL target's type prints;
 * a MariaDB target column read as a PostgreSQL source's type prints; two MariaDB columns both
 * read as the PostgreSQL counterpart of the target's type.
 */
final class MariaDbPlanner implements PlanTables, PairRules {
    @Override
    public boolean pairs(Engine source, Engine target) {
        return source instanceof MariaDbEngine || target instanceof MariaDbEngine;
    }

    @Override
    public Optional<Paired> pair(MappingCheck check, String section, String sourceWritten, String targetWritten,
            boolean compared, PlanTable source, PlanTable target) {
        return target instanceof MariaDbPlanTable into
                ? intoMariaDb(check, section, sourceWritten, targetWritten, compared, source, into)
                : fromMariaDb(check, section, sourceWritten, targetWritten, compared, (MariaDbPlanTable) source,
                        target);
    }

    /**
     * The zone a column's values without one are in: the mapping's rule for the target column,
     * else the connection of the side that holds them; null when neither says.
     */
    private static ZoneId zone(MappingCheck check, String targetColumn, ConnectionConfig zoneless) {
        ColumnRule rule = check.sync().rules().get(targetColumn);
        return rule != null && rule.timeZone() != null ? rule.timeZone() : zoneless.timeZone().orElse(null);
    }

    /** A MariaDB source column (or expression) for another engine's target column, in the target's type. */
    private Optional<Paired> fromMariaDb(MappingCheck check, String section, String sourceWritten,
            String targetWritten, boolean isCompared, MariaDbPlanTable source, PlanTable target) {
        MariaDbTable table = source.table();
        Optional<ColumnInfo> targetColumn = target.info().column(targetWritten);
        if (targetColumn.isEmpty()) {
            check.problem(section + ": target table " + target.info().displayName() + " has no column '"
                    + targetWritten + "' (columns: " + columnNames(target.info()) + ")");
        }
        Optional<MariaDbColumn> sourceColumn = table.column(sourceWritten);
        boolean expression = !IDENTIFIER.matcher(sourceWritten).matches();
        if (sourceColumn.isEmpty() && expression && section.equals("columns")) {
            // MariaDB's SQL over the source row, read as the type MariaDB gives its result
            String unfit = Sql.notSelfContained(sourceWritten);
            if (unfit == null && sourceWritten.contains("#")) {
                unfit = "a # comment would swallow what recon writes after it";
            }
            if (unfit != null) {
                check.problem(section + ": source expression '" + sourceWritten + "' is not one expression: " + unfit
                        + " (recon places it inside its own queries, in parentheses)");
                return Optional.empty();
            }
            try {
                sourceColumn = Optional.of(new MariaDbCatalog(source.session().connection()).describe(table,
                        sourceWritten));
            } catch (SQLException e) {
                check.problem(section + ": source expression '" + sourceWritten + "' over " + table.displayName()
                        + " (MariaDB's SQL): " + (e.getErrorCode() == 1111 ? "it aggregates rows (COUNT,"
                                + " SUM, GROUP_CONCAT, a window function…), but each row needs a value of its"
                                + " own; map an expression over one row" : DatabaseException.reason(e)));
                return Optional.empty();
            }
        }
        if (sourceColumn.isEmpty()) {
            check.problem(section + ": source table " + table.displayName() + " has no column '" + sourceWritten
                    + "'" + (expression ? " (an expression as a key of a MariaDB or MySQL source is not"
                            + " supported yet: map a column, or a view's)" : "")
                    + " (columns: " + String.join(", ", table.columns().stream().map(MariaDbColumn::name)
                            .toList()) + ")");
        }
        if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
            return Optional.empty();
        }
        ColumnInfo t = targetColumn.get();
        MariaDbColumn c = sourceColumn.get();
        // the pair named with both tables, as every problem names the mapping, table and column
        String what = (c.expression() != null ? "source expression " + c.name() + " over "
                : "source column " + c.name() + " of ") + table.displayName() + " (" + c.columnType()
                + ") for target column " + t.name() + " of " + target.info().displayName() + " (" + t.type() + ")";
        MariaDbValues.Rule rule = MariaDbValues.rule(c, t.type(), source.connection().zeroDatesAsNull(),
                section.equals("columns"), what, zone(check, t.name(), source.connection()));
        if (rule instanceof MariaDbValues.Read r && r.zone() != null && section.equals("key")) {
            rule = new MariaDbValues.Refused(what + ": a key read in a time zone is not supported (its order in"
                    + " local time is not its order in UTC); map a datetime key to a timestamp without time zone");
        }
        if (rule instanceof MariaDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason() + " (docs/configuration.md lists the pairs recon reads"
                    + " exactly)");
            return Optional.empty();
        }
        MariaDbValues.Read read = (MariaDbValues.Read) rule;
        if (read.zone() != null) {
            check.placedInZone(t.name());
        }
        return target.comparedIn(check, section, t).map(type -> new Paired(new ColumnMapping(sourceWritten, c.sql(),
                c.expression() != null, t.name(), t.type(), isCompared, type, Optional.empty(),
                section.equals("key") && !t.notNull(), t.collation(), c.columnType()), read, null));
    }

    /**
     * A MariaDB target column for a source column: compared in the PostgreSQL source's own type,
     * or, from a MariaDB source, in the PostgreSQL counterpart of the target's type
     * ({@link MariaDbValues#comparisonType}).
     */
    private Optional<Paired> intoMariaDb(MappingCheck check, String section, String sourceWritten,
            String targetWritten, boolean isCompared, PlanTable sourceTable, MariaDbPlanTable target) {
        MariaDbTable table = target.table();
        MariaDbPlanTable sourceMaria = sourceTable instanceof MariaDbPlanTable m ? m : null;
        Optional<MariaDbColumn> targetColumn = table.column(targetWritten);
        if (targetColumn.isEmpty()) {
            check.problem(section + ": target table " + table.displayName() + " has no column '" + targetWritten
                    + "' (columns: " + String.join(", ", table.columns().stream().map(MariaDbColumn::name)
                            .toList()) + ")");
        }
        Optional<ColumnInfo> sourceColumn = sourceTable.info().column(sourceWritten);
        boolean expression = sourceColumn.isEmpty() && !IDENTIFIER.matcher(sourceWritten).matches();
        if (expression && sourceMaria == null && section.equals("columns")) {
            // another engine's expression, compared in the type its engine gives the result
            sourceColumn = sourceTable.describe(check, section, sourceWritten);
            if (sourceColumn.isEmpty()) {
                return Optional.empty();
            }
        } else if (sourceColumn.isEmpty()) {
            check.problem(section + ": source table " + sourceTable.info().displayName() + " has no column '"
                    + sourceWritten + "'" + (!expression ? ""
                            : section.equals("key") ? " (an expression as a key into a MariaDB or MySQL target is"
                                    + " not supported yet: map a column, or a view's)"
                            : " (an expression between two MariaDB or MySQL tables is not supported yet: map a"
                                    + " column, or a view's)")
                    + " (columns: " + columnNames(sourceTable.info()) + ")");
        }
        if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
            return Optional.empty();
        }
        MariaDbColumn t = targetColumn.get();
        ColumnInfo sc = sourceColumn.get();
        String compareIn;
        String inZone = null;
        MariaDbValues.Rule sourceRule = null;
        MariaDbValues.Rule targetRule;
        boolean targetZeroAsNull = target.connection().zeroDatesAsNull();
        ColumnRead otherRead = null;
        if (sourceMaria == null && !sourceTable.engine().printsCanonicalText()) {
            // another engine that reads its columns as a type's canonical text: the counterpart of the target's type
            compareIn = MariaDbValues.comparisonType(t);
            if (compareIn == null) {
                check.problem(section + ": target column " + t.name() + " of " + table.displayName() + " ("
                        + t.columnType() + "): no exact rule for this type from a " + sourceTable.engine().label()
                        + " source yet (docs/configuration.md lists the pairs recon reads exactly)");
                return Optional.empty();
            }
            String pair = "source column " + sc.name() + " of " + sourceTable.info().displayName() + " (" + sc.type()
                    + ") and target column " + t.name() + " of " + table.displayName() + " (" + t.columnType()
                    + "), compared as " + compareIn;
            Optional<ColumnRead> read = sourceTable.readAs(check, section, sc.name(), compareIn, pair);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            otherRead = read.get();
            targetRule = MariaDbValues.rule(t, compareIn, targetZeroAsNull, false, pair);
        } else if (sourceMaria != null) {
            compareIn = MariaDbValues.comparisonType(t);
            if (compareIn == null) {
                check.problem(section + ": target column " + t.name() + " (" + t.columnType() + "): no exact rule"
                        + " for this type between two MariaDB or MySQL tables yet (docs/configuration.md"
                        + " lists the pairs recon reads exactly)");
                return Optional.empty();
            }
            MariaDbColumn s = sourceMaria.table().column(sourceWritten).orElseThrow();
            String pair = "source column " + s.name() + " of " + sourceMaria.table().displayName() + " ("
                    + s.columnType() + ") and target column " + t.name() + " of " + table.displayName() + " ("
                    + t.columnType() + "), compared as " + compareIn;
            sourceRule = MariaDbValues.rule(s, compareIn, sourceMaria.connection().zeroDatesAsNull(), false, pair);
            targetRule = MariaDbValues.rule(t, compareIn, targetZeroAsNull, false, pair);
        } else {
            compareIn = sc.type();
            ZoneId zone = zone(check, t.name(), target.connection());
            if (zone != null && t.dataType().equals("datetime") && compareIn.startsWith("timestamp")
                    && compareIn.endsWith("with time zone")) {
                if (section.equals("key")) {
                    check.problem(section + ": target column " + t.name() + " of " + table.displayName() + " ("
                            + t.columnType() + "): a key compared in a time zone is not supported yet; map a"
                            + " timestamp without time zone to it");
                    return Optional.empty();
                }
                check.placedInZone(t.name());
                // the instant as the local time it is in the datetime's zone, computed on the source's server
                compareIn = compareIn.replace("with time zone", "without time zone");
                inZone = "(" + Sql.quote(sc.name()) + " AT TIME ZONE " + (zone instanceof ZoneOffset offset
                        ? "INTERVAL '" + (offset.getId().equals("Z") ? "+00:00" : offset.getId()) + "'"
                        : "'" + zone.getId().replace("'", "''") + "'") + ")";
            }
            targetRule = MariaDbValues.targetRule(t, compareIn, targetZeroAsNull, "target column " + t.name()
                    + " of " + table.displayName() + " (" + t.columnType() + ") for source "
                    + (expression ? "expression " + sc.name() + " over " : "column " + sc.name() + " of ")
                    + sourceTable.info().displayName() + " (" + sc.type() + ")");
        }
        for (MariaDbValues.Rule rule : new MariaDbValues.Rule[] {sourceRule, targetRule}) {
            if (rule instanceof MariaDbValues.Refused refused) {
                check.problem(section + ": " + refused.reason() + " (docs/configuration.md lists the pairs recon"
                        + " reads exactly)");
                return Optional.empty();
            }
        }
        String sourceSql = inZone != null ? inZone : expression ? "(" + sourceWritten + ")"
                : sourceMaria != null ? MariaDbSql.quote(sc.name()) : sourceTable.engine().quote(sc.name());
        return Optional.of(new Paired(new ColumnMapping(sourceWritten, sourceSql, expression || inZone != null,
                t.name(), t.columnType(),
                isCompared,
                comparedAs(compareIn), Optional.empty(), section.equals("key") && t.nullable(), null, sc.type()),
                otherRead != null ? otherRead : (MariaDbValues.Read) sourceRule, (MariaDbValues.Read) targetRule));
    }

    /**
     * The strategy of two MariaDB or MySQL tables: join on one server (one connection, or
     * two with the same URL and user) where the join can pair keys exactly
     * ({@code MariaDbJoinDiff}: no reason from {@link #joinable}) and the mapping asks for
     * it; auto merges (measured at a million rows: the merge, both sides read at once, takes
     * about half the join's time; docs/benchmarks.md).
     */
    @Override
    public Strategy strategy(MappingCheck check, PlanTable sourceTable, PlanTable targetTable,
            List<ColumnMapping> keys) {
        ConnectionConfig sourceConn = sourceTable.connection();
        ConnectionConfig targetConn = targetTable.connection();
        MariaDbTable source = ((MariaDbPlanTable) sourceTable).table();
        MariaDbTable target = ((MariaDbPlanTable) targetTable).table();
        boolean oneServer = sourceConn.name().equals(targetConn.name()) || sourceConn.sameDatabaseAs(targetConn);
        String why = !oneServer ? "the two tables are on two connections" : joinable(sourceConn, targetConn,
                source, target, keys);
        Strategy wanted = check.sync().strategy();
        if (wanted == Strategy.JOIN && why != null) {
            check.problem("strategy join: " + why + "; use merge, hash or auto");
        }
        return wanted == Strategy.AUTO ? Strategy.MERGE : wanted;
    }

    /**
     * Why two MariaDB tables' keys cannot be paired by a join on their columns, or null: the
     * join pairs rows on the key columns' own equality (what an index serves), which must
     * hold for every two keys recon calls equal: text keys of one collation on both sides,
     * no float, no date read as NULL when it is a zero date.
     */
    private String joinable(ConnectionConfig sourceConn, ConnectionConfig targetConn, MariaDbTable source,
            MariaDbTable target, List<ColumnMapping> keys) {
        Set<String> temporal = Set.of("date", "datetime", "timestamp");
        for (ColumnMapping k : keys) {
            MariaDbColumn s = source.column(k.sourceLabel()).orElse(null);
            MariaDbColumn t = target.column(k.targetColumn()).orElse(null);
            if (s == null || t == null) {
                return "key column " + k.targetColumn() + " is not a column on both sides";
            }
            if (k.type().kind() == ValueType.Kind.FLOAT) {
                return "key column " + t.name() + " is a " + t.columnType() + ", which a join does not pair";
            }
            if ((sourceConn.zeroDatesAsNull() || targetConn.zeroDatesAsNull())
                    && (temporal.contains(s.dataType()) || temporal.contains(t.dataType()))) {
                return "key column " + t.name() + " is a date read with zero_dates: null, which a join does not"
                        + " pair";
            }
            boolean sText = s.collation() != null;
            boolean tText = t.collation() != null;
            if ((sText || tText) && !(sText && tText && s.collation().equals(t.collation()))) {
                return "key column " + k.sourceLabel() + " (" + (sText ? s.collation() : s.columnType())
                        + ") and " + t.name() + " (" + (tText ? t.collation() : t.columnType())
                        + ") do not share a collation, so a join cannot pair them by an index";
            }
        }
        return null;
    }

    /** The comparison of values compared in PostgreSQL type {@code type} ({@link ValueType#canonical}). */
    static ValueType comparedAs(String type) {
        return ValueType.canonical(type);
    }

    @Override
    public Optional<PlanTable> table(MappingCheck check, Session session, ConnectionConfig conn, Side which,
            String written) {
        String side = which == Side.SOURCE ? "source" : "target";
        try {
            Optional<MariaDbTable> t = new MariaDbCatalog(session.connection()).table(written);
            if (t.isEmpty()) {
                check.problem(side + " table '" + written + "' does not exist on connection '" + conn.name()
                        + "' (write it as database.table; an unqualified name is looked up in the database"
                        + " the URL names)");
            }
            return t.map(table -> new MariaDbPlanTable(conn, session, table, MariaDbPlanTable.tableInfo(table)));
        } catch (SQLException e) {
            check.problem(side + " table '" + written + "': " + DatabaseException.reason(e));
            return Optional.empty();
        }
    }
}
