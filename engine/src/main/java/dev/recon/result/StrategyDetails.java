package dev.recon.result;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a strategy did besides finding changes: the figures it reports (for hash, segments
 * compared and descended into, rows fetched), each a {@link Figure}. Absent figures do not
 * apply to the strategy; reports list the present ones in the order of {@link Figure}.
 */
public final class StrategyDetails {
    /** The figures, named in reports as {@link #label()}: {@code segments_compared}, … */
    public enum Figure {
        SEGMENTS, SEGMENTS_COMPARED, SEGMENTS_DIFFERING, ROW_HASHES_COMPARED, SUSPECT_ROWS, ROWS_FETCHED,
        FALLBACK_TO_MERGE, RANGES_FETCHED, BOUNDARIES_FROM_STATISTICS, SUMMARIES_BY_INDEX, SIDES_WITHOUT_KEY_INDEX,
        ROWS_COMPARED, COLUMNS_NOT_HASHABLE, OUTSIDE_TARGET_SLICE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final StrategyDetails NONE = new StrategyDetails(new EnumMap<>(Figure.class));

    private final Map<Figure, Long> figures;

    private StrategyDetails(EnumMap<Figure, Long> figures) {
        this.figures = Collections.unmodifiableMap(figures);
    }

    public static Builder builder() {
        return new Builder();
    }

    public OptionalLong get(Figure figure) {
        Long v = figures.get(figure);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    public boolean has(Figure figure) {
        return figures.containsKey(figure);
    }

    public boolean isEmpty() {
        return figures.isEmpty();
    }

    /** The present figures by label, in {@link Figure} order (as the JSON report lists them). */
    public Map<String, Long> asMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        figures.forEach((f, v) -> out.put(f.label(), v));
        return out;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Collects the figures while a strategy runs. */
    public static final class Builder {
        private final EnumMap<Figure, Long> figures = new EnumMap<>(Figure.class);

        public Builder put(Figure figure, long value) {
            figures.put(figure, value);
            return this;
        }

        public StrategyDetails build() {
            return new StrategyDetails(new EnumMap<>(figures));
        }
    }
}
