package dev.recon.engines.duckdb;

import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
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
        // compared as multisets on either side; a sync into a table without a key is refused (checkWritable)
        return null;
    }

    /** A DuckDB target column compared with a source of its own kind: in the counterpart of its type. */
    @Override
    public Optional<ValueType> comparedIn(MappingCheck check, String section, ColumnInfo column) {
        String type = DuckDbValues.comparisonType(column.type());
        if (type == null) {
            check.problem(section + ": target column " + column.name() + " of " + table.displayName() + " ("
                    + column.type() + "): no exact rule for DuckDB's " + column.type() + " yet (docs/configuration.md"
                    + " lists the pairs recon reads exactly)");
            return Optional.empty();
        }
        return Optional.of(ValueType.canonical(type));
    }

    /** A column read as the canonical text of PostgreSQL type {@code type}, by {@link DuckDbValues}. */
    @Override
    public Optional<ColumnRead> readAs(MappingCheck check, String section, String column, String type, String what) {
        Optional<DuckDbCatalog.Column> c = table.column(column);
        if (c.isEmpty()) {
            check.problem(section + ": " + (table.file() ? "file " : "table ") + table.displayName() + " has no column '"
                    + column + "'");
            return Optional.empty();
        }
        DuckDbValues.Rule rule = DuckDbValues.inSection(DuckDbValues.rule(DuckDbCatalog.quote(c.get().name()),
                c.get().type(), type, what),
                section, what);
        if (rule instanceof DuckDbValues.Refused refused) {
            check.problem(section + ": " + refused.reason());
            return Optional.empty();
        }
        return Optional.of((DuckDbValues.Read) rule);
    }

    @Override
    public String counterpartType(String column) {
        return table.column(column).map(c -> DuckDbValues.comparisonType(c.type())).orElse(null);
    }

    /** A file has no constraints: its keys are checked as the merge reads them. */
    @Override
    public boolean constrained() {
        return !table.file();
    }

    @Override
    public void checkWhere(MappingCheck check, String where) {
        check.checkWhere(session, table.relation(), table.displayName() + " (DuckDB's SQL)", where);
    }

    /** A DuckDB target deletes rows, or leaves them; a soft-delete marker is not supported yet. */
    @Override
    public Optional<SoftDelete> softDelete(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns) {
        if (check.sync().deletes() instanceof DeletePolicy.Soft) {
            check.problem("deletes.soft: a DuckDB target does not support a soft-delete marker yet; use deletes:"
                    + " delete or ignore");
        }
        return Optional.empty();
    }

    /**
     * A sync writes a DuckDB table of a database file opened for writing, never a file read as a
     * table; every mapped column a plain column of it.
     */
    @Override
    public void checkWritable(MappingCheck check, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft) {
        if (table.file()) {
            check.problem("target " + table.displayName() + " is a file read as a table, which recon never writes:"
                    + " a file can be the source of a sync, or either side of a diff; sync into a table of a"
                    + " database (DuckDB's, PostgreSQL's, MariaDB's)");
            return;
        }
        if (keys.isEmpty()) {
            check.problem("target table " + table.displayName() + " has no key: a sync into a DuckDB table without"
                    + " one is not supported yet (recon could not tell which of equal rows to delete); give the"
                    + " table a primary key, or diff it");
        }
        String url = connection.url().substring("jdbc:duckdb:".length());
        if (url.isEmpty() || url.startsWith(":memory:")) {
            check.problem("target table " + table.displayName() + " is in an in-memory DuckDB database ("
                    + connection.url() + "), which ends with the run: give the connection a database file"
                    + " (jdbc:duckdb:/path/file.duckdb)");
        }
        if ("true".equalsIgnoreCase(String.valueOf(connection.properties().get("duckdb.read_only")))) {
            check.problem("target table " + table.displayName() + ": connection '" + connection.name() + "' opens"
                    + " its database read-only (properties: duckdb.read_only); a sync writes it");
        }
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
