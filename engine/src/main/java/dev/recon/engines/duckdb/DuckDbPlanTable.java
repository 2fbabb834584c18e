package dev.recon.engines.duckdb;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A DuckDB table or file of a mapping, as the planner's one pipeline asks of it: a source,
 * compared by key; its filter in DuckDB's SQL; each column read by the rule of its pair
 * ({@link DuckDbValues}).
 */
record DuckDbPlanTable(ConnectionConfig connection, Session session, DuckDbCatalog.Table table, TableInfo info)
        implements PlanTable {
    @Override
    public Engine engine() {
        return connection.engine();
    }

    @Override
    public String sqlName() {
        return table.relation();
    }

    @Override
    public String keyedOnly(Side side) {
        return "a DuckDB source";
    }

    @Override
    public Optional<ValueType> comparedIn(MappingCheck check, String section, ColumnInfo column) {
        check.problem(DuckDbEngine.NOT_A_TARGET);
        return Optional.empty();
    }

    @Override
    public void checkWhere(MappingCheck check, String where) {
        check.checkWhere(session, table.relation(), table.displayName() + " (DuckDB's SQL)", where);
    }

    @Override
    public Optional<SoftDelete> softDelete(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns) {
        return Optional.empty();
    }

    @Override
    public void checkWritable(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft) {
        check.problem(DuckDbEngine.NOT_A_TARGET);
    }

    /** True when a primary key or unique constraint of the DuckDB table covers exactly the key columns, NOT NULL. */
    @Override
    public boolean keyUnique(MappingCheck check, List<ColumnMapping> keys) {
        Set<String> names = new HashSet<>();
        for (ColumnMapping k : keys) {
            Optional<DuckDbCatalog.Column> c = table.column(k.sourceLabel());
            if (c.isEmpty() || k.targetNullable() && !c.get().notNull()) {
                return false;
            }
            names.add(c.get().name());
        }
        return table.uniques().stream().anyMatch(u -> Set.copyOf(u).equals(names));
    }

    @Override
    public SidePlan side(Side side, List<ColumnRead> reads, List<String> names, int keys, Optional<String> where,
            Engine other, Optional<SoftDelete> soft) {
        return new DuckDbSide(engine(), table, reads.stream().map(DuckDbValues.Read.class::cast).toList(), names,
                keys, where.orElse(null));
    }

    /** The columns of a DuckDB table or file as recon's reports and checks list them. */
    static TableInfo tableInfo(DuckDbCatalog.Table table) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (DuckDbCatalog.Column c : table.columns()) {
            columns.add(new ColumnInfo(c.name(), c.type(), 0, "", c.notNull(), false, false));
        }
        List<Set<String>> unique = new ArrayList<>();
        table.uniques().forEach(u -> unique.add(Set.copyOf(u)));
        return new TableInfo(table.schema(), table.name(), columns, unique, false);
    }
}
