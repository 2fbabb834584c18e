package dev.recon.engines.mariadb;

import dev.recon.base.Side;
import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.Strategy;
import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.PairPlanner;
import dev.recon.plan.Purpose;
import dev.recon.plan.SideFactory;
import dev.recon.plan.SidePlan;
import dev.recon.plan.SoftDelete;
import dev.recon.plan.ValueType;
import dev.recon.plan.ValueTypes;
import dev.recon.spi.Engine;
import dev.recon.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of a mapping with a MariaDB or MySQL side: a MariaDB source into another engine's
 * table (each source column read by the rule of its pair, {@link MariaDbValues}), or a MariaDB
 * target from any source (its columns read as the source's type prints, or, between two
 * MariaDB tables, as the PostgreSQL counterpart of the target's type).
 */
final class MariaDbPlanner implements PairPlanner {
    @Override
    public boolean plans(Engine source, Engine target) {
        return source instanceof MariaDbEngine || target instanceof MariaDbEngine;
    }

    @Override
    public Optional<MappingPlan> plan(MappingCheck check, ConnectionConfig sourceConn, ConnectionConfig targetConn) {
        Pipeline p = new Pipeline(check);
        return targetConn.engine() instanceof MariaDbEngine ? p.new MariaDbTargetCheck().plan(sourceConn, targetConn)
                : p.new MariaDbCheck().plan(sourceConn, targetConn);
    }

    private static final class Pipeline extends MappingCheck {
        Pipeline(MappingCheck check) {
            super(check);
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
                Strategy strategy = acrossEngines(sourceConn, targetConn);
                if (problems.size() > before) {
                    return Optional.empty();
                }
                List<String> names = new ArrayList<>();
                keys.forEach(k -> names.add(k.sourceLabel()));
                columns.forEach(c -> names.add(c.sourceLabel()));
                // zero dates from MariaDB into an engine that has none fail the comparison
                MariaDbSide mariaDb = new MariaDbSide(sourceConn.engine(), table, reads, names, keys.size(), where,
                        sourceConn.name(), !targetConn.engine().hasZeroDates());
                return Optional.of(new MappingPlan(sync.name(), sourceConn, sourceTable, sync.source().where(),
                        targetConn, targetTable, keys, columns, sync.deletes(), soft, sync.skip(), strategy,
                        sourceKeyUnique(table, keys, zeroDatesAsNull), sync.writes(), List.of(), mariaDb,
                        targetConn.engine().feature(SideFactory.class).orElseThrow().side(targetConn.engine(),
                                Side.TARGET, targetTable)));
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
                // the pair named with both tables, as every problem names the mapping, table and column
                String what = (c.expression() != null ? "source expression " + c.name() + " over "
                        : "source column " + c.name() + " of ") + table.displayName() + " (" + c.columnType()
                        + ") for target column " + t.name() + " of " + targetTable.displayName() + " (" + t.type() + ")";
                MariaDbValues.Rule rule = MariaDbValues.rule(c, t.type(), zeroDatesAsNull, section.equals("columns"),
                        what);
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
                boolean mariaSource = sourceConn.engine() instanceof MariaDbEngine;
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
                    checkWhere(source, sourceMaria != null ? sourceMaria.sqlName() : sourceTable.sqlName(),
                            sourceTable.displayName()
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
                Strategy strategy = sourceMaria == null ? acrossEngines(sourceConn, targetConn)
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
                SidePlan sourceSide = sourceMaria == null
                        ? sourceConn.engine().feature(SideFactory.class).orElseThrow().side(sourceConn.engine(),
                                Side.SOURCE, sourceTable)
                        : new MariaDbSide(sourceConn.engine(), sourceMaria, sourceReads, sourceNames, keys.size(), where,
                                sourceConn.name(), !targetConn.engine().hasZeroDates());
                MariaDbSide targetSide = new MariaDbSide(targetConn.engine(), table, targetReads, targetNames,
                        keys.size(), null, targetConn.name(), soft.map(MariaDbSql::isMarked).orElse("0"), false);
                boolean unique = sourceMaria != null ? sourceKeyUnique(sourceMaria, keys, sourceConn.zeroDatesAsNull())
                        : sourceKeyUnique(sourceTable, keys);
                return Optional.of(new MappingPlan(sync.name(), sourceConn, sourceTable, sync.source().where(),
                        targetConn, targetTable, keys, columns, sync.deletes(), soft, sync.skip(),
                        strategy, unique, sync.writes(), List.of(), sourceSide, targetSide));
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
                    MariaDbColumn s = sourceMaria.column(sourceWritten).orElseThrow();
                    String pair = "source column " + s.name() + " of " + sourceMaria.displayName() + " ("
                            + s.columnType() + ") and target column " + t.name() + " of " + table.displayName() + " ("
                            + t.columnType() + "), compared as " + compareIn;
                    sourceRule = MariaDbValues.rule(s, compareIn, sourceZeroAsNull, false, pair);
                    targetRule = MariaDbValues.rule(t, compareIn, targetZeroAsNull, false, pair);
                } else {
                    compareIn = sc.type();
                    targetRule = MariaDbValues.targetRule(t, compareIn, targetZeroAsNull, "target column " + t.name()
                            + " of " + table.displayName() + " (" + t.columnType() + ") for source column " + sc.name()
                            + " of " + sourceTable.displayName() + " (" + sc.type() + ")");
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
}
