package dev.recon.plan;

import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.Engine;
import dev.recon.config.MappingConfig;
import dev.recon.config.Operation;
import dev.recon.config.ReconConfig;
import dev.recon.config.Strategy;
import dev.recon.mariadb.MariaDbCatalog;
import dev.recon.mariadb.MariaDbColumn;
import dev.recon.mariadb.MariaDbSql;
import dev.recon.mariadb.MariaDbTable;
import dev.recon.mariadb.MariaDbValues;
import dev.recon.pg.DatabaseException;
import dev.recon.pg.Databases;
import dev.recon.pg.Session;
import dev.recon.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks every mapping against the live catalogs and turns it into a {@link MappingPlan}.
 * Reads metadata only (probe queries end in {@code WHERE false} or {@code LIMIT 0}); every
 * problem of every mapping is gathered before one {@link PlanException} is thrown.
 */
public final class Planner {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    /** Type categories whose members compare with one another after a cast to the target type. */
    private static final Set<String> COMPARABLE_CATEGORIES = Set.of("N", "S", "D", "B", "T", "V", "I");

    private final ReconConfig config;
    private final Databases databases;

    public Planner(ReconConfig config, Databases databases) {
        this.config = config;
        this.databases = databases;
    }

    /** The plans of a run, and the selected tables of schema entries that cannot be compared (by name). */
    /** The plans, the refused mappings (name to why), and every selected mapping's name in the file's order. */
    public record Planned(List<MappingPlan> plans, Map<String, String> refused, List<String> order) {
    }

    /**
     * Plans the named mappings (all when {@code only} is empty; a schema entry's name selects
     * its tables). Every problem is listed at once, the refused tables of schema entries too.
     */
    public List<MappingPlan> plan(Collection<String> only, Purpose purpose) {
        Planned planned = plan(only, purpose, true);
        return planned.plans();
    }

    /**
     * Plans a run: as {@link #plan}, except that a schema entry's table that cannot be
     * compared (no target table, no key) does not stop the others; it is the run's error.
     */
    public Planned planRun(Collection<String> only, Purpose purpose) {
        return plan(only, purpose, false);
    }

    private Planned plan(Collection<String> only, Purpose purpose, boolean refusedAreProblems) {
        List<String> problems = new ArrayList<>();
        Set<String> selected = new HashSet<>();
        for (String name : only) {
            List<String> names = config.select(name);
            if (names.isEmpty()) {
                // a schema entry's table refused at expansion is defined too (--sync names it; its error says why)
                problems.add("no mapping named '" + name + "' (defined: " + String.join(", ",
                        Stream.of(config.order().stream(), config.mappings().stream().map(MappingConfig::group)
                                .filter(Objects::nonNull)).flatMap(x -> x).distinct().toList()) + ")");
            }
            selected.addAll(names);
        }
        if (!problems.isEmpty()) {
            throw new PlanException("--sync names a mapping the file does not define:", problems);
        }
        Map<String, String> refused = new LinkedHashMap<>();
        config.refused().forEach((name, why) -> {
            if (only.isEmpty() || selected.contains(name)) {
                if (refusedAreProblems) {
                    problems.add(why);
                } else {
                    refused.put(name, why);
                }
            }
        });
        List<MappingPlan> plans = new ArrayList<>();
        // a run's plan hands its connections on to the run's first read snapshots
        Catalogs shared = new Catalogs(!refusedAreProblems);
        try {
            // every table of the run read at once per connection, not four queries a table
            Map<String, List<String>> tables = new LinkedHashMap<>();
            Map<String, String> sides = new HashMap<>();
            for (MappingConfig sync : config.mappings()) {
                if (only.isEmpty() || selected.contains(sync.name())) {
                    tables.computeIfAbsent(sync.source().connection(), c -> new ArrayList<>()).add(sync.source().table());
                    tables.computeIfAbsent(sync.target().connection(), c -> new ArrayList<>()).add(sync.target().table());
                    sides.putIfAbsent(sync.source().connection(), "source");
                    sides.putIfAbsent(sync.target().connection(), "target");
                }
            }
            tables.forEach((connection, names) -> {
                if (config.connection(connection).engine() != Engine.POSTGRESQL) {
                    return; // a MariaDB source's table is read by its mapping
                }
                Catalog catalog = shared.catalog(connection, sides.get(connection));
                if (catalog != null && names.size() > 1) {
                    try {
                        catalog.resolve(names);
                    } catch (RuntimeException e) {
                        // each mapping then reads its own tables, and reports what fails
                    }
                }
            });
            for (MappingConfig sync : config.mappings()) {
                if (only.isEmpty() || selected.contains(sync.name())) {
                    if (sync.group() != null && !refusedAreProblems) {
                        // a table of a schema entry that cannot run is an error of that table alone
                        List<String> own = new ArrayList<>();
                        Optional<MappingPlan> plan = new MappingCheck(sync, purpose, shared, own).plan();
                        if (own.isEmpty()) {
                            plan.ifPresent(plans::add);
                        } else {
                            refused.put(sync.name(), String.join("; ", own));
                        }
                        continue;
                    }
                    new MappingCheck(sync, purpose, shared, problems).plan().ifPresent(plans::add);
                }
            }
        } finally {
            shared.close();
        }
        if (!problems.isEmpty()) {
            throw new PlanException("the mappings cannot run as written (" + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "); nothing was read or written:", problems);
        }
        List<String> order = config.order().stream()
                .filter(name -> only.isEmpty() || selected.contains(name)).toList();
        return new Planned(plans, refused, order);
    }

    /**
     * What the mappings of one plan share per connection: its handle (opened once; null when
     * it cannot connect), its catalog with the tables read so far, and the value types
     * decided for its columns' types.
     */
    private final class Catalogs implements AutoCloseable {
        private final Map<String, Session> handles = new LinkedHashMap<>();
        private final Map<String, Catalog> catalogs = new HashMap<>();
        private final Map<String, ValueTypes> valueTypes = new HashMap<>();
        /** Why a connection could not be opened, by its name. */
        private final Map<String, String> failures = new HashMap<>();
        /** Offer the connections to the run's read snapshots instead of closing them. */
        private final boolean handOn;

        Catalogs(boolean handOn) {
            this.handOn = handOn;
        }

        @Override
        public void close() {
            handles.forEach((name, session) -> {
                if (session != null && handOn) {
                    databases.offer(config.connection(name), session.connection());
                } else if (session != null) {
                    session.close();
                }
            });
        }

        /** The connection's handle, opened once; null when it cannot connect ({@link #failure} says why). */
        Session handle(ConnectionConfig conn, String side) {
            if (!handles.containsKey(conn.name())) {
                try {
                    handles.put(conn.name(), databases.open(conn, side));
                } catch (RuntimeException e) {
                    failures.put(conn.name(), e.getMessage());
                    handles.put(conn.name(), null);
                }
            }
            return handles.get(conn.name());
        }

        String failure(String connection) {
            return failures.get(connection);
        }

        /** The connection's catalog, or null when it cannot connect. */
        Catalog catalog(String connection, String side) {
            Session h = handle(config.connection(connection), side);
            return h == null ? null : catalogs.computeIfAbsent(connection, c -> new Catalog(h));
        }

        ValueTypes valueTypes(String connection, Catalog catalog) {
            return valueTypes.computeIfAbsent(connection, c -> new ValueTypes(catalog));
        }
    }

    /** The checks of one mapping; each problem is prefixed with the mapping's name. */
    private final class MappingCheck {
        private final MappingConfig sync;
        private final Purpose purpose;
        private final Catalogs shared;
        private final List<String> problems;

        MappingCheck(MappingConfig sync, Purpose purpose, Catalogs shared, List<String> problems) {
            this.sync = sync;
            this.purpose = purpose;
            this.shared = shared;
            this.problems = problems;
        }

        private void problem(String text) {
            problems.add("mapping '" + sync.name() + "': " + text);
        }

        Optional<MappingPlan> plan() {
            ConnectionConfig sourceConn = config.connection(sync.source().connection());
            ConnectionConfig targetConn = config.connection(sync.target().connection());
            if (targetConn.engine() == Engine.MARIADB) {
                return new MariaDbTargetCheck().plan(sourceConn, targetConn);
            }
            if (sourceConn.engine() == Engine.MARIADB) {
                return new MariaDbCheck().plan(sourceConn, targetConn);
            }
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
                    multiset || sourceKeyUnique(sourceTable, keys), sync.writes(), List.of(), Optional.empty(),
                    Optional.empty()));
        }

        /** With columns shared by name, each {@code compare} entry must name one of them. */
        private void checkCompared(List<ColumnMapping> columns) {
            if (!sync.sharedColumns()) {
                return;
            }
            for (String c : sync.compare()) {
                if (columns.stream().noneMatch(m -> m.targetColumn().equals(c) || m.sourceLabel().equals(c))) {
                    problem("compare: '" + c + "' is not a column both tables have (shared: " + String.join(", ",
                            columns.stream().map(ColumnMapping::targetColumn).toList()) + ")");
                }
            }
        }

        /**
         * A table without a key is compared as a multiset of its mapped columns: it needs some,
         * and neither {@code compare} (every column is compared) nor soft deletes (a soft-deleted
         * copy has no key to be revived by).
         */
        private void multisetChecks(TableInfo targetTable, List<ColumnMapping> columns) {
            if (columns.isEmpty()) {
                problem("target table " + targetTable.displayName() + " has no key, so it is compared as a multiset"
                        + " of its mapped columns, but no column is mapped");
            }
            if (!sync.compare().isEmpty()) {
                problem("compare: a table without a key is compared as a multiset of all its mapped columns;"
                        + " remove compare, or give a key");
            }
            if (sync.deletes() instanceof DeletePolicy.Soft) {
                problem("deletes.soft needs a key: target table " + targetTable.displayName() + " has none, so its"
                        + " rows are compared as a multiset and a surplus copy can only be deleted; use deletes:"
                        + " delete or ignore, or give a key");
            }
        }

        /**
         * The key of a multiset: every mapped column (NULLs match NULLs where the target allows
         * them; a type whose equal values may print differently is compared by its text, so that
         * joining, numbering copies, sorting and hashing all agree), then the copy number.
         */
        private List<ColumnMapping> multisetKey(TableInfo targetTable, List<ColumnMapping> columns, boolean join) {
            List<ColumnMapping> parts = new ArrayList<>();
            for (ColumnMapping m : columns) {
                boolean nullable = targetTable.column(m.targetColumn()).map(c -> !c.notNull()).orElse(true);
                ValueType t = m.type().byItsTextWhenAmbiguous();
                parts.add(new ColumnMapping(m.sourceLabel(), m.sourceSql(), m.sourceIsExpression(), m.targetColumn(),
                        m.targetType(), true, t, m.fit(), nullable, m.targetCollation(), m.sourceType()));
            }
            parts.add(ColumnMapping.copyNumber(parts, join));
            return parts;
        }

        /**
         * The mapped columns: as the file lists them, or, when it gives no {@code columns}, every
         * column both tables have by name, in the target's order, except the key, generated
         * target columns and the soft-delete marker.
         */
        private Map<String, String> sharedColumns(TableInfo sourceTable, TableInfo targetTable) {
            if (!sync.sharedColumns()) {
                return sync.columns();
            }
            Map<String, String> shared = new LinkedHashMap<>();
            String marker = sync.deletes() instanceof DeletePolicy.Soft soft ? soft.column() : null;
            for (ColumnInfo c : targetTable.columns()) {
                if (sync.key().containsValue(c.name()) || c.generated() || c.name().equals(marker)) {
                    continue;
                }
                // a renamed column comes from its source name; the others from the same name
                String from = sync.rename().entrySet().stream().filter(r -> r.getValue().equals(c.name()))
                        .map(Map.Entry::getKey).findFirst().orElse(c.name());
                if (sourceTable.columns().stream().anyMatch(s -> s.name().equals(from))) {
                    shared.put(from, c.name());
                }
            }
            return shared;
        }

        private Session handle(ConnectionConfig conn, String side) {
            Session h = shared.handle(conn, side);
            // reported once when both sides use the connection
            boolean reported = side.equals("target") && conn.name().equals(sync.source().connection());
            if (h == null && !reported) {
                problem(shared.failure(conn.name()));
            }
            return h;
        }

        private TableInfo table(Catalog catalog, ConnectionConfig conn, String side, String written) {
            try {
                Optional<TableInfo> t = catalog.table(written);
                if (t.isEmpty()) {
                    problem(side + " table '" + written + "' does not exist on connection '" + conn.name()
                            + "' (write it as schema.table; unqualified names follow the search_path"
                            + (!written.contains("\"") && !written.equals(written.toLowerCase(Locale.ROOT))
                                    ? "; PostgreSQL folds unquoted names to lower case, so a mixed-case name is"
                                            + " written in double quotes, e.g. " + quotedParts(written) : "")
                            + ")");
                }
                return t.orElse(null);
            } catch (RuntimeException e) {
                problem(side + " table '" + written + "': " + reason(e));
                return null;
            }
        }

        /** The filter is one condition that {@code table} (its SQL name; {@code shown} in messages) accepts. */
        private void checkWhere(Session source, String table, String shown, String where) {
            String unfit = Sql.notSelfContained(where);
            if (unfit != null) {
                problem("source.where '" + where + "' is not one condition: " + unfit + " (recon places it inside"
                        + " its own queries, in parentheses)");
                return;
            }
            try {
                source.list("SELECT 1 FROM " + table + " WHERE (" + where + ") LIMIT 0", rs -> 0);
            } catch (RuntimeException e) {
                problem("source.where '" + where + "' is not a valid condition on " + shown + ": " + reason(e));
            }
        }

        private Optional<ColumnMapping> mapping(String section, String sourceWritten, String targetWritten,
                boolean compared, TableInfo sourceTable, TableInfo targetTable, Catalog sourceCatalog,
                Catalog targetCatalog, ValueTypes valueTypes) {
            Optional<ColumnInfo> targetColumn = targetTable.column(targetWritten);
            if (targetColumn.isEmpty()) {
                problem(section + ": target table " + targetTable.displayName() + " has no column '" + targetWritten
                        + "' (columns: " + columnNames(targetTable) + ")");
            }
            Optional<ColumnInfo> sourceColumn = sourceTable.column(sourceWritten);
            Catalog.ExpressionType sourceType = null;
            int sourceTypmod = -1;
            String sourceSql;
            boolean expression = false;
            if (sourceColumn.isPresent()) {
                ColumnInfo c = sourceColumn.get();
                sourceSql = Sql.quote(c.name());
                sourceType = new Catalog.ExpressionType(c.type(), c.typeOid(), c.typeCategory());
                sourceTypmod = c.typmod();
            } else if (IDENTIFIER.matcher(sourceWritten).matches()) {
                problem(section + ": source table " + sourceTable.displayName() + " has no column '" + sourceWritten
                        + "' (columns: " + columnNames(sourceTable) + ")");
                return Optional.empty();
            } else {
                expression = true;
                String unfit = Sql.notSelfContained(sourceWritten);
                if (unfit != null) {
                    problem(section + ": source expression '" + sourceWritten + "' is not one expression: " + unfit
                            + " (recon places it inside its own queries, in parentheses)");
                    return Optional.empty();
                }
                sourceSql = "(" + sourceWritten + ")";
                try {
                    sourceType = sourceCatalog.expressionType(sourceTable, sourceWritten);
                    if ("numeric".equals(sourceType.name())) {
                        // "price::numeric(10,2)" fits a numeric(10,2) column: its modifier says so
                        sourceTypmod = sourceCatalog.expressionTypmod(sourceTable, sourceWritten);
                    }
                } catch (RuntimeException e) {
                    problem(section + ": source expression '" + sourceWritten + "' is not valid on "
                            + sourceTable.displayName() + ": " + reason(e));
                    return Optional.empty();
                }
            }
            if (targetColumn.isEmpty()) {
                return Optional.empty();
            }
            ColumnInfo t = targetColumn.get();
            if (!comparable(sourceType, t, targetCatalog)) {
                problem(section + ": source " + (expression ? "expression '" : "column '") + sourceWritten + "' ("
                        + sourceType.name() + ") cannot be compared with target column '" + t.name() + "' ("
                        + t.type() + "); convert it explicitly, e.g. map \"" + sourceWritten + "::"
                        // a user type may not exist on the source's server; its text form always does
                        + (t.typeOid() < 16384 ? t.type() : "text") + "\" to " + t.name());
                return Optional.empty();
            }
            ValueType type;
            try {
                type = t.collationDeterministic() ? valueTypes.of(t) : valueTypes.of(t).askingTheTarget();
            } catch (RuntimeException e) {
                problem(section + ": cannot read the type of target column '" + t.name() + "': " + reason(e));
                return Optional.empty();
            }
            return Optional.of(new ColumnMapping(sourceWritten, sourceSql, expression, t.name(), t.type(), compared,
                    type, valueTypes.fit(sourceType, sourceTypmod, t), section.equals("key") && !t.notNull(), t.collation(),
                    sourceType.name()));
        }

        private boolean comparable(Catalog.ExpressionType source, ColumnInfo target, Catalog targetCatalog) {
            boolean builtIn = source.oid() < 16384;
            if ((source.oid() == target.typeOid() && builtIn) || "X".equals(source.category())) {
                return true;
            }
            // a user type (enum, domain, extension) of the same name: the same type on another server
            if (!builtIn && source.name().equals(target.type().replaceAll("\\(.*\\)$", ""))) {
                return true;
            }
            // enums compare by their labels, so text and enums compare with one another
            Set<String> labels = Set.of("S", "E");
            if (labels.contains(source.category()) && labels.contains(target.typeCategory())
                    && ("E".equals(source.category()) || "E".equals(target.typeCategory()))) {
                return true;
            }
            if (source.category().equals(target.typeCategory())
                    && COMPARABLE_CATEGORIES.contains(source.category())) {
                return true;
            }
            // Oids of built-in types are the same on every server; user types must match by name.
            return source.oid() < 16384 && targetCatalog.assignable(source.oid(), target.typeOid());
        }

        /**
         * True when no two source rows can have one key: a unique index over exactly the key
         * columns (never on a view), NOT NULL where the target would match NULLs, and each
         * mapped without a conversion that could turn two values into one.
         */
        private boolean sourceKeyUnique(TableInfo source, List<ColumnMapping> keys) {
            Set<String> columns = new HashSet<>();
            for (ColumnMapping k : keys) {
                if (k.sourceIsExpression()) {
                    return false;
                }
                ColumnInfo c = source.column(k.sourceLabel()).orElse(null);
                if (c == null || (k.targetNullable() && !c.notNull()) || !injective(c.type(), k)) {
                    return false;
                }
                columns.add(c.name());
            }
            return source.isUniqueOn(columns);
        }

        private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

        private boolean injective(String sourceType, ColumnMapping k) {
            if (k.type().kind() == ValueType.Kind.OTHER) {
                return false; // equal values that print differently: 'A' and 'a' under a case-insensitive collation
            }
            String compare = k.type().compareType();
            if (sourceType.equals(compare) || sourceType.equals(k.targetType()) && !k.type().castTarget()
                    && k.type().padTo() == 0) {
                return true;
            }
            if (INTEGER_TYPES.contains(sourceType) && INTEGER_TYPES.contains(compare)) {
                return true;
            }
            boolean sourceText = sourceType.equals("text") || sourceType.startsWith("character varying");
            return sourceText && (compare.equals("text") || compare.equals("pg_catalog.\"varchar\""));
        }

        private void checkKeyUnique(TableInfo target, List<ColumnMapping> keys) {
            checkKeyUnique(target, target.sqlName(), keys);
        }

        /** The same; {@code sqlName} is the table as its engine's SQL names it (for the advice). */
        private void checkKeyUnique(TableInfo target, String sqlName, List<ColumnMapping> keys) {
            Set<String> keyColumns = new HashSet<>();
            keys.forEach(k -> keyColumns.add(k.targetColumn()));
            if (!target.isUniqueOn(keyColumns)) {
                problem("key: no primary key or unique constraint on target table " + target.displayName()
                        + " covers exactly (" + String.join(", ", keyColumns.stream().sorted().toList())
                        + "); add one (ALTER TABLE " + sqlName + " ADD UNIQUE (...)) or map the key"
                        + " to the columns of an existing one");
            }
        }

        private Optional<SoftDelete> softDelete(TableInfo target, List<ColumnMapping> keys,
                List<ColumnMapping> columns) {
            if (!(sync.deletes() instanceof DeletePolicy.Soft soft)) {
                return Optional.empty();
            }
            Optional<ColumnInfo> c = target.column(soft.column());
            if (c.isEmpty()) {
                problem("deletes.soft: target table " + target.displayName() + " has no column '" + soft.column()
                        + "'");
                return Optional.empty();
            }
            ColumnInfo col = c.get();
            // as written too: a mapped column with a problem of its own is not among the checked ones
            boolean mapped = keys.stream().anyMatch(k -> k.targetColumn().equals(col.name()))
                    || columns.stream().anyMatch(k -> k.targetColumn().equals(col.name()))
                    || sync.key().containsValue(col.name()) || sync.columns().containsValue(col.name());
            if (mapped) {
                problem("deletes.soft: column '" + col.name() + "' is also mapped; the soft-delete marker must be"
                        + " a column that only recon writes");
            }
            boolean isBoolean = col.type().equals("boolean");
            if (!isBoolean && !"D".equals(col.typeCategory())) {
                problem("deletes.soft: column '" + col.name() + "' is " + col.type()
                        + "; it must be boolean (set true) or a date/timestamp (set to now())");
            }
            return Optional.of(new SoftDelete(col.name(), isBoolean));
        }

        private void checkWritable(TableInfo target, List<ColumnMapping> keys, List<ColumnMapping> columns,
                Optional<SoftDelete> soft) {
            Set<String> written = new HashSet<>();
            keys.forEach(k -> written.add(k.targetColumn()));
            columns.forEach(k -> written.add(k.targetColumn()));
            soft.ifPresent(s -> written.add(s.column()));
            for (ColumnInfo c : target.columns()) {
                if (written.contains(c.name()) && c.generated()) {
                    problem("target column '" + c.name() + "' of " + target.displayName()
                            + " is a generated column and cannot be written; remove it from the mapping");
                }
                if (!written.contains(c.name()) && c.notNull() && !c.hasDefault() && !c.generated()) {
                    problem("target column '" + c.name() + "' of " + target.displayName()
                            + " is NOT NULL without a default and is not mapped; inserts would fail."
                            + " Map a source column or expression to it");
                }
            }
        }

        /**
         * The target role may write what the sync writes: INSERT for inserts, UPDATE for
         * updates, upserts and soft deletes, DELETE for deletes. A missing privilege would
         * refuse every row alike, so it is a problem of the mapping, found before any row is read.
         */
        private void checkPrivileges(Session target, ConnectionConfig conn, TableInfo table,
                Optional<SoftDelete> softDelete, List<ColumnMapping> keys, List<ColumnMapping> mapped) {
            boolean soft = softDelete.isPresent();
            // the columns each privilege must cover when it is granted on columns, not the table
            List<String> written = new ArrayList<>();
            keys.forEach(k -> written.add(k.targetColumn()));
            mapped.forEach(m -> written.add(m.targetColumn()));
            softDelete.ifPresent(sd -> written.add(sd.column()));
            List<String> needed = new ArrayList<>();
            if (!sync.skip().contains(Operation.INSERT)) {
                needed.add("INSERT");
            }
            boolean deletes = !sync.skip().contains(Operation.DELETE)
                    && !(sync.deletes() instanceof DeletePolicy.Ignore);
            if ((!sync.skip().contains(Operation.UPDATE) && !sync.key().isEmpty()) || (deletes && soft)) {
                needed.add("UPDATE");
            }
            if (deletes && !soft) {
                needed.add("DELETE");
            }
            if (needed.isEmpty()) {
                return;
            }
            try {
                // one query for all of them; INSERT and UPDATE may be granted on columns alone: then on every
                // column the sync writes
                List<String> tests = new ArrayList<>();
                List<Object> params = new ArrayList<>();
                for (String privilege : needed) {
                    tests.add("has_table_privilege(CAST(? AS regclass), ?)" + (privilege.equals("DELETE") ? ""
                            : " OR (SELECT bool_and(has_column_privilege(CAST(? AS regclass), c, ?))"
                                    + " FROM unnest(CAST(? AS text[])) AS c)"));
                    params.addAll(List.of(table.sqlName(), privilege));
                    if (!privilege.equals("DELETE")) {
                        params.addAll(List.of(table.sqlName(), privilege, written.toArray(new String[0])));
                    }
                }
                List<Boolean> granted = target.one("SELECT " + String.join(", ", tests), rs -> {
                    List<Boolean> each = new ArrayList<>();
                    for (int i = 1; i <= needed.size(); i++) {
                        each.add(rs.getBoolean(i));
                    }
                    return each;
                }, params.toArray());
                for (int i = 0; i < needed.size(); i++) {
                    String privilege = needed.get(i);
                    if (!granted.get(i)) {
                        problem("the role of connection '" + conn.name() + "' lacks the " + privilege
                                + " privilege on target table " + table.displayName() + ", which the sync needs;"
                                + " GRANT " + privilege + " ON " + table.sqlName() + " TO <that role>, or skip the"
                                + " operation (skip: [...])");
                    }
                }
            } catch (RuntimeException e) {
                problem("cannot read the privileges on target table " + table.displayName() + ": " + reason(e));
            }
        }

        /**
         * The strategy of a mapping with a MariaDB or MySQL side: merge, or hash by a canonical
         * row form both engines compute ({@code EngineHashDiff}) when asked for. auto merges:
         * measured at a million rows on one machine, the hash's summaries alone take longer than
         * the whole merge (docs/benchmarks.md); hashing pays where the link to a server is slow.
         */
        private Strategy acrossEngines() {
            Strategy wanted = sync.strategy();
            if (wanted == Strategy.JOIN) {
                problem("strategy join: a MariaDB or MySQL table and a PostgreSQL one are compared by merge or hash;"
                        + " use merge, hash or auto");
            }
            return wanted == Strategy.HASH ? Strategy.HASH : Strategy.MERGE;
        }

        /**
         * The strategy of two MariaDB or MySQL tables: join on one server (one connection, or
         * two with the same URL and user) where the join can pair keys exactly
         * ({@code MariaDbJoinDiff}: no reason from {@link #joinable}) and the mapping asks for
         * it; auto merges (measured at a million rows: the merge, both sides read at once, takes
         * about half the join's time; docs/benchmarks.md).
         */
        private Strategy betweenMariaDb(ConnectionConfig sourceConn, ConnectionConfig targetConn, MariaDbTable source,
                MariaDbTable target, List<ColumnMapping> keys) {
            boolean oneServer = sourceConn.name().equals(targetConn.name()) || sourceConn.sameDatabaseAs(targetConn);
            String why = !oneServer ? "the two tables are on two connections" : joinable(sourceConn, targetConn,
                    source, target, keys);
            Strategy wanted = sync.strategy();
            if (wanted == Strategy.JOIN && why != null) {
                problem("strategy join: " + why + "; use merge, hash or auto");
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

        private Strategy strategy(ConnectionConfig source, ConnectionConfig target) {
            boolean oneDatabase = source.name().equals(target.name()) || source.sameDatabaseAs(target);
            Strategy wanted = sync.strategy();
            if (wanted == Strategy.AUTO) {
                return oneDatabase ? Strategy.JOIN : Strategy.HASH;
            }
            if (wanted == Strategy.JOIN && !oneDatabase) {
                problem("strategy join needs both tables in one database, but source uses connection '"
                        + source.name() + "' and target uses '" + target.name() + "'; use merge or hash (or auto)");
            }
            return wanted;
        }

        /**
         * merge and hash pair rows by ordering both sides' keys (numbers by value, the rest by
         * their text's bytes): a key type whose equal values can print differently, or whose
         * values may not fit the target's key type after rounding, cannot be paired that way.
         */
        private void checkKeysOrderable(List<ColumnMapping> keys) {
            // a table without a key: each of its columns is a part of its key
            String section = sync.key().isEmpty() ? "columns (the table has no key, so every column pairs its rows)"
                    : "key";
            for (ColumnMapping k : keys) {
                if (k.type().kind() == ValueType.Kind.OTHER) {
                    problem("key: target column '" + k.targetColumn() + "' (" + k.targetType() + ") treats some"
                            + " values that print differently as equal (a case-insensitive type or collation,"
                            + " an interval, a json number...), so strategies across servers cannot pair its rows"
                            + " by key exactly; compare on one server (strategy join) or key on a column of"
                            + " another type");
                } else if (k.fit().isPresent() && k.type().kind() == ValueType.Kind.INTEGER
                        && !Set.of("smallint", "integer", "bigint").contains(k.sourceType())) {
                    problem(section + ": source '" + k.sourceLabel() + "' (" + k.sourceType() + ") is rounded to the"
                            + " target's " + k.targetType() + " and may not fit it; across servers map it to a"
                            + " whole number that fits, e.g. \"" + k.sourceLabel() + "::" + k.targetType() + "\"");
                } else if (k.fit().isPresent() && k.type().kind() != ValueType.Kind.INTEGER) {
                    problem(section + ": source '" + k.sourceLabel() + "' (" + k.sourceType() + ") may not fit the"
                            + " target's " + k.targetType() + "; across servers map an expression of that type");
                }
            }
        }

        /** Across servers the source casts its values to the target's types itself: each type must exist there. */
        private void checkCastsOnSource(Session source, TableInfo sourceTable, List<ColumnMapping> keys,
                List<ColumnMapping> columns) {
            List<ColumnMapping> all = new ArrayList<>(keys);
            all.addAll(columns);
            if (all.isEmpty()) {
                return;
            }
            try {
                // all at once; only when that fails, one at a time to name the ones that fail
                source.list("SELECT " + String.join(", ", all.stream().map(ColumnMapping::sourceValue).toList())
                        + " FROM " + sourceTable.sqlName() + " WHERE false", rs -> 0);
                return;
            } catch (RuntimeException e) {
                // below
            }
            for (ColumnMapping m : all) {
                try {
                    source.list("SELECT " + m.sourceValue() + " FROM " + sourceTable.sqlName() + " WHERE false",
                            rs -> 0);
                } catch (RuntimeException e) {
                    problem("source '" + m.sourceLabel() + "' cannot be converted to the target type "
                            + m.type().compareType() + " of '" + m.targetColumn() + "' on the source server: "
                            + reason(e) + "; map an expression that yields a built-in type both servers know"
                            + " (e.g. \"" + m.sourceLabel() + "::text\" when its text is what matters)");
                }
            }
        }

        /** The checks of a mapping whose source is a MariaDB or MySQL table (compared by merge). */
        private final class MariaDbCheck {
            private boolean zeroDatesAsNull;
            /** The source's session: source expressions are described on it. */
            private Session sourceSession;

            Optional<MappingPlan> plan(ConnectionConfig sourceConn, ConnectionConfig targetConn) {
                zeroDatesAsNull = sourceConn.zeroDatesAsNull();
                Session source = handle(sourceConn, "source");
                sourceSession = source;
                Session target = handle(targetConn, "target");
                Catalog targetCatalog = target == null ? null : shared.catalog(targetConn.name(), "target");
                MariaDbTable table = source == null ? null : mariaDbTable(source, sourceConn, "source", sync.source().table());
                TableInfo targetTable = target == null ? null
                        : table(targetCatalog, targetConn, "target", sync.target().table());
                if (table == null || targetTable == null) {
                    return Optional.empty();
                }
                int before = problems.size();
                TableInfo sourceTable = tableInfo(table);
                String where = sync.source().where().orElse(null);
                if (where != null) {
                    checkWhere(source, table.sqlName(), table.displayName() + " (MariaDB's SQL)", where);
                }
                if (sync.key().isEmpty()) {
                    problem("target table " + targetTable.displayName() + " has no key: a MariaDB or MySQL source is"
                            + " compared by key only so far; give a key (key: {source_column: target_column})");
                    return Optional.empty();
                }
                ValueTypes valueTypes = shared.valueTypes(targetConn.name(), targetCatalog);
                Set<String> compared = new HashSet<>(sync.compare());
                List<ColumnMapping> keys = new ArrayList<>();
                List<MariaDbValues.Read> reads = new ArrayList<>();
                List<MariaDbValues.Read> columnReads = new ArrayList<>();
                sync.key().forEach((s, t) -> column("key", s, t, true, table, targetTable, valueTypes, keys, reads));
                List<ColumnMapping> columns = new ArrayList<>();
                sharedColumns(sourceTable, targetTable).forEach((s, t) -> column("columns", s, t,
                        compared.isEmpty() || compared.contains(s) || compared.contains(t), table, targetTable,
                        valueTypes, columns, columnReads));
                reads.addAll(columnReads);
                checkCompared(columns);
                if (keys.size() == sync.key().size()) {
                    checkKeyUnique(targetTable, keys);
                    checkKeysOrderable(keys);
                }
                Optional<SoftDelete> soft = softDelete(targetTable, keys, columns);
                // a key that has a problem of its own is not also an unmapped NOT NULL column
                if (purpose == Purpose.SYNC && keys.size() == sync.key().size()) {
                    checkWritable(targetTable, keys, columns, soft);
                    checkPrivileges(target, targetConn, targetTable, soft, keys, columns);
                }
                Strategy strategy = acrossEngines();
                if (problems.size() > before) {
                    return Optional.empty();
                }
                List<String> names = new ArrayList<>();
                keys.forEach(k -> names.add(k.sourceLabel()));
                columns.forEach(c -> names.add(c.sourceLabel()));
                MariaDbSide mariaDb = new MariaDbSide(table, reads, names, keys.size(), where, sourceConn.name());
                return Optional.of(new MappingPlan(sync.name(), sourceConn, sourceTable, sync.source().where(),
                        targetConn, targetTable, keys, columns, sync.deletes(), soft, sync.skip(), strategy,
                        sourceKeyUnique(table, keys, zeroDatesAsNull), sync.writes(), List.of(), Optional.of(mariaDb),
                        Optional.empty()));
            }


            /** One mapped pair: its rule, or a problem that says why there is none. */
            private void column(String section, String sourceWritten, String targetWritten, boolean isCompared,
                    MariaDbTable table, TableInfo targetTable, ValueTypes valueTypes, List<ColumnMapping> mapped,
                    List<MariaDbValues.Read> reads) {
                Optional<ColumnInfo> targetColumn = targetTable.column(targetWritten);
                if (targetColumn.isEmpty()) {
                    problem(section + ": target table " + targetTable.displayName() + " has no column '"
                            + targetWritten + "' (columns: " + columnNames(targetTable) + ")");
                }
                Optional<MariaDbColumn> sourceColumn = table.column(sourceWritten);
                boolean expression = !IDENTIFIER.matcher(sourceWritten).matches();
                if (sourceColumn.isEmpty() && expression && section.equals("columns") && sourceSession != null) {
                    // MariaDB's SQL over the source row, read as the type MariaDB gives its result
                    String unfit = Sql.notSelfContained(sourceWritten);
                    if (unfit == null && sourceWritten.contains("#")) {
                        unfit = "a # comment would swallow what recon writes after it";
                    }
                    if (unfit != null) {
                        problem(section + ": source expression '" + sourceWritten + "' is not one expression: " + unfit
                                + " (recon places it inside its own queries, in parentheses)");
                        return;
                    }
                    try {
                        sourceColumn = Optional.of(new MariaDbCatalog(sourceSession.connection()).describe(table,
                                sourceWritten));
                    } catch (java.sql.SQLException e) {
                        problem(section + ": source expression '" + sourceWritten + "' over " + table.displayName()
                                + " (MariaDB's SQL): " + (e.getErrorCode() == 1111 ? "it aggregates rows (COUNT,"
                                        + " SUM, GROUP_CONCAT, a window function…), but each row needs a value of its"
                                        + " own; map an expression over one row" : DatabaseException.reason(e)));
                        return;
                    }
                }
                if (sourceColumn.isEmpty()) {
                    problem(section + ": source table " + table.displayName() + " has no column '" + sourceWritten
                            + "'" + (expression ? " (an expression as a key of a MariaDB or MySQL source is not"
                                    + " supported yet: map a column, or a view's)" : "")
                            + " (columns: " + String.join(", ", table.columns().stream().map(MariaDbColumn::name)
                                    .toList()) + ")");
                }
                if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
                    return;
                }
                ColumnInfo t = targetColumn.get();
                MariaDbColumn c = sourceColumn.get();
                MariaDbValues.Rule rule = MariaDbValues.rule(c, t.type(), zeroDatesAsNull);
                if (rule instanceof MariaDbValues.Refused refused) {
                    problem(section + ": " + refused.reason() + " (docs/configuration.md lists the pairs recon reads"
                            + " exactly)");
                    return;
                }
                ValueType type;
                try {
                    type = t.collationDeterministic() ? valueTypes.of(t) : valueTypes.of(t).askingTheTarget();
                } catch (RuntimeException e) {
                    problem(section + ": cannot read the type of target column '" + t.name() + "': " + reason(e));
                    return;
                }
                mapped.add(new ColumnMapping(sourceWritten, c.sql(), c.expression() != null, t.name(), t.type(),
                        isCompared, type, Optional.empty(), section.equals("key") && !t.notNull(), t.collation(),
                        c.columnType()));
                reads.add((MariaDbValues.Read) rule);
            }

        }

        /**
         * A MariaDB or MySQL target, from a PostgreSQL or a MariaDB source: compared by merge,
         * each target column read as PostgreSQL prints the type the pair is compared in (a
         * PostgreSQL source's own type; for two MariaDB tables the PostgreSQL counterpart of
         * the target's type, {@link MariaDbValues#comparisonType}). Diff only so far.
         */
        private final class MariaDbTargetCheck {
            Optional<MappingPlan> plan(ConnectionConfig sourceConn, ConnectionConfig targetConn) {
                boolean mariaSource = sourceConn.engine() == Engine.MARIADB;
                Session source = handle(sourceConn, "source");
                Session target = handle(targetConn, "target");
                Catalog sourceCatalog = source == null || mariaSource ? null
                        : shared.catalog(sourceConn.name(), "source");
                MariaDbTable sourceMaria = source == null || !mariaSource ? null
                        : mariaDbTable(source, sourceConn, "source", sync.source().table());
                TableInfo sourceTable = sourceMaria != null ? tableInfo(sourceMaria) : sourceCatalog == null ? null
                        : table(sourceCatalog, sourceConn, "source", sync.source().table());
                MariaDbTable table = target == null ? null
                        : mariaDbTable(target, targetConn, "target", sync.target().table());
                if (sourceTable == null || table == null) {
                    return Optional.empty();
                }
                int before = problems.size();
                TableInfo targetTable = tableInfo(table);
                String where = sync.source().where().orElse(null);
                if (where != null) {
                    checkWhere(source, sourceTable.sqlName(), sourceTable.displayName()
                            + (mariaSource ? " (MariaDB's SQL)" : ""), where);
                }
                if (sync.key().isEmpty()) {
                    problem("target table " + targetTable.displayName() + " has no key: a MariaDB or MySQL table is"
                            + " compared by key only so far; give a key (key: {source_column: target_column})");
                    return Optional.empty();
                }
                Set<String> compared = new HashSet<>(sync.compare());
                List<ColumnMapping> keys = new ArrayList<>();
                List<MariaDbValues.Read> sourceReads = new ArrayList<>();
                List<MariaDbValues.Read> targetReads = new ArrayList<>();
                List<MariaDbValues.Read> sourceColumnReads = new ArrayList<>();
                List<MariaDbValues.Read> targetColumnReads = new ArrayList<>();
                boolean asNull = targetConn.zeroDatesAsNull();
                sync.key().forEach((s, t) -> column("key", s, t, true, sourceTable, sourceMaria, table, asNull,
                        sourceConn.zeroDatesAsNull(), keys, sourceReads, targetReads));
                List<ColumnMapping> columns = new ArrayList<>();
                sharedColumns(sourceTable, targetTable).forEach((s, t) -> column("columns", s, t,
                        compared.isEmpty() || compared.contains(s) || compared.contains(t), sourceTable, sourceMaria,
                        table, asNull, sourceConn.zeroDatesAsNull(), columns, sourceColumnReads, targetColumnReads));
                sourceReads.addAll(sourceColumnReads);
                targetReads.addAll(targetColumnReads);
                checkCompared(columns);
                if (keys.size() == sync.key().size()) {
                    checkKeyUnique(targetTable, table.sqlName(), keys);
                    checkKeysOrderable(keys);
                }
                Optional<SoftDelete> soft = softDelete(table, keys, columns);
                if (purpose == Purpose.SYNC) {
                    checkWritable(table, keys, columns);
                }
                Strategy strategy = sourceMaria == null ? acrossEngines()
                        : betweenMariaDb(sourceConn, targetConn, sourceMaria, table, keys);
                if (problems.size() > before) {
                    return Optional.empty();
                }
                List<String> sourceNames = new ArrayList<>();
                List<String> targetNames = new ArrayList<>();
                for (ColumnMapping m : Stream.concat(keys.stream(), columns.stream()).toList()) {
                    sourceNames.add(m.sourceLabel());
                    targetNames.add(m.targetColumn());
                }
                Optional<MariaDbSide> mariaDbSource = sourceMaria == null ? Optional.empty()
                        : Optional.of(new MariaDbSide(sourceMaria, sourceReads, sourceNames, keys.size(), where,
                                sourceConn.name()));
                MariaDbSide mariaDbTarget = new MariaDbSide(table, targetReads, targetNames, keys.size(), null,
                        targetConn.name(), soft.map(SoftDelete::isMarkedOnMariaDb).orElse("0"));
                boolean unique = sourceMaria != null ? sourceKeyUnique(sourceMaria, keys, sourceConn.zeroDatesAsNull())
                        : sourceKeyUnique(sourceTable, keys);
                return Optional.of(new MappingPlan(sync.name(), sourceConn, sourceTable, sync.source().where(),
                        targetConn, targetTable, keys, columns, sync.deletes(), soft, sync.skip(),
                        strategy, unique, sync.writes(), List.of(), mariaDbSource, Optional.of(mariaDbTarget)));
            }

            /**
             * The soft-delete marker of a MariaDB target: a column recon alone writes, boolean
             * ({@code tinyint(1)}, {@code bit(1)}: set to 1) or a date or time ({@code date},
             * {@code datetime}, {@code timestamp}: set to the current time, UTC).
             */
            private Optional<SoftDelete> softDelete(MariaDbTable table, List<ColumnMapping> keys,
                    List<ColumnMapping> columns) {
                if (!(sync.deletes() instanceof DeletePolicy.Soft soft)) {
                    return Optional.empty();
                }
                Optional<MariaDbColumn> c = table.column(soft.column());
                if (c.isEmpty()) {
                    problem("deletes.soft: target table " + table.displayName() + " has no column '" + soft.column()
                            + "'");
                    return Optional.empty();
                }
                MariaDbColumn col = c.get();
                if (Stream.concat(keys.stream(), columns.stream()).anyMatch(m -> m.targetColumn()
                        .equalsIgnoreCase(col.name()))) {
                    problem("deletes.soft: column '" + col.name() + "' is also mapped; the soft-delete marker must be"
                            + " a column that only recon writes");
                }
                boolean isBoolean = col.booleanLike();
                if (!isBoolean && !Set.of("date", "datetime", "timestamp").contains(col.dataType())) {
                    problem("deletes.soft: column '" + col.name() + "' is " + col.columnType() + "; it must be"
                            + " tinyint(1) or bit(1) (set to 1) or a date, datetime or timestamp (set to the time)");
                } else if (!isBoolean && !col.nullable()) {
                    problem("deletes.soft: column '" + col.name() + "' is NOT NULL, but a live row's time marker is"
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
            private void checkWritable(MariaDbTable table, List<ColumnMapping> keys, List<ColumnMapping> columns) {
                for (ColumnMapping m : Stream.concat(keys.stream(), columns.stream()).toList()) {
                    MariaDbColumn c = table.column(m.targetColumn()).orElseThrow();
                    if (c.generated()) {
                        problem("columns: target column " + c.name() + " of " + table.displayName() + " is generated;"
                                + " a sync cannot write it: leave it out of columns");
                    }
                    String alters = altersWhatItStores(c, m.sourceType());
                    if (alters != null) {
                        problem("columns: target column " + c.name() + " (" + c.columnType() + ") of "
                                + table.displayName() + " " + alters + ", so values of source column "
                                + m.sourceLabel() + " (" + m.sourceType() + ") could be written again and again"
                                + " without ever being equal (or two keys become one)");
                    }
                }
                for (ColumnMapping k : keys) {
                    MariaDbColumn c = table.column(k.targetColumn()).orElseThrow();
                    String collation = c.collation();
                    if (collation != null && !collation.equals("binary") && !collation.endsWith("_nopad_bin")
                            && !collation.endsWith("_0900_bin")) {
                        problem("key: target column " + c.name() + " (" + c.columnType() + ") of " + table.displayName()
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

            /** One mapped pair: both sides' reads and the type they are compared in, or a problem that says why not. */
            private void column(String section, String sourceWritten, String targetWritten, boolean isCompared,
                    TableInfo sourceTable, MariaDbTable sourceMaria, MariaDbTable table, boolean targetZeroAsNull,
                    boolean sourceZeroAsNull, List<ColumnMapping> mapped, List<MariaDbValues.Read> sourceReads,
                    List<MariaDbValues.Read> targetReads) {
                Optional<MariaDbColumn> targetColumn = table.column(targetWritten);
                if (targetColumn.isEmpty()) {
                    problem(section + ": target table " + table.displayName() + " has no column '" + targetWritten
                            + "' (columns: " + String.join(", ", table.columns().stream().map(MariaDbColumn::name)
                                    .toList()) + ")");
                }
                Optional<ColumnInfo> sourceColumn = sourceTable.column(sourceWritten);
                if (sourceColumn.isEmpty()) {
                    problem(section + ": source table " + sourceTable.displayName() + " has no column '"
                            + sourceWritten + "'" + (IDENTIFIER.matcher(sourceWritten).matches() ? ""
                                    : " (an expression is not supported with a MariaDB or MySQL target yet: map a"
                                            + " column, or a view's)")
                            + " (columns: " + columnNames(sourceTable) + ")");
                }
                if (targetColumn.isEmpty() || sourceColumn.isEmpty()) {
                    return;
                }
                MariaDbColumn t = targetColumn.get();
                ColumnInfo sc = sourceColumn.get();
                String compareIn;
                MariaDbValues.Rule sourceRule = null;
                MariaDbValues.Rule targetRule;
                if (sourceMaria != null) {
                    compareIn = MariaDbValues.comparisonType(t);
                    if (compareIn == null) {
                        problem(section + ": target column " + t.name() + " (" + t.columnType() + "): no exact rule"
                                + " for this type between two MariaDB or MySQL tables yet (docs/configuration.md"
                                + " lists the pairs recon reads exactly)");
                        return;
                    }
                    sourceRule = MariaDbValues.rule(sourceMaria.column(sourceWritten).orElseThrow(), compareIn,
                            sourceZeroAsNull);
                    targetRule = MariaDbValues.rule(t, compareIn, targetZeroAsNull);
                } else {
                    compareIn = sc.type();
                    targetRule = MariaDbValues.targetRule(t, compareIn, targetZeroAsNull);
                }
                for (MariaDbValues.Rule rule : new MariaDbValues.Rule[] {sourceRule, targetRule}) {
                    if (rule instanceof MariaDbValues.Refused refused) {
                        problem(section + ": " + refused.reason() + " (docs/configuration.md lists the pairs recon"
                                + " reads exactly)");
                        return;
                    }
                }
                mapped.add(new ColumnMapping(sourceWritten, sourceMaria != null ? MariaDbSql.quote(sc.name())
                        : Sql.quote(sc.name()), false, t.name(), t.columnType(), isCompared, comparedAs(compareIn),
                        Optional.empty(), section.equals("key") && t.nullable(), null, sc.type()));
                if (sourceRule != null) {
                    sourceReads.add((MariaDbValues.Read) sourceRule);
                }
                targetReads.add((MariaDbValues.Read) targetRule);
            }
        }

        /**
         * How values compared in PostgreSQL type {@code type} (as {@code format_type} spells it)
         * are told equal when no PostgreSQL server holds the target column: integers and
         * numerics by value, floats by value, jsonb by the PostgreSQL source's equality, the
         * other types of the MariaDB rules by their text, which is canonical for them.
         */
        private static ValueType comparedAs(String type) {
            String t = type.toLowerCase(Locale.ROOT);
            ValueType.Kind kind = Set.of("smallint", "integer", "bigint").contains(t) ? ValueType.Kind.INTEGER
                    : t.startsWith("numeric") ? ValueType.Kind.NUMERIC
                    : t.equals("double precision") || t.equals("real") ? ValueType.Kind.FLOAT
                    // equal documents print differently: the PostgreSQL side's jsonb equality decides
                    : t.equals("jsonb") ? ValueType.Kind.OTHER
                    : ValueType.Kind.CANONICAL;
            return new ValueType(type, false, type, ValueType.Equality.VALUE, kind, true, 0);
        }

        /**
         * True when the source's primary or unique key covers exactly the key columns (NOT NULL
         * where the target would match NULLs), each read without folding two values into one (a
         * {@code char(36)} read as {@code uuid} is lower-cased).
         */
        private boolean sourceKeyUnique(MariaDbTable table, List<ColumnMapping> keys, boolean zeroDatesAsNull) {
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

        private MariaDbTable mariaDbTable(Session session, ConnectionConfig conn, String side, String written) {
            try {
                Optional<MariaDbTable> t = new MariaDbCatalog(session.connection()).table(written);
                if (t.isEmpty()) {
                    problem(side + " table '" + written + "' does not exist on connection '" + conn.name()
                            + "' (write it as database.table; an unqualified name is looked up in the database"
                            + " the URL names)");
                }
                return t.orElse(null);
            } catch (SQLException e) {
                problem(side + " table '" + written + "': " + DatabaseException.reason(e));
                return null;
            }
        }

        /** The columns of a MariaDB table as recon's reports and checks list them. */
        private static TableInfo tableInfo(MariaDbTable table) {
            List<ColumnInfo> columns = new ArrayList<>();
            for (MariaDbColumn c : table.columns()) {
                columns.add(new ColumnInfo(c.name(), c.columnType(), 0, "", !c.nullable(), false, c.generated()));
            }
            List<Set<String>> unique = new ArrayList<>();
            if (!table.primaryKey().isEmpty()) {
                unique.add(Set.copyOf(table.primaryKey()));
            }
            table.uniqueKeys().forEach(u -> unique.add(Set.copyOf(u)));
            return new TableInfo(table.schema(), table.name(), columns, unique, false);
        }
    }

    /** {@code src.MixedCase} as {@code src."MixedCase"}: each part with capitals quoted. */
    private static String quotedParts(String written) {
        List<String> parts = new ArrayList<>();
        for (String part : written.split("\\.", -1)) {
            parts.add(part.equals(part.toLowerCase(Locale.ROOT)) ? part : Sql.quote(part));
        }
        return String.join(".", parts);
    }

    private static String columnNames(TableInfo table) {
        return String.join(", ", table.columns().stream().map(ColumnInfo::name).toList());
    }

    private static String reason(RuntimeException e) {
        SQLException sql = DatabaseException.sqlCause(e);
        return sql == null ? e.getMessage() : DatabaseException.reason(sql);
    }
}
