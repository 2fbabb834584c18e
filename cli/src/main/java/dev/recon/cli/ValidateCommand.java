package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Purpose;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the mapping file against the live tables without reading any row.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every mapping is valid", "2:problems found (all are listed)"})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    @Option(names = "--sync", paramLabel = "NAME", description = "Only this mapping (repeatable; default: all).")
    List<String> syncs = new ArrayList<>();

    @Option(names = "--diff-only",
            description = "Check only what diff needs; by default the checks of sync (writable target) run too.")
    boolean diffOnly;

    @Override
    public Integer call() {
        Recon recon = new Recon(common.load());
        List<MappingPlan> plans = recon.plan(syncs, diffOnly ? Purpose.DIFF : Purpose.SYNC);
        PrintWriter out = spec.commandLine().getOut();
        for (MappingPlan p : plans) {
            long compared = p.columns().stream().filter(c -> c.compared()).count();
            out.printf("ok  %s: %s -> %s, strategy %s, key (%s), %s (%d compared), deletes %s%n", p.name(),
                    p.sourceTable().displayName(), p.targetTable().displayName(), p.strategy().label(),
                    String.join(", ", p.keys().stream().map(k -> k.targetColumn()).toList()),
                    p.columns().size() + (p.columns().size() == 1 ? " column" : " columns"), compared, p.deletes());
        }
        out.flush();
        return Main.IN_SYNC;
    }
}
