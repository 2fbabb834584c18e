package dev.recon.result;

import dev.recon.plan.MappingPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of a mapping's key ranges ({@code split_rows}, {@code threads}) added back up into
 * one per mapping, as the reports' totals and the metrics give them: counts, figures, rows
 * written, failed and changed meanwhile summed, samples and failed rows together, and the
 * ranges' times summed (their work; ranges run at once take less wall time).
 */
public final class RangeTotals {
    private RangeTotals() {
    }

    /** The mapping a result's name belongs to: {@code orders} of the range {@code orders[2/8]}, else the name. */
    public static String mappingOf(String name) {
        return dev.recon.plan.KeyRange.mappingOf(name);
    }

    /** The results of each cut mapping's ranges of this run, by mapping name, in the run's order. */
    public static Map<String, List<MappingResult>> byMapping(RunResult run) {
        Map<String, List<MappingResult>> out = new LinkedHashMap<>();
        for (MappingResult m : run.mappings()) {
            if (m.plan().range().isPresent()) {
                out.computeIfAbsent(m.plan().mapping(), n -> new ArrayList<>()).add(m);
            }
        }
        return out;
    }

    /** One result for the ranges {@code ranges} of one mapping (its plan is the first range's). */
    public static MappingResult sum(List<MappingResult> ranges) {
        MappingResult first = ranges.get(0);
        Counts counts = Counts.ZERO;
        List<RowChange> samples = new ArrayList<>();
        EnumMap<StrategyDetails.Figure, Long> figures = new EnumMap<>(StrategyDetails.Figure.class);
        Duration total = Duration.ZERO;
        Duration diff = Duration.ZERO;
        Duration apply = Duration.ZERO;
        ApplyResult applied = null;
        long underRules = 0;
        List<RowChange> forgiven = new ArrayList<>();
        for (MappingResult r : ranges) {
            counts = counts.plus(r.counts());
            samples.addAll(r.samples());
            r.details().asMap().forEach((label, value) -> {
                for (StrategyDetails.Figure f : StrategyDetails.Figure.values()) {
                    if (f.label().equals(label)) {
                        figures.merge(f, value, Long::sum);
                    }
                }
            });
            total = total.plus(r.duration());
            diff = diff.plus(r.diffTime());
            apply = apply.plus(r.applyTime());
            underRules += r.underRules().rows();
            forgiven.addAll(r.underRules().samples());
            if (r.applied().isPresent()) {
                ApplyResult a = r.applied().get();
                if (applied == null) {
                    applied = a;
                } else {
                    List<FailedRow> failed = new ArrayList<>(applied.failed());
                    failed.addAll(a.failed());
                    List<ApplyResult.Stuck> stuck = new ArrayList<>(applied.stuck());
                    stuck.addAll(a.stuck());
                    List<List<String>> keys = new ArrayList<>(applied.meanwhileKeys());
                    keys.addAll(a.meanwhileKeys());
                    applied = new ApplyResult(applied.written().plus(a.written()), failed, stuck,
                            applied.notApplied() + a.notApplied(), applied.changedMeanwhile() + a.changedMeanwhile(),
                            keys.subList(0, Math.min(keys.size(), ApplyResult.MEANWHILE_KEPT)));
                }
            }
        }
        StrategyDetails.Builder details = StrategyDetails.builder();
        figures.forEach(details::put);
        MappingPlan plan = first.plan();
        return new MappingResult(plan, first.strategy(), counts, samples, details.build(), total, diff, apply,
                Optional.ofNullable(applied), Optional.empty(), Optional.empty(), new UnderRules(underRules, forgiven));
    }
}
