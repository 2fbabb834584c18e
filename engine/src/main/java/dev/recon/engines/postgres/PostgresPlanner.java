package dev.recon.engines.postgres;

import dev.recon.base.Side;
import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import dev.recon.plan.Catalogs;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ColumnRead;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PairRules;
import dev.recon.plan.PlanTable;
import dev.recon.plan.PlanTables;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.ValueType;
import dev.recon.spi.Engine;
import dev.recon.sql.Sql;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL in the planner's one pipeline: its tables from its catalog, and the value rules
 * between two PostgreSQL tables, on one server or two: every type pair PostgreSQL can cast,
 * compared in the target column's type ({@code ColumnPairing}).
 */
final class PostgresPlanner implements PlanTables, PairRules {
    /** Every table of the run on one connection read at once, not four queries a table. */
    @Override
    public void prefetch(Catalogs catalogs, ConnectionConfig connection, String side, List<String> tables) {
        Catalog catalog = catalogs.catalog(connection.name(), side);
        if (catalog != null && tables.size() > 1) {
            try {
                catalog.resolve(tables);
            } catch (RuntimeException e) {
                // each mapping then reads its own tables, and reports what fails
            }
        }
    }

    @Override
    public Optional<PlanTable> table(MappingCheck check, Session session, ConnectionConfig connection, Side side,
            String written) {
        String label = side == Side.SOURCE ? "source" : "target";
        Catalog catalog = check.catalogs().catalog(connection.name(), label);
        return Optional.ofNullable(check.table(catalog, connection, label, written))
                .map(t -> new PostgresTable(connection, session, catalog, t));
    }

    @Override
    public Strategy strategy(MappingCheck check, PlanTable source, PlanTable target, List<ColumnMapping> keys) {
        return check.strategy(source.connection(), target.connection());
    }

    @Override
    public boolean pairs(Engine source, Engine target) {
        return source instanceof PostgresEngine && target instanceof PostgresEngine;
    }

    @Override
    public Optional<Paired> pair(MappingCheck check, String section, String sourceWritten, String targetWritten,
            boolean compared, PlanTable source, PlanTable target) {
        PostgresTable s = (PostgresTable) source;
        PostgresTable t = (PostgresTable) target;
        return check.mapping(section, sourceWritten, targetWritten, compared, s.info(), t.info(), s.catalog(),
                t.catalog(), t.valueTypes(check)).map(m -> new Paired(m, null, null));
    }

    /** A PostgreSQL table of a mapping, with its server's catalog. */
    record PostgresTable(ConnectionConfig connection, Session session, Catalog catalog, TableInfo info)
            implements PlanTable {
        @Override
        public Engine engine() {
            return connection.engine();
        }

        dev.recon.plan.ValueTypes valueTypes(MappingCheck check) {
            return check.catalogs().valueTypes(connection.name(), catalog);
        }

        @Override
        public Optional<ValueType> comparedIn(MappingCheck check, String section, ColumnInfo column) {
            try {
                ValueType type = valueTypes(check).of(column);
                return Optional.of(column.collationDeterministic() ? type : type.askingTheTarget());
            } catch (RuntimeException e) {
                check.problem(section + ": cannot read the type of target column '" + column.name() + "': "
                        + MappingCheck.reason(e));
                return Optional.empty();
            }
        }

        @Override
        public Optional<ColumnInfo> describe(MappingCheck check, String section, String expression) {
            String unfit = Sql.notSelfContained(expression);
            if (unfit != null) {
                check.problem(section + ": source expression '" + expression + "' is not one expression: " + unfit
                        + " (recon places it inside its own queries, in parentheses)");
                return Optional.empty();
            }
            try {
                Catalog.ExpressionType type = catalog.expressionType(info, expression);
                String name = type.name();
                int typmod = name.equals("numeric") ? catalog.expressionTypmod(info, expression) : -1;
                if (typmod >= 4) {
                    name = "numeric(" + (((typmod - 4) >> 16) & 0xffff) + "," + ((typmod - 4) & 0xffff) + ")";
                }
                return Optional.of(new ColumnInfo(expression, name, type.oid(), type.category(), false, false, false));
            } catch (RuntimeException e) {
                check.problem(section + ": source expression '" + expression + "' is not valid on "
                        + info.displayName() + ": " + MappingCheck.reason(e));
                return Optional.empty();
            }
        }

        @Override
        public boolean sliceable() {
            return true;
        }

        @Override
        public void checkWhere(MappingCheck check, String where) {
            check.checkWhere(session, info.sqlName(), info.displayName(), where);
        }

        @Override
        public Optional<SoftDelete> softDelete(MappingCheck check, List<ColumnMapping> keys,
                List<ColumnMapping> columns) {
            return check.softDelete(info, keys, columns);
        }

        @Override
        public void checkWritable(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns,
                Optional<SoftDelete> soft) {
            check.checkWritable(info, keys, columns, soft);
            check.checkPrivileges(session, connection, info, soft, keys, columns);
        }

        @Override
        public boolean keyUnique(MappingCheck check, List<ColumnMapping> keys) {
            return check.sourceKeyUnique(info, keys);
        }

        @Override
        public void checkReads(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns) {
            check.checkCastsOnSource(session, info, keys, columns);
        }

        @Override
        public SidePlan side(Side side, List<ColumnRead> reads, List<String> names, int keys, Optional<String> where,
                Engine other, Optional<SoftDelete> soft) {
            return new PostgresSide(engine(), side, info);
        }
    }
}
