package dev.recon.plan;

import dev.recon.catalog.Catalog;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.MappingConfig;
import dev.recon.config.Strategy;
import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import dev.recon.sql.Sql;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The checks of one mapping against the live catalogs: what every check shares (the mapping,
 * what the run is for, the run's catalogs) and the problems found, each prefixed with the
 * mapping's name. The checks themselves live by concern in {@link ColumnPairing},
 * {@link KeyChecks}, {@link WriteChecks} and {@link StrategyChoice}; this class offers them
 * in one place to the one {@link MappingPipeline} (which extends it) and to the engines'
 * {@link PlanTable}s and {@link PairRules}, which it is handed to.
 */
public class MappingCheck {
    /** A plain column name; anything else a mapping names is a source expression. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    protected final MappingConfig sync;
    protected final Purpose purpose;
    /** The run's connections and catalogs. */
    protected final Catalogs shared;
    /** Every problem found so far (of this mapping and the others planned with it). */
    protected final List<String> problems;
    private final ColumnPairing columnPairing;
    private final KeyChecks keyChecks;
    private final WriteChecks writeChecks;
    private final StrategyChoice strategyChoice;
    /** The target columns whose pair read a value in a rule's or a connection's time zone. */
    private final java.util.Set<String> placedInZone;
    /** The target columns the mapping pairs with a source column or expression, whether or not the pair is refused. */
    private final java.util.Set<String> named;

    MappingCheck(MappingConfig sync, Purpose purpose, Catalogs shared, List<String> problems) {
        this.sync = sync;
        this.purpose = purpose;
        this.shared = shared;
        this.problems = problems;
        this.columnPairing = new ColumnPairing(this);
        this.keyChecks = new KeyChecks(this);
        this.writeChecks = new WriteChecks(this);
        this.strategyChoice = new StrategyChoice(this);
        this.placedInZone = new java.util.HashSet<>();
        this.named = new java.util.HashSet<>();
    }

    /** The same checks, state and problems: for an engine's pipeline that extends this class. */
    protected MappingCheck(MappingCheck other) {
        this.sync = other.sync;
        this.purpose = other.purpose;
        this.shared = other.shared;
        this.problems = other.problems;
        this.columnPairing = other.columnPairing;
        this.keyChecks = other.keyChecks;
        this.writeChecks = other.writeChecks;
        this.strategyChoice = other.strategyChoice;
        this.placedInZone = other.placedInZone;
        this.named = other.named;
    }

    /** Said by an engine's pairing that read {@code targetColumn}'s pair in a time zone (its {@code time_zone}). */
    public void placedInZone(String targetColumn) {
        placedInZone.add(targetColumn);
    }

    /** True when the pair of {@code targetColumn} was read in a time zone. */
    boolean wasPlacedInZone(String targetColumn) {
        return placedInZone.contains(targetColumn);
    }

    /** Said by the pipeline of each target column the mapping pairs, before its pair is checked. */
    void named(String targetColumn) {
        named.add(targetColumn);
    }

    /**
     * True when the mapping pairs {@code targetColumn} with a source column or expression, even
     * one whose pair is refused: that refusal is its problem, not that the column is unmapped.
     * {@code ignoreCase} for an engine whose column names are matched without case.
     */
    public boolean isNamed(String targetColumn, boolean ignoreCase) {
        return ignoreCase ? named.stream().anyMatch(targetColumn::equalsIgnoreCase) : named.contains(targetColumn);
    }

    public MappingConfig sync() {
        return sync;
    }

    /** The run's connections, catalogs and value types, shared by its mappings. */
    public Catalogs catalogs() {
        return shared;
    }

    public void problem(String text) {
        problems.add(said(text));
    }

    private String said(String text) {
        return "mapping '" + sync.name() + "': " + text;
    }

    public Session handle(ConnectionConfig conn, String side) {
        Session h = shared.handle(conn, side);
        // reported once when both sides use the connection
        boolean reported = side.equals("target") && conn.name().equals(sync.source().connection());
        if (h == null && !reported) {
            shared.unreachable(said(shared.failure(conn.name())));
            problem(shared.failure(conn.name()));
        }
        return h;
    }

    public TableInfo table(Catalog catalog, ConnectionConfig conn, String side, String written) {
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

    /** What the probe of a where clause writes after the clause: a syntax error there is the clause's end. */
    public static final String AFTER_WHERE = ") LIMIT 0";

    /** The filter is one condition that {@code table} (its SQL name; {@code shown} in messages) accepts. */
    public void checkWhere(Session source, String table, String shown, String where) {
        checkWhere(source, table, shown, where, MappingCheck::reason);
    }

    /**
     * As {@link #checkWhere(Session, String, String, String)}, with the server's refusal said by
     * {@code reason} (an engine whose syntax errors quote the probe's text after the clause,
     * {@link #AFTER_WHERE}, says them of the user's clause instead).
     */
    public void checkWhere(Session source, String table, String shown, String where,
            java.util.function.Function<RuntimeException, String> reason) {
        String unfit = Sql.notSelfContained(where);
        if (unfit != null) {
            problem("source.where '" + where + "' is not one condition: " + unfit + " (recon places it inside"
                    + " its own queries, in parentheses)");
            return;
        }
        try {
            source.list("SELECT 1 FROM " + table + " WHERE (" + where + AFTER_WHERE, rs -> 0);
        } catch (RuntimeException e) {
            problem("source.where '" + where + "' is not a valid condition on " + shown + ": " + reason.apply(e));
        }
    }

    public void checkCompared(List<ColumnMapping> columns) {
        this.columnPairing.checkCompared(columns);
    }

    public void multisetChecks(TableInfo targetTable, List<ColumnMapping> columns) {
        this.columnPairing.multisetChecks(targetTable, columns);
    }

    public List<ColumnMapping> multisetKey(TableInfo targetTable, List<ColumnMapping> columns, boolean join) {
        return this.columnPairing.multisetKey(targetTable, columns, join);
    }

    public Map<String, String> sharedColumns(TableInfo sourceTable, TableInfo targetTable) {
        return this.columnPairing.sharedColumns(sourceTable, targetTable);
    }

    public Optional<ColumnMapping> mapping(String section, String sourceWritten, String targetWritten, boolean compared,
            TableInfo sourceTable, TableInfo targetTable, Catalog sourceCatalog, Catalog targetCatalog,
            ValueTypes valueTypes) {
        return this.columnPairing.mapping(section, sourceWritten, targetWritten, compared, sourceTable, targetTable,
                sourceCatalog, targetCatalog, valueTypes);
    }

    public boolean sourceKeyUnique(TableInfo source, List<ColumnMapping> keys) {
        return this.keyChecks.sourceKeyUnique(source, keys);
    }

    public void checkKeyUnique(TableInfo target, List<ColumnMapping> keys) {
        this.keyChecks.checkKeyUnique(target, keys);
    }

    public void checkKeyUnique(TableInfo target, String sqlName, List<ColumnMapping> keys) {
        this.keyChecks.checkKeyUnique(target, sqlName, keys);
    }

    public void checkKeysOrderable(List<ColumnMapping> keys) {
        this.keyChecks.checkKeysOrderable(keys);
    }

    public void checkCastsOnSource(Session source, TableInfo sourceTable, List<ColumnMapping> keys, List<ColumnMapping> columns) {
        this.keyChecks.checkCastsOnSource(source, sourceTable, keys, columns);
    }

    public Optional<SoftDelete> softDelete(TableInfo target, List<ColumnMapping> keys, List<ColumnMapping> columns) {
        return this.writeChecks.softDelete(target, keys, columns);
    }

    public void checkWritable(TableInfo target, List<ColumnMapping> keys, List<ColumnMapping> columns,
            Optional<SoftDelete> soft) {
        this.writeChecks.checkWritable(target, keys, columns, soft);
    }

    public void checkPrivileges(Session target, ConnectionConfig conn, TableInfo table, Optional<SoftDelete> softDelete,
            List<ColumnMapping> keys, List<ColumnMapping> mapped) {
        this.writeChecks.checkPrivileges(target, conn, table, softDelete, keys, mapped);
    }

    public Strategy acrossEngines(ConnectionConfig source, ConnectionConfig target) {
        return this.strategyChoice.acrossEngines(source, target);
    }

    public Strategy strategy(ConnectionConfig source, ConnectionConfig target) {
        return this.strategyChoice.strategy(source, target);
    }

    /** {@code src.MixedCase} as {@code src."MixedCase"}: each part with capitals quoted. */
    public static String quotedParts(String written) {
        List<String> parts = new ArrayList<>();
        for (String part : written.split("\\.", -1)) {
            parts.add(part.equals(part.toLowerCase(Locale.ROOT)) ? part : Sql.quote(part));
        }
        return String.join(".", parts);
    }

    public static String columnNames(TableInfo table) {
        return String.join(", ", table.columns().stream().map(ColumnInfo::name).toList());
    }

    public static String reason(RuntimeException e) {
        SQLException sql = DatabaseException.sqlCause(e);
        return sql == null ? e.getMessage() : DatabaseException.reason(sql);
    }
}
