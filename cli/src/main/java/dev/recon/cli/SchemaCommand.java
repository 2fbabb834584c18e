package dev.recon.cli;

import dev.recon.config.ConfigLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code recon schema}: the mapping file's JSON Schema, for an editor's completion and checks. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = {"Print the JSON Schema (draft 2020-12) of the mapping file, for an editor's completion and"
                + " checks.", "  recon schema > recon.schema.json", "and, as the first line of recon.yaml:",
            "  # yaml-language-server: $schema=./recon.schema.json"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed"})
final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(ConfigLoader.schema());
        out.flush();
        return Main.IN_SYNC;
    }
}
