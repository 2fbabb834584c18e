package dev.recon.engines.duckdb;

import static dev.recon.plan.MappingCheck.IDENTIFIER;
import static dev.recon.plan.MappingCheck.columnNames;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ColumnRead;
import dev.recon.plan.ValueType;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTable;
import dev.recon.plan.PlanTables;
import dev.recon.spi.Engine;
import java.util.List;
import java.util.Optional;

/**
 * DuckDB in the planner's one pipeline: its tables and files as sources ({@link DuckDbPlanTable}),
 * and the value rules of a DuckDB source column for a PostgreSQL target column
 * ({@link DuckDbValues}), and DuckDB targets: a DuckDB column read as the PostgreSQL source's type, or
 * as the counterpart of its own type when the source is read by the same kind of rules.
 */
final class DuckDbPlanner implements PlanTables, PairRules {
    @Override
    public boolean pairs(Engine source, Engine target) {
        return source instanceof DuckDbEngine || target instanceof DuckDbEngine;
    }

    @Override
    public Optional<Paired> pair(MappingCheck check, String section, String sourceWritten, String targetWritten,
            boolean compared, PlanTable source, PlanTable target) {
        if (target instanceof DuckDbPlanTable into) {
            return intoDuckDb(check, section, sourceWritten, targetWritten, compared, source, into);
        }
        DuckDbPlanTable from = (DuckDbPlanTable) source;
        DuckDbCatalog.Table table = from.table();
        Optional<ColumnInfo> targetColumn = target.info().column(targetWritten);
        if (targetColumn.isEmpty()) {
            check.problem(section + ": target table " + target.info().displayName() + " has no column '"
                    + targetWritten + "' (columns: " + columnNames(target.info()) + ")");
        }
        Optional<DuckDbCatalog.Column> sourceColumn = sourceColumn(check, section, from, sourceWritten);
        if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
            return Optional.empty();
        }
        ColumnInfo t = targetColumn.get();
        DuckDbCatalog.Column c = sourceColumn.get();
        String sql = DuckDbCatalog.quote(c.name());
        if (!target.engine().printsCanonicalText()) {
            // an engine that reads its own columns as a type's canonical text: the counterpart of the target's type
            String compareIn = target.counterpartType(t.name());
            String pair = "source column " + c.name() + " of " + table.displayName() + " (" + c.type()
                    + ") and target column " + t.name() + " of " + target.info().displayName() + " (" + t.type()
                    + ")" + (compareIn == null ? "" : ", compared as " + compareIn);
            if (compareIn == null) {
                check.problem(section + ": " + pair + ": no exact rule for this pair yet (docs/configuration.md"
                        + " lists the pairs recon reads exactly)");
                return Optional.empty();
            }
            DuckDbValues.Rule rule = DuckDbValues.inSection(DuckDbValues.rule(sql, c.type(), compareIn, pair),
                    section, pair);
            if (rule instanceof DuckDbValues.Refused refused) {
                check.problem(section + ": " + refused.reason() + pinIt(table, c));
                return Optional.empty();
            }
            return target.readAs(check, section, t.name(), compareIn, pair).map(targetRead -> new Paired(
                    new ColumnMapping(sourceWritten, sql, false, t.name(), t.type(), compared,
                            ValueType.canonical(compareIn), Optional.empty(), section.equals("key") && !t.notNull(),
                            null, c.type()), (DuckDbValues.Read) rule, targetRead));
        }
        String what = "source column " + c.name() + " of " + table.displayName() + " (" + c.type()
                + ") for target column " + t.name() + " of " + target.info().displayName() + " (" + t.type() + ")";
        DuckDbValues.Rule rule = DuckDbValues.inSection(DuckDbValues.rule(sql, c.type(), t.type(), what),
                section, what);
        if (rule instanceof DuckDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason() + pinIt(table, c));
            return Optional.empty();
        }
        DuckDbValues.Read read = (DuckDbValues.Read) rule;
        return target.comparedIn(check, section, t).map(type -> new Paired(new ColumnMapping(sourceWritten, sql,
                false, t.name(), t.type(), compared, type, Optional.empty(), section.equals("key") && !t.notNull(),
                t.collation(), c.type()), read, null));
    }

    /** For a file's column, how to give it another type than the reader detected; else nothing. */
    private static String pinIt(DuckDbCatalog.Table table, DuckDbCatalog.Column c) {
        return !table.file() ? "" : "; the file's reader read it as " + c.type() + ": pin its type (types: {"
                + c.name() + ": TYPE} on a files: source, or the reader's types = {...}), as docs/configuration.md"
                + " shows";
    }

    /** The column of a DuckDB table or file a mapping names, or empty with the problem. */
    private static Optional<DuckDbCatalog.Column> sourceColumn(MappingCheck check, String section,
            DuckDbPlanTable from, String sourceWritten) {
        DuckDbCatalog.Table table = from.table();
        Optional<DuckDbCatalog.Column> sourceColumn = table.column(sourceWritten);
        if (sourceColumn.isEmpty()) {
            boolean expression = !IDENTIFIER.matcher(sourceWritten).matches();
            check.problem(section + ": source " + (table.file() ? "file " : "table ") + table.displayName()
                    + " has no column '" + sourceWritten + "'" + (expression ? " (an expression over a DuckDB source"
                            + " is not supported yet: map a column)" : "") + (unsplit(table) ? " (DuckDB read the file"
                            + " as one column, '" + table.columns().get(0).name() + "': it found no delimiter it"
                            + " could split every line by; give the file's delimiter, or look for a line with an"
                            + " unterminated quote)" : " (columns: " + String.join(", ", table.columns().stream()
                                    .map(DuckDbCatalog.Column::name).toList()) + ")"));
        }
        return sourceColumn;
    }

    /**
     * A DuckDB target column: compared in a PostgreSQL source's own type, or, from an engine
     * whose columns are read as a type's canonical text (DuckDB, MariaDB), in the PostgreSQL
     * counterpart of the target's type ({@link DuckDbValues#comparisonType}); the DuckDB column
     * is read as that type by {@link DuckDbValues}.
     */
    private Optional<Paired> intoDuckDb(MappingCheck check, String section, String sourceWritten,
            String targetWritten, boolean compared, PlanTable source, DuckDbPlanTable into) {
        DuckDbCatalog.Table table = into.table();
        Optional<DuckDbCatalog.Column> targetColumn = table.column(targetWritten);
        if (targetColumn.isEmpty()) {
            check.problem(section + ": target " + (table.file() ? "file " : "table ") + table.displayName()
                    + " has no column '" + targetWritten + "' (columns: " + String.join(", ", table.columns().stream()
                            .map(DuckDbCatalog.Column::name).toList()) + ")");
        }
        Optional<ColumnInfo> sourceColumn = source instanceof DuckDbPlanTable from
                ? sourceColumn(check, section, from, sourceWritten).flatMap(c -> from.info().column(c.name()))
                : source.info().column(sourceWritten);
        if (sourceColumn.isEmpty() && !(source instanceof DuckDbPlanTable)) {
            boolean expression = !IDENTIFIER.matcher(sourceWritten).matches();
            check.problem(section + ": source table " + source.info().displayName() + " has no column '"
                    + sourceWritten + "'" + (expression ? " (an expression into a DuckDB target is not supported"
                            + " yet: map a column, or a view's)" : "") + " (columns: " + columnNames(source.info())
                    + ")");
        }
        if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
            return Optional.empty();
        }
        DuckDbCatalog.Column t = targetColumn.get();
        ColumnInfo sc = sourceColumn.get();
        boolean canonical = source.engine().printsCanonicalText();
        String compareIn = canonical ? sc.type() : DuckDbValues.comparisonType(t.type());
        String pair = "source column " + sc.name() + " of " + source.info().displayName() + " (" + sc.type()
                + ") and target column " + t.name() + " of " + table.displayName() + " (" + t.type() + ")"
                + (compareIn == null || canonical ? "" : ", compared as " + compareIn);
        if (compareIn == null) {
            check.problem(section + ": " + pair + ": no exact rule for DuckDB's " + t.type() + " yet"
                    + " (docs/configuration.md lists the pairs recon reads exactly)");
            return Optional.empty();
        }
        DuckDbValues.Rule rule = DuckDbValues.inSection(DuckDbValues.rule(DuckDbCatalog.quote(t.name()), t.type(),
                compareIn, pair),
                section, pair);
        if (rule instanceof DuckDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason());
            return Optional.empty();
        }
        if ((t.type().equals("REAL") || t.type().equals("FLOAT")) && compareIn.equals("double precision")) {
            check.problem(section + ": " + pair + ": a double written into a REAL is rounded to its 24 bits, so it"
                    + " would differ again on every run; map it to a DOUBLE column");
            return Optional.empty();
        }
        ColumnRead sourceRead = null;
        if (!canonical) {
            Optional<ColumnRead> read = source.readAs(check, section, sc.name(), compareIn, pair);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            sourceRead = read.get();
        }
        return Optional.of(new Paired(new ColumnMapping(sourceWritten, source.engine().quote(sc.name()), false,
                t.name(), t.type(), compared, ValueType.canonical(compareIn), Optional.empty(),
                section.equals("key") && !t.notNull(), null, sc.type()), sourceRead, (DuckDbValues.Read) rule));
    }

    /** A file read as one column whose name holds a delimiter: its lines were not split into columns. */
    private static boolean unsplit(DuckDbCatalog.Table table) {
        return table.file() && table.columns().size() == 1 && table.columns().get(0).name().matches(".*[,;\\t|].*");
    }

    @Override
    public Optional<PlanTable> table(MappingCheck check, Session session, ConnectionConfig conn, Side which,
            String written) {
        String side = which == Side.SOURCE ? "source" : "target";
        try {
            Optional<DuckDbCatalog.Table> t = DuckDbCatalog.table(session, written);
            if (t.isEmpty()) {
                check.problem(side + " table '" + written + "' does not exist on connection '" + conn.name()
                        + "' (write it as schema.table, or name a file: data/orders.csv, 'export/*.parquet')");
            }
            return t.map(table -> new DuckDbPlanTable(conn, session, table, DuckDbPlanTable.tableInfo(table)));
        } catch (RuntimeException e) {
            String reason = MappingCheck.reason(e);
            check.problem(side + " " + (DuckDbCatalog.isFile(written) ? "file" : "table") + " '" + written
                    + "' on connection '" + conn.name() + "': " + reason + (reason.contains("COLUMN_TYPES error")
                            ? " (types names columns the file does not have as read: a misspelt name, an empty file,"
                                    + " or a file whose first line is not its header)" : "")
                    + (which == Side.TARGET && DuckDbCatalog.isFile(written) ? " (files as a target are read by a diff,"
                            + " never written by a sync)" : ""));
            return Optional.empty();
        }
    }

    /**
     * Two DuckDB sides: joined inside DuckDB ({@link DuckDbJoinDiff}) where one connection reads
     * both (two tables of one database, or a source file, which any DuckDB connection reads by
     * its path), which auto chooses; otherwise merge, or hash when asked.
     */
    @Override
    public Strategy strategy(MappingCheck check, PlanTable source, PlanTable target, List<ColumnMapping> keys) {
        Strategy wanted = check.sync().strategy();
        boolean oneConnection = source.connection().name().equals(target.connection().name())
                || source.connection().sameDatabaseAs(target.connection())
                        && !target.connection().url().equals("jdbc:duckdb:")
                || ((DuckDbPlanTable) source).table().file();
        if (wanted == Strategy.JOIN && !oneConnection) {
            check.problem("strategy join: the source table is in another DuckDB database than the target; a join"
                    + " runs on the target's connection, which reads files and its own tables only; use merge or hash");
        }
        return wanted == Strategy.AUTO ? (oneConnection ? Strategy.JOIN : Strategy.MERGE) : wanted;
    }
}
