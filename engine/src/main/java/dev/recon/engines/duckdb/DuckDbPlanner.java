package dev.recon.engines.duckdb;

import static dev.recon.plan.MappingCheck.IDENTIFIER;
import static dev.recon.plan.MappingCheck.columnNames;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
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
 * ({@link DuckDbValues}). A DuckDB target, and a DuckDB source into another engine, are refused.
 */
final class DuckDbPlanner implements PlanTables, PairRules {
    @Override
    public boolean pairs(Engine source, Engine target) {
        return source instanceof DuckDbEngine || target instanceof DuckDbEngine;
    }

    @Override
    public Optional<Paired> pair(MappingCheck check, String section, String sourceWritten, String targetWritten,
            boolean compared, PlanTable source, PlanTable target) {
        if (target instanceof DuckDbPlanTable) {
            check.problem(DuckDbEngine.NOT_A_TARGET);
            return Optional.empty();
        }
        if (!target.engine().printsCanonicalText()) {
            check.problem(section + ": a DuckDB source is compared with a PostgreSQL target only so far, not with a "
                    + target.engine().label() + " one");
            return Optional.empty();
        }
        DuckDbPlanTable from = (DuckDbPlanTable) source;
        DuckDbCatalog.Table table = from.table();
        Optional<ColumnInfo> targetColumn = target.info().column(targetWritten);
        if (targetColumn.isEmpty()) {
            check.problem(section + ": target table " + target.info().displayName() + " has no column '"
                    + targetWritten + "' (columns: " + columnNames(target.info()) + ")");
        }
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
        if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
            return Optional.empty();
        }
        ColumnInfo t = targetColumn.get();
        DuckDbCatalog.Column c = sourceColumn.get();
        String what = "source column " + c.name() + " of " + table.displayName() + " (" + c.type()
                + ") for target column " + t.name() + " of " + target.info().displayName() + " (" + t.type() + ")";
        String sql = DuckDbCatalog.quote(c.name());
        DuckDbValues.Rule rule = DuckDbValues.rule(sql, c.type(), t.type(), what);
        if (rule instanceof DuckDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason());
            return Optional.empty();
        }
        DuckDbValues.Read read = (DuckDbValues.Read) rule;
        return target.comparedIn(check, section, t).map(type -> new Paired(new ColumnMapping(sourceWritten, sql,
                false, t.name(), t.type(), compared, type, Optional.empty(), section.equals("key") && !t.notNull(),
                t.collation(), c.type()), read, null));
    }

    /** A file read as one column whose name holds a delimiter: its lines were not split into columns. */
    private static boolean unsplit(DuckDbCatalog.Table table) {
        return table.file() && table.columns().size() == 1 && table.columns().get(0).name().matches(".*[,;\\t|].*");
    }

    @Override
    public Optional<PlanTable> table(MappingCheck check, Session session, ConnectionConfig conn, Side which,
            String written) {
        if (which == Side.TARGET) {
            check.problem("target table '" + written + "' on connection '" + conn.name() + "': "
                    + DuckDbEngine.NOT_A_TARGET);
            return Optional.empty();
        }
        try {
            Optional<DuckDbCatalog.Table> t = DuckDbCatalog.table(session, written);
            if (t.isEmpty()) {
                check.problem("source table '" + written + "' does not exist on connection '" + conn.name()
                        + "' (write it as schema.table, or name a file: data/orders.csv, 'export/*.parquet')");
            }
            return t.map(table -> new DuckDbPlanTable(conn, session, table, DuckDbPlanTable.tableInfo(table)));
        } catch (RuntimeException e) {
            check.problem("source " + (DuckDbCatalog.isFile(written) ? "file" : "table") + " '" + written
                    + "' on connection '" + conn.name() + "': " + MappingCheck.reason(e));
            return Optional.empty();
        }
    }

    @Override
    public Strategy strategy(MappingCheck check, PlanTable source, PlanTable target, List<ColumnMapping> keys) {
        return Strategy.MERGE;
    }
}
