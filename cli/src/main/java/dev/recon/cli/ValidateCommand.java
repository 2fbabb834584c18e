package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.config.ReconConfig;
import dev.recon.report.ValidationText;
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
        ReconConfig config = common.load();
        Recon recon = new Recon(config);
        var plans = recon.validate(syncs, diffOnly);
        PrintWriter out = spec.commandLine().getOut();
        ValidationText.lines(config, plans).forEach(out::println);
        out.flush();
        return Main.IN_SYNC;
    }
}
