package dev.recon.engines.postgres;

import dev.recon.base.Side;
import dev.recon.catalog.Catalog;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import dev.recon.plan.Catalogs;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.PairPlanner;
import dev.recon.plan.Purpose;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.ValueTypes;
import dev.recon.spi.Engine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a mapping between two PostgreSQL tables, on one server or two: every type pair
 * PostgreSQL can cast, compared in the target column's type.
 */
final class PostgresPlanner implements PairPlanner {
    @Override
    public boolean plans(Engine source, Engine target) {
        return source instanceof PostgresEngine && target instanceof PostgresEngine;
    }

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
    public Optional<MappingPlan> plan(MappingCheck check, ConnectionConfig sourceConn, ConnectionConfig targetConn) {
        return new Pipeline(check).plan(sourceConn, targetConn);
    }

    private static final class Pipeline extends MappingCheck {
        Pipeline(MappingCheck check) {
            super(check);
        }

        Optional<MappingPlan> plan(ConnectionConfig sourceConn, ConnectionConfig targetConn) {
            Session source = handle(sourceConn, "source");
            Session target = handle(targetConn, "target");
            Catalog sourceCatalog = source == null ? null : shared.catalog(sourceConn.name(), "source");
            Catalog targetCatalog = target == null ? null : shared.catalog(targetConn.name(), "target");
            TableInfo sourceTable = source == null ? null
                    : table(sourceCatalog, sourceConn, "source", sync.source().table());
            TableInfo targetTable = target == null ? null
                    : table(targetCatalog, targetConn, "target", sync.target().table());
            if (sourceTable == null || targetTable == null) {
                return Optional.empty();
            }
            int before = problems.size();
            ValueTypes valueTypes = shared.valueTypes(targetConn.name(), targetCatalog);
            sync.source().where().ifPresent(w -> checkWhere(source, sourceTable.sqlName(), sourceTable.displayName(),
                    w));

            Set<String> compared = new HashSet<>(sync.compare());
            List<ColumnMapping> keys = new ArrayList<>();
            sync.key().forEach((s, t) -> mapping("key", s, t, true, sourceTable, targetTable, sourceCatalog,
                    targetCatalog, valueTypes).ifPresent(keys::add));
            List<ColumnMapping> columns = new ArrayList<>();
            sharedColumns(sourceTable, targetTable).forEach((s, t) -> {
                boolean isCompared = compared.isEmpty() || compared.contains(s) || compared.contains(t);
                mapping("columns", s, t, isCompared, sourceTable, targetTable, sourceCatalog, targetCatalog,
                        valueTypes)
                        .ifPresent(columns::add);
            });
            checkCompared(columns);
            boolean multiset = sync.key().isEmpty();
            if (multiset) {
                multisetChecks(targetTable, columns);
            } else if (keys.size() == sync.key().size()) {
                checkKeyUnique(targetTable, keys);
            }
            Optional<SoftDelete> soft = softDelete(targetTable, keys, columns);
            if (purpose == Purpose.SYNC) {
                checkWritable(targetTable, keys, columns, soft);
                checkPrivileges(target, targetConn, targetTable, soft, keys, columns);
            }
            Strategy strategy = strategy(sourceConn, targetConn);
            // a table without a key: every mapped column is a key part, and the copy number tells equal rows apart
            List<ColumnMapping> planKeys = multiset && problems.size() == before
                    ? multisetKey(targetTable, columns, strategy == Strategy.JOIN) : keys;
            List<ColumnMapping> planColumns = multiset ? List.of() : columns;
            if (strategy != Strategy.JOIN && problems.size() == before) {
                checkKeysOrderable(planKeys);
                checkCastsOnSource(source, sourceTable, keys, columns);
            }
            if (problems.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new MappingPlan(sync.name(), sourceConn, sourceTable, sync.source().where(), targetConn,
                    targetTable, planKeys, planColumns, sync.deletes(), soft, sync.skip(), strategy,
                    multiset || sourceKeyUnique(sourceTable, keys), sync.writes(), List.of(),
                    new PostgresSide(sourceConn.engine(), Side.SOURCE, sourceTable),
                    new PostgresSide(targetConn.engine(), Side.TARGET, targetTable)));
        }
    }
}
