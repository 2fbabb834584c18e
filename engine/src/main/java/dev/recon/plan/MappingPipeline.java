package dev.recon.plan;

import dev.recon.base.Side;
import dev.recon.config.ColumnRule;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.Strategy;
import dev.recon.db.Session;
import dev.recon.spi.Engine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one pipeline of checks every mapping goes through, whatever engines hold its tables: each
 * step asks the engine of the side it concerns ({@link PlanTables}, {@link PlanTable}) or the
 * pair's value rules ({@link PairRules}), and the shared checks of {@link MappingCheck} do the
 * rest. In order: both tables; the source's filter; the columns paired, keys first; the key
 * unique on the target (or the multiset's checks); soft deletes and, for a sync, the writes;
 * the strategy; keys that strategies across servers can pair; the source's reads.
 */
final class MappingPipeline extends MappingCheck {
    MappingPipeline(MappingCheck check) {
        super(check);
    }

    Optional<MappingPlan> plan(ConnectionConfig sourceConn, ConnectionConfig targetConn) {
        Engine sourceEngine = sourceConn.engine();
        Engine targetEngine = targetConn.engine();
        Optional<PairRules> found = rules(sourceEngine, targetEngine);
        Optional<PlanTables> sourceTables = sourceEngine.feature(PlanTables.class);
        Optional<PlanTables> targetTables = targetEngine.feature(PlanTables.class);
        if (found.isEmpty() || sourceTables.isEmpty() || targetTables.isEmpty()) {
            problem("recon compares no " + sourceEngine.label() + " table with a " + targetEngine.label()
                    + " one yet");
            return Optional.empty();
        }
        PairRules rules = found.get();
        Session sourceSession = handle(sourceConn, "source");
        Session targetSession = handle(targetConn, "target");
        PlanTable source = sourceSession == null ? null : sourceTables.get().table(this, sourceSession, sourceConn,
                Side.SOURCE, sync.source().table()).orElse(null);
        PlanTable target = targetSession == null ? null : targetTables.get().table(this, targetSession, targetConn,
                Side.TARGET, sync.target().table()).orElse(null);
        if (source == null || target == null) {
            return Optional.empty();
        }
        int before = problems.size();
        Optional<String> where = sync.source().where();
        where.ifPresent(w -> source.checkWhere(this, w));
        Optional<String> targetWhere = sync.target().where();
        if (targetWhere.isPresent() && !target.sliceable()) {
            problem("target.where: a slice of a " + target.engine().label() + " target is not supported yet (a"
                    + " PostgreSQL target's is); filter the source alone, or compare the whole table");
        } else {
            targetWhere.ifPresent(w -> target.checkWhere(this, w));
        }
        boolean multiset = sync.key().isEmpty();
        if (multiset) {
            String keyed = Optional.ofNullable(target.keyedOnly(Side.TARGET)).orElse(source.keyedOnly(Side.SOURCE));
            if (keyed != null) {
                problem("target table " + target.info().displayName() + " has no key: " + keyed + " is compared by"
                        + " key only so far; give a key (key: {source_column: target_column})");
                return Optional.empty();
            }
        }

        Set<String> compared = new HashSet<>(sync.compare());
        Map<String, String> shared = sharedColumns(source.info(), target.info());
        sync.key().values().forEach(this::named);
        shared.values().forEach(this::named);
        List<PairRules.Paired> pairedKeys = new ArrayList<>();
        sync.key().forEach((s, t) -> rules.pair(this, "key", s, t, true, source, target).ifPresent(pairedKeys::add));
        List<PairRules.Paired> pairedColumns = new ArrayList<>();
        shared.forEach((s, t) -> rules.pair(this, "columns", s, t,
                compared.isEmpty() || compared.contains(s) || compared.contains(t), source, target)
                .ifPresent(pairedColumns::add));
        List<ColumnMapping> keys = pairedKeys.stream().map(PairRules.Paired::mapping).toList();
        List<ColumnMapping> columns = pairedColumns.stream().map(PairRules.Paired::mapping).toList();
        checkCompared(columns);
        // a key that has a problem of its own is not also an unmapped NOT NULL column, nor a key that is not unique
        boolean keysPaired = keys.size() == sync.key().size();
        if (multiset) {
            multisetChecks(target.info(), columns);
        } else if (keysPaired && target.constrained()) {
            checkKeyUnique(target.info(), target.sqlName(), keys);
        }
        Optional<SoftDelete> soft = target.softDelete(this, keys, columns);
        if (purpose == Purpose.SYNC && keysPaired) {
            target.checkWritable(this, keys, columns, soft);
        }
        boolean oneEngine = sourceEngine.getClass() == targetEngine.getClass();
        Strategy strategy = oneEngine ? targetTables.get().strategy(this, source, target, keys)
                : acrossEngines(sourceConn, targetConn);
        if (strategy == Strategy.HASH && !target.constrained() && sync.strategy() == Strategy.AUTO) {
            strategy = Strategy.MERGE;
        } else if (strategy == Strategy.HASH && !target.constrained()) {
            problem("strategy hash: target " + target.info().displayName() + " has no constraints (files read as a"
                    + " table), and the hash would not see two rows of one key in buckets that sum alike on both"
                    + " sides; use merge, which checks every key as it reads");
        }
        // a table without a key: every mapped column is a key part, and the copy number tells equal rows apart
        List<ColumnMapping> planKeys = multiset && problems.size() == before
                ? multisetKey(target.info(), columns, strategy == Strategy.JOIN) : keys;
        List<ColumnMapping> planColumns = multiset ? List.of() : columns;
        if (strategy != Strategy.JOIN && (multiset ? problems.size() == before : keysPaired)) {
            checkKeysOrderable(planKeys);
        }
        if (strategy != Strategy.JOIN && problems.size() == before) {
            source.checkReads(this, keys, columns);
        }
        Map<String, ColumnRule> columnRules = checkRules(target, keys, columns, multiset, problems.size() > before);
        if (problems.size() > before) {
            return Optional.empty();
        }
        List<ColumnRead> sourceReads = new ArrayList<>();
        List<ColumnRead> targetReads = new ArrayList<>();
        List<String> sourceNames = new ArrayList<>();
        List<String> targetNames = new ArrayList<>();
        for (List<PairRules.Paired> list : List.of(pairedKeys, pairedColumns)) {
            for (PairRules.Paired p : list) {
                sourceReads.add(p.sourceRead());
                targetReads.add(p.targetRead());
                sourceNames.add(p.mapping().sourceLabel());
                targetNames.add(p.mapping().targetColumn());
            }
        }
        SidePlan sourceSide = source.side(Side.SOURCE, sourceReads, sourceNames, keys.size(), where, targetEngine,
                Optional.empty());
        SidePlan targetSide = target.side(Side.TARGET, targetReads, targetNames, keys.size(), targetWhere,
                sourceEngine, soft);
        boolean unique = multiset || source.keyUnique(this, keys);
        return Optional.of(new MappingPlan(sync.name(), sourceConn, source.info(), where, targetConn, target.info(),
                targetWhere, planKeys, planColumns, sync.deletes(), soft, sync.skip(), strategy, unique, sync.writes(), List.of(),
                sourceSide, targetSide, columnRules, sourceRights(sourceConn, sourceSession, source), Optional.empty()));
    }

    /**
     * The warning a source read with more rights than reading needs deserves: a {@code where}
     * clause or an expression runs with all of them (a function with side effects is not
     * stopped by the read-only transaction).
     */
    private List<String> sourceRights(ConnectionConfig conn, Session session, PlanTable source) {
        List<String> beyond = conn.engine().rightsBeyondReading(session.connection(), source.info().schema(),
                source.info().name());
        if (beyond.isEmpty()) {
            return List.of();
        }
        return List.of("source connection '" + conn.name() + "': its role " + String.join("; ", beyond)
                + ". recon only needs SELECT on the source, and a where clause or a source expression runs with"
                + " every right the role has; use a read-only role (docs/operating.md, Least privilege)");
    }

    /**
     * The mapping's comparison rules, each on a compared column of a type it fits: a number for
     * tolerance and relative, a time or timestamp for precision, text for trim, case and
     * empty_is_null; never a key (rows are paired by exact keys). A schema entry's rule applies
     * to the tables that have its column, with a key, where it is not the key; the planner says
     * when it applies to none ({@link Planner}).
     */
    private Map<String, ColumnRule> checkRules(PlanTable target, List<ColumnMapping> keys,
            List<ColumnMapping> columns, boolean multiset, boolean pairsRefused) {
        Map<String, ColumnRule> checked = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnRule> e : sync.rules().entrySet()) {
            String column = e.getKey();
            ColumnRule rule = e.getValue();
            String at = "rules." + column + ": ";
            boolean optional = !sync.ruleMustApply(column);
            if (multiset && optional) {
                continue; // a schema entry's rule, on a table without a key: compared exactly, as documented
            }
            if (multiset) {
                problem(at + "target table " + target.info().displayName() + " has no key, so every column pairs its"
                        + " rows and must match exactly; a rule needs a key (give one, or remove the rule)");
                continue;
            }
            if (keys.stream().anyMatch(k -> k.targetColumn().equals(column))) {
                if (optional) {
                    continue; // a schema entry's rule, on a table whose key the column is
                }
                problem(at + "'" + column + "' is a key column of " + target.info().displayName() + "; rows are"
                        + " paired by exact keys, so a key takes no rule (map the key to an expression that"
                        + " normalizes it instead)");
                continue;
            }
            Optional<ColumnMapping> mapped = columns.stream().filter(m -> m.targetColumn().equals(column)).findFirst();
            if (mapped.isEmpty()) {
                if (pairsRefused) {
                    continue; // its pair's own problem says why it is not mapped
                }
                if (!optional && target.info().column(column).isPresent()) {
                    problem(at + "target column '" + column + "' of " + target.info().displayName() + " is not"
                            + " mapped (mapped: " + String.join(", ", columns.stream().map(ColumnMapping::targetColumn)
                                    .toList()) + ")");
                } else if (!optional) {
                    problem(at + "target table " + target.info().displayName() + " has no column '" + column
                            + "' (columns: " + columnNames(target.info()) + ")");
                }
                continue;
            }
            ColumnMapping m = mapped.get();
            if (!m.compared()) {
                problem(at + "target column '" + column + "' is not compared (compare: " + String.join(", ",
                        sync.compare()) + "); a rule applies to a compared column");
                continue;
            }
            String type = m.type().compareType().toLowerCase(Locale.ROOT);
            ValueType.Kind kind = m.type().kind();
            boolean number = kind == ValueType.Kind.INTEGER || kind == ValueType.Kind.NUMERIC
                    || kind == ValueType.Kind.FLOAT;
            boolean time = type.startsWith("timestamp") || type.startsWith("time");
            boolean text = TEXT_TYPE.matcher(type).matches();
            String which = "target column '" + column + "' of " + target.info().displayName() + " (" + m.targetType()
                    + ")";
            if (rule.numeric() && !number) {
                problem(at + (rule.tolerance() != null ? "tolerance" : "relative") + " applies to numbers, but "
                        + which + " is not one");
            }
            if (rule.timeZone() != null && !time) {
                problem(at + "time_zone applies to times and timestamps, but " + which + " is neither");
            } else if (rule.timeZone() != null && !wasPlacedInZone(column)) {
                problem(at + "time_zone has nothing to place here: " + which + " and its source are compared as they"
                        + " are; a zone applies where a value without one (a DATETIME) meets one with one"
                        + " (timestamptz) across engines. Remove it, or map the source as an expression that"
                        + " places it (\"created_at AT TIME ZONE 'Europe/Paris'\")");
            }
            if (rule.precision() != null && !time) {
                problem(at + "precision applies to times and timestamps, but " + which + " is neither");
            }
            if (rule.textual() && !text) {
                problem(at + (rule.trim() ? "trim" : rule.caseInsensitive() ? "case" : "empty_is_null")
                        + " applies to text, but " + which + " is not text");
            }
            checked.put(column, rule);
        }
        return checked;
    }

    /** The text types a textual rule applies to, as a pair's compared type is spelled. */
    private static final Pattern TEXT_TYPE = Pattern.compile("(text|character varying.*|varchar.*|character(\\(.*)?"
            + "|bpchar.*|pg_catalog\\.\"varchar\"|pg_catalog\\.bpchar|citext|name)");

    /** The pair's value rules: the target's engine's, or else the source's. */
    static Optional<PairRules> rules(Engine source, Engine target) {
        for (Engine engine : List.of(target, source)) {
            Optional<PairRules> rules = engine.feature(PairRules.class).filter(r -> r.pairs(source, target));
            if (rules.isPresent()) {
                return rules;
            }
        }
        return Optional.empty();
    }
}
