package dev.recon;

import dev.recon.base.Progress;
import dev.recon.base.StopSignal;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.pg.Databases;
import dev.recon.plan.KeyArguments;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.report.ReportWriter;
import dev.recon.result.RunResult;
import dev.recon.run.DiffRunner;
import dev.recon.run.SyncOptions;
import dev.recon.run.SyncRunner;
import dev.recon.state.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The engine's entry point: a validated configuration in, plans and reports out. Holds no
 * connection between calls; each call opens and closes what it needs.
 */
public final class Recon {
    private final ReconConfig config;
    private final Databases databases = new Databases();

    public Recon(ReconConfig config) {
        this.config = config;
    }

    public ReconConfig config() {
        return config;
    }

    /** Checks the named mappings (all when empty) against the live tables; reads no rows. */
    public List<MappingPlan> plan(Collection<String> only, Purpose purpose) {
        return new Planner(config, databases).plan(only, purpose);
    }

    /**
     * Applies the differences of the named mappings to their targets; failed rows are
     * recorded and retried by the next run. See {@link SyncRunner}.
     */
    public RunResult sync(Collection<String> only, SyncOptions options, ReportWriter writer) {
        return sync(only, options, writer, Progress.NONE);
    }

    /** The same, telling {@code progress} how far each long phase has got. */
    public RunResult sync(Collection<String> only, SyncOptions options, ReportWriter writer, Progress progress) {
        return sync(only, options, writer, progress, StopSignal.never());
    }

    /**
     * The same, ending early when {@code stop} is raised: no batch is committed after the one
     * in flight, the run is recorded as stopped and the report lists the stopped mappings as errors.
     */
    public RunResult sync(Collection<String> only, SyncOptions options, ReportWriter writer, Progress progress,
            StopSignal stop) {
        long start = System.nanoTime();
        List<MappingPlan> plans = plan(only, Purpose.SYNC);
        return new SyncRunner(databases, config.stateSchema(), options, progress, stop).run(plans,
                Duration.ofNanos(System.nanoTime() - start), writer);
    }

    /**
     * What a sync of the named mappings would do, writing nothing: the differences, and the
     * error of each mapping a real sync would refuse (the delete guard). See {@link SyncRunner#dryRun}.
     */
    public RunResult dryRun(Collection<String> only, SyncOptions options, ReportWriter writer, Progress progress) {
        long start = System.nanoTime();
        List<MappingPlan> plans = plan(only, Purpose.SYNC);
        return new SyncRunner(databases, config.stateSchema(), options, progress, StopSignal.never()).dryRun(plans,
                Duration.ofNanos(System.nanoTime() - start), writer);
    }

    /** Compares the named mappings and renders the result; writes nothing to any table. */
    public RunResult diff(Collection<String> only, int samplesPerKind, ReportWriter writer) {
        return diff(only, samplesPerKind, writer, Progress.NONE);
    }

    /** The same, telling {@code progress} how far a long comparison has got. */
    public RunResult diff(Collection<String> only, int samplesPerKind, ReportWriter writer, Progress progress) {
        return diff(only, List.of(), samplesPerKind, writer, progress);
    }

    /**
     * The same, comparing only the rows with these keys when {@code keys} is not empty:
     * {@code COLUMN=VALUE[,COLUMN=VALUE]} per key, target key column names; every key column
     * must be named, in every mapping compared.
     */
    public RunResult diff(Collection<String> only, List<String> keys, int samplesPerKind, ReportWriter writer,
            Progress progress) {
        long start = System.nanoTime();
        List<MappingPlan> plans = plan(only, Purpose.DIFF);
        if (!keys.isEmpty()) {
            plans = plans.stream().map(p -> p.onlyKeys(KeyArguments.parse(p, keys))).toList();
        }
        return new DiffRunner(databases, samplesPerKind, progress).run(plans,
                Duration.ofNanos(System.nanoTime() - start), writer);
    }

    /** When a mapping last converged, from the state schema on its target; empty if never or unknown. */
    public Optional<Instant> lastConverged(String sync) {
        try {
            Optional<MappingConfig> mapping = config.mapping(sync);
            if (mapping.isEmpty()) {
                return Optional.empty();
            }
            RunStore store = RunStore.openExisting(databases, config.connection(mapping.get().target().connection()),
                    config.stateSchema());
            return store == null ? Optional.empty() : store.lastConverged(sync);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
