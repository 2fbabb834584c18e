package dev.recon.run;

import dev.recon.base.PlanException;
import dev.recon.base.Side;
import dev.recon.config.ConnectionConfig;
import dev.recon.connect.Databases;
import dev.recon.db.DatabaseException;
import dev.recon.db.Session;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.KeyRange;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.ValueType;
import dev.recon.config.RangeOptions;
import dev.recon.state.RunStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Cuts the mappings with {@code split_rows} (or {@code threads} above 1) into key ranges of
 * their first key column ({@link KeyRange}), each then planned, locked, compared, synced and
 * recorded as a mapping of its own ({@link MappingPlan#inRange}). The bounds come from the
 * key's histogram where the engine keeps one, else from its minimum and maximum; they steer only
 * the ranges' sizes, since the first range is open below (NULLs too) and the last above, so every
 * key falls in exactly one range. Under {@code --shard}, every worker must cut alike: the cut is
 * stored in the target's state schema by the first worker that finds none and read by the rest.
 */
public final class KeyRanges {
    /** At most this many ranges per mapping. */
    public static final int MAX_RANGES = 10_000;

    private static final Pattern WHOLE = Pattern.compile("-?\\d{1,40}");
    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private KeyRanges() {
    }

    /**
     * A run's plans with each split mapping replaced by its ranges (of this shard), the report
     * order, the most ranges of one mapping compared at once, and the mappings whose ranges could
     * not be cut (a server not reached, a stored cut that does not fit), by name, with why.
     */
    public record Cut(List<MappingPlan> plans, List<String> order, int threads, java.util.Map<String, String> errors) {
    }

    /**
     * Cuts {@code plans}; {@code order} is the run's order of mapping names, in which each cut
     * mapping's ranges take its place. {@code mayStore}: a sync, which may create the state
     * schema and store a cut; a diff only reads one. Every mapping that cannot be cut is a
     * problem of one {@link PlanException}.
     */
    public static Cut cut(List<MappingPlan> plans, List<String> order, Databases databases, String stateSchema,
            RangeOptions options, boolean mayStore) {
        List<MappingPlan> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        java.util.Map<String, List<String>> names = new java.util.HashMap<>();
        int threads = 1;
        java.util.Map<String, String> errors = new java.util.LinkedHashMap<>();
        for (MappingPlan plan : plans) {
            int own = plan.writes().threads().orElse(options.threads() > 0 ? options.threads() : 1);
            boolean split = plan.writes().splitRows().isPresent() || own > 1;
            if (!split || !plan.onlyKeys().isEmpty()) {
                // every shard was handed the mappings that might be cut: one that is not is one shard's, by its name
                if (owned(plan.name(), options)) {
                    out.add(plan);
                }
                continue;
            }
            String why = uncuttable(plan);
            boolean asked = plan.writes().splitRows().isPresent() || plan.writes().threads().isPresent();
            if (why != null && !asked) {
                // --threads asks every mapping: one that cannot be cut is compared whole
                if (owned(plan.name(), options)) {
                    out.add(plan);
                }
                continue;
            }
            if (why != null) {
                problems.add("mapping '" + plan.name() + "': " + (plan.writes().splitRows().isPresent() ? "split_rows"
                        : "threads") + " cuts a table into ranges of its first key column, " + why);
                continue;
            }
            threads = Math.max(threads, own);
            // what the cut was made for: a cut of another table, key column or size is not this one's
            String splitText = (plan.writes().splitRows().isPresent() ? "split_rows=" + plan.writes().splitRows()
                    .getAsLong() : "threads=" + own) + " of " + plan.sourceTable().displayName() + "."
                    + plan.keySourceColumn();
            List<String> bounds;
            try {
                bounds = bounds(plan, databases, stateSchema, options, mayStore, splitText, own, problems);
            } catch (RuntimeException e) {
                // this mapping's error; the others still run
                errors.put(plan.name(), DatabaseException.wrap("mapping '" + plan.name() + "': cannot cut its key"
                        + " ranges", e).getMessage());
                continue;
            }
            if (bounds == null) {
                continue;
            }
            int count = bounds.size() + 1;
            List<String> rangeNames = new ArrayList<>();
            String sourceColumn = plan.sourceSide().engine().quote(plan.keySourceColumn());
            String targetColumn = plan.targetSide().engine().quote(plan.keys().get(0).targetColumn());
            for (int k = 0; k < count; k++) {
                if (!owned(plan.name(), k, options)) {
                    continue;
                }
                KeyRange range = new KeyRange(plan.name(), k, count, k == 0 ? null : bounds.get(k - 1),
                        k == count - 1 ? null : bounds.get(k));
                out.add(plan.inRange(range, sourceColumn, targetColumn));
                rangeNames.add(range.name());
            }
            names.put(plan.name(), rangeNames);
        }
        if (!problems.isEmpty()) {
            throw new PlanException("key ranges cannot be cut as written; nothing was read or written:", problems);
        }
        List<String> newOrder = new ArrayList<>();
        for (String name : order) {
            newOrder.addAll(names.getOrDefault(name, List.of(name)));
        }
        return new Cut(out, newOrder, threads, errors);
    }

    /**
     * The problems of the mappings whose own {@code split_rows} or {@code threads} cannot cut
     * them ({@code recon validate}).
     */
    public static List<String> problems(List<MappingPlan> plans) {
        List<String> out = new ArrayList<>();
        for (MappingPlan plan : plans) {
            boolean asked = plan.writes().splitRows().isPresent() || plan.writes().threads().orElse(1) > 1;
            String why = asked ? uncuttable(plan) : null;
            if (why != null) {
                out.add("mapping '" + plan.name() + "': " + (plan.writes().splitRows().isPresent() ? "split_rows"
                        : "threads") + " cuts a table into ranges of its first key column, " + why);
            }
        }
        return out;
    }

    /** Why the plan's table cannot be cut into key ranges, or null when it can. */
    private static String uncuttable(MappingPlan plan) {
        if (plan.multiset()) {
            return "and this one has no key (key: none)";
        }
        ColumnMapping first = plan.keys().get(0);
        if (first.type().kind() != ValueType.Kind.INTEGER || !INTEGER_TYPES.contains(first.type().compareType())) {
            return "which must be a whole number of a type up to bigint on both sides; " + first.targetColumn()
                    + " is compared as " + first.type().compareType() + " (put an integer column first in key:, or"
                    + " cut the table with source.where and target.where instead)";
        }
        if (first.sourceIsExpression()) {
            return "which must be a column on both sides; on the source it is the expression " + first.sourceLabel();
        }
        if (!wholeNumbers(first.sourceType())) {
            // the range's condition reads the source column as it is: a fraction would fall in one range and
            // compare, rounded, in another
            return "which must be a whole number on both sides; on the source " + first.sourceLabel() + " is "
                    + first.sourceType() + ", which may hold fractions that the comparison rounds";
        }
        return null;
    }

    private static final Pattern INTEGER_SPELLING = Pattern.compile(
            "(tiny|small|medium|big|u?tiny|u?small|u?big|u)?int(eger|[248])?(\\(\\d+\\))?( unsigned)?( zerofill)?"
                    + "|u?(tinyint|smallint|integer|bigint)|(decimal|numeric)\\(\\d+, ?0\\)( unsigned)?");

    /** True when a source type, as its engine spells it, holds whole numbers only. */
    public static boolean wholeNumbers(String type) {
        return type != null && INTEGER_SPELLING.matcher(type.trim().toLowerCase(java.util.Locale.ROOT)).matches();
    }

    /** True when a mapping not cut into ranges is this shard's: by a CRC-32 of its name, as {@code ReconConfig.shard}. */
    static boolean owned(String name, RangeOptions options) {
        if (!options.sharded()) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % options.shardCount() == options.shardIndex();
    }

    /** True when range {@code k} of mapping {@code name} is this shard's: the ranges go round, from a shard by the name. */
    static boolean owned(String name, int k, RangeOptions options) {
        if (!options.sharded()) {
            return true;
        }
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (crc.getValue() + k) % options.shardCount() == options.shardIndex();
    }

    /**
     * The inner bounds of the mapping's ranges, or null after adding a problem. A cut stored on
     * the target for the same split is used whenever there is one, so that every run of the
     * mapping (sharded or not, sync or diff) has the same ranges, names and locks; a sync stores
     * the first cut, and {@code --recut} (not under {@code --shard}) replaces it. Under
     * {@code --shard}, a stored cut for another split is refused, not replaced: workers that read
     * it already would cut otherwise.
     */
    private static List<String> bounds(MappingPlan plan, Databases databases, String stateSchema,
            RangeOptions options, boolean mayStore, String split, int threads, List<String> problems) {
        ConnectionConfig target = plan.targetConnection();
        if (mayStore) {
            try (Session session = databases.open(target, "mapping '" + plan.name() + "': state schema")) {
                RunStore store = RunStore.open(databases, target, stateSchema, session);
                if (!options.recut()) {
                    Optional<List<String>> found = store.storedCut(plan.name(), split);
                    if (found.isPresent()) {
                        return checked(plan, found.get(), problems);
                    }
                    Optional<String> other = store.storedSplit(plan.name());
                    if (options.sharded() && other.isPresent()) {
                        problems.add(otherSplit(plan, stateSchema, split, other.get()));
                        return null;
                    }
                }
                return checked(plan, store.storeCut(plan.name(), split, fresh(plan, databases, threads),
                        options.recut()), problems);
            }
        }
        RunStore store = RunStore.openExisting(databases, target, stateSchema);
        Optional<List<String>> found = store == null ? Optional.empty() : store.storedCut(plan.name(), split);
        if (found.isPresent()) {
            return checked(plan, found.get(), problems);
        }
        if (!options.sharded()) {
            return fresh(plan, databases, threads);
        }
        Optional<String> other = store == null ? Optional.empty() : store.storedSplit(plan.name());
        problems.add(other.isPresent() ? otherSplit(plan, stateSchema, split, other.get())
                : "mapping '" + plan.name() + "' is cut into key ranges, and the workers of --shard must all"
                + " cut it alike: a sync stores the cut on the target (state schema '" + stateSchema + "'), and"
                + " none is stored for " + split.replace("=", " ") + "; run a sync with --shard first, or this"
                + " diff without --shard");
        return null;
    }

    private static String otherSplit(MappingPlan plan, String stateSchema, String split, String stored) {
        return "mapping '" + plan.name() + "': the key ranges stored on the target (state schema '" + stateSchema
                + "') were cut for " + stored.replace("=", " ") + ", and the mapping now asks for "
                + split.replace("=", " ") + "; workers of --shard must all use one cut, so none is replaced"
                + " here: cut again once with 'recon sync --recut' (without --shard, while no sharded run is"
                + " under way)";
    }

    /** A stored cut's bounds, each a whole number, ascending (they are put into SQL); null after adding a problem. */
    private static List<String> checked(MappingPlan plan, List<String> bounds, List<String> problems) {
        BigDecimal last = null;
        for (String b : bounds) {
            if (!WHOLE.matcher(b).matches() || (last != null && new BigDecimal(b).compareTo(last) <= 0)) {
                problems.add("mapping '" + plan.name() + "': the key range cut stored in the state schema is not"
                        + " ascending whole numbers ('" + b + "'); cut again with --recut");
                return null;
            }
            last = new BigDecimal(b);
        }
        return bounds;
    }

    /** A new cut from the sides' statistics: about {@code split_rows} rows a range, or {@code threads} ranges. */
    private static List<String> fresh(MappingPlan plan, Databases databases, int threads) {
        for (Side side : List.of(Side.SOURCE, Side.TARGET)) {
            ConnectionConfig connection = side == Side.SOURCE ? plan.sourceConnection() : plan.targetConnection();
            String column = side == Side.SOURCE ? plan.keySourceColumn() : plan.keys().get(0).targetColumn();
            var sidePlan = plan.side(side);
            try (Session s = databases.open(connection, "mapping '" + plan.name() + "': " + side)) {
                long rows = sidePlan.estimatedRows(s.connection());
                int parts = plan.writes().splitRows().isPresent()
                        ? (int) Math.min(MAX_RANGES, Math.max(1, (rows + plan.writes().splitRows().getAsLong() - 1)
                                / plan.writes().splitRows().getAsLong()))
                        : threads;
                if (rows <= 0 && side == Side.SOURCE) {
                    continue; // an empty source (or one not known): the target may say more
                }
                if (parts <= 1) {
                    return List.of();
                }
                List<BigDecimal> points = sidePlan.keyHistogram(s.connection(), column);
                if (points.size() < 2) {
                    points = minMax(s, sidePlan.sqlName(), sidePlan.engine().quote(column));
                }
                if (points.size() >= 2) {
                    return cuts(points, parts);
                }
            } catch (SQLException e) {
                throw new DatabaseException("mapping '" + plan.name() + "': reading the key's statistics on the "
                        + side + " failed", e);
            }
        }
        return List.of();
    }

    private static List<BigDecimal> minMax(Session s, String table, String column) {
        return s.one("SELECT min(" + column + "), max(" + column + ") FROM " + table, rs -> {
            String lo = rs.getString(1);
            String hi = rs.getString(2);
            return lo == null || hi == null ? List.of() : List.of(new BigDecimal(lo.trim()), new BigDecimal(hi.trim()));
        });
    }

    /**
     * {@code parts} - 1 whole-number cuts (fewer where neighbours would be equal) at equal shares
     * of {@code points}, whose neighbours hold about equal numbers of rows.
     */
    static List<String> cuts(List<BigDecimal> points, int parts) {
        int intervals = points.size() - 1;
        List<String> out = new ArrayList<>();
        BigDecimal last = points.get(0);
        for (int j = 1; j < parts; j++) {
            BigDecimal x = BigDecimal.valueOf(j).multiply(BigDecimal.valueOf(intervals))
                    .divide(BigDecimal.valueOf(parts), 12, RoundingMode.FLOOR);
            int i = Math.min(intervals - 1, x.intValue());
            BigDecimal f = x.subtract(BigDecimal.valueOf(i));
            BigDecimal v = points.get(i).add(points.get(i + 1).subtract(points.get(i)).multiply(f))
                    .setScale(0, RoundingMode.FLOOR);
            if (v.compareTo(last) > 0) {
                out.add(v.toPlainString());
                last = v;
            }
        }
        return out;
    }
}
