package dev.recon.run;

import dev.recon.base.Progress;
import dev.recon.base.ReconException;
import dev.recon.db.DatabaseException;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ChangeListener;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs mappings one after the other: one mapping's error (a lost server, duplicate keys, a
 * held lock, the delete guard) becomes that mapping's error in the result and the others still
 * run; only a listener that cannot take a change (the report cannot be written) ends the run.
 */
final class EachMapping {
    private static final Logger LOG = LoggerFactory.getLogger(EachMapping.class);

    /** One mapping's work: it reports its result (and may then still end in an error, as a dry run's refusal). */
    interface Step {
        void run(MappingPlan plan, Consumer<MappingResult> report);
    }

    private EachMapping() {
    }

    static RunResult run(RunResult.Kind kind, List<MappingPlan> plans, Duration planTime, Step step) {
        return run(kind, plans, planTime, 1, Progress.NONE, step);
    }

    /**
     * The same, telling {@code progress} how many mappings are done when there are several
     * (each mapping's own phases then are not shown).
     */
    static RunResult run(RunResult.Kind kind, List<MappingPlan> plans, Duration planTime, int jobs,
            Progress progress, Step step) {
        if (plans.size() <= 1) {
            return run(kind, plans, planTime, jobs, step);
        }
        progress.startMappings(plans.size());
        try {
            return run(kind, plans, planTime, jobs, (plan, report) -> {
                long[] found = {0};
                try {
                    step.run(plan, result -> {
                        found[0] += result.counts().total();
                        report.accept(result);
                    });
                } finally {
                    progress.mappingDone(found[0]);
                }
            });
        } finally {
            progress.endMappings();
        }
    }

    /**
     * The same with up to {@code jobs} mappings at once, each on its own thread (and so its own
     * connections); the result lists them in plan order whatever finishes first.
     */
    static RunResult run(RunResult.Kind kind, List<MappingPlan> plans, Duration planTime, int jobs, Step step) {
        int n = plans.size();
        List<List<MappingResult>> results = new ArrayList<>();
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            results.add(new ArrayList<>());
        }
        if (jobs <= 1 || n <= 1) {
            for (int i = 0; i < n; i++) {
                errors[i] = one(plans.get(i), step, results.get(i));
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, n), r -> {
                Thread t = new Thread(r, "recon-job");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<String>> futures = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int index = i;
                    futures.add(pool.submit(() -> one(plans.get(index), step, results.get(index))));
                }
                for (int i = 0; i < n; i++) {
                    errors[i] = futures.get(i).get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReconException("interrupted while the mappings ran", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new ReconException("a mapping's run failed: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        List<MappingResult> all = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        List<String> errored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.addAll(results.get(i));
            if (errors[i] != null) {
                messages.add(errors[i]);
                errored.add(plans.get(i).name());
            }
        }
        return new RunResult(kind, all, planTime, messages, errored);
    }

    /**
     * For a value the database could not take (SQLSTATE class 22: bad input syntax, out of
     * range, division by zero), which of the mapping's values are computed or converted on
     * the way: its expressions, and source columns of another type than their target column;
     * empty otherwise.
     */
    static String valuesHint(MappingPlan plan, ReconException e) {
        if (!(e instanceof DatabaseException d) || d.sqlState() == null || !d.sqlState().startsWith("22")) {
            return "";
        }
        List<String> computed = new ArrayList<>();
        for (ColumnMapping m : plan.keys()) {
            describe(m, computed);
        }
        for (ColumnMapping m : plan.columns()) {
            describe(m, computed);
        }
        return computed.isEmpty() ? "" : "; a source value that one of these could not take? "
                + String.join(", ", computed);
    }

    private static void describe(ColumnMapping m, List<String> out) {
        if (m.targetSql() != null) {
            return; // a copy number
        }
        if (m.sourceIsExpression()) {
            out.add("expression '" + m.sourceLabel() + "' -> " + m.targetColumn() + " (" + m.targetType() + ")");
        } else if (m.sourceType() != null && !m.sourceType().equals(m.targetType())) {
            out.add(m.sourceLabel() + " (" + m.sourceType() + ") -> " + m.targetColumn() + " (" + m.targetType() + ")");
        }
    }

    /** Runs one mapping's step; returns its error message, or null. */
    private static String one(MappingPlan plan, Step step, List<MappingResult> results) {
        try (MDC.MDCCloseable mdc = MDC.putCloseable("sync", plan.name())) {
            step.run(plan, results::add);
            return null;
        } catch (ChangeListener.Failure e) {
            throw e;
        } catch (ReconException e) {
            // the caller reports the error (the command line prints it; recon serve logs it)
            LOG.info("{} - ended in an error: {}", plan.name(), e.getMessage());
            LOG.debug("{} - where the error arose", plan.name(), e);
            String described = e.describe() + valuesHint(plan, e);
            // every error names its mapping, also one raised where the mapping was not known
            return described.startsWith("mapping '" + plan.name() + "'") ? described
                    : "mapping '" + plan.name() + "': " + described;
        }
    }
}
