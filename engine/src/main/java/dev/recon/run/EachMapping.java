package dev.recon.run;

import dev.recon.base.ReconException;
import dev.recon.plan.MappingPlan;
import dev.recon.result.ChangeListener;
import dev.recon.result.MappingResult;
import dev.recon.result.RunResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        List<MappingResult> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> errored = new ArrayList<>();
        for (MappingPlan plan : plans) {
            try (MDC.MDCCloseable mdc = MDC.putCloseable("sync", plan.name())) {
                step.run(plan, results::add);
            } catch (ChangeListener.Failure e) {
                throw e;
            } catch (ReconException e) {
                // the caller reports the error (the command line prints it; recon serve logs it)
                LOG.info("{} - ended in an error: {}", plan.name(), e.getMessage());
                errors.add(e.describe());
                errored.add(plan.name());
            }
        }
        return new RunResult(kind, results, planTime, errors, errored);
    }
}
