package dev.recon.cli;

import dev.recon.Recon;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.plan.Purpose;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
        List<MappingPlan> plans = recon.plan(syncs, diffOnly ? Purpose.DIFF : Purpose.SYNC);
        PrintWriter out = spec.commandLine().getOut();
        for (MappingPlan p : plans) {
            // a table without a key: its mapped columns are compared as a multiset
            List<ColumnMapping> columns = p.multiset() ? p.keyColumns() : p.columns();
            long compared = columns.stream().filter(c -> c.compared()).count();
            out.printf("ok  %s: %s -> %s, strategy %s, key %s, %s (%d compared), deletes %s%n", p.name(),
                    p.sourceTable().displayName(), p.targetTable().displayName(), p.strategy().label(),
                    p.multiset() ? "none (multiset: equal rows counted)"
                            : "(" + String.join(", ", p.keys().stream().map(k -> k.targetColumn()).toList()) + ")",
                    columns.size() + (columns.size() == 1 ? " column" : " columns"), compared, p.deletes());
            if (config.mapping(p.name()).map(MappingConfig::sharedColumns).orElse(false)) {
                // the file gave no columns: say which ones both tables have, so nothing is compared unseen
                out.printf("    columns by name: %s%n", columns.isEmpty() ? "none (the tables share no column"
                        + " besides the key)" : String.join(", ", columns.stream().map(c -> c.targetColumn()
                        + (c.compared() ? "" : " (not compared)")).toList()));
                List<String> sourceOnly = leftAlone(p.sourceTable(), p.targetTable(),
                        p.allColumns().stream().map(c -> c.sourceLabel()).toList());
                List<String> written = new java.util.ArrayList<>(p.allColumns().stream().map(c -> c.targetColumn())
                        .toList());
                // the soft-delete marker is recon's to write, not left alone
                p.softDelete().ifPresent(sd -> written.add(sd.column()));
                List<String> targetOnly = leftAlone(p.targetTable(), p.sourceTable(), written);
                if (!sourceOnly.isEmpty() || !targetOnly.isEmpty()) {
                    out.printf("    left alone: %s%n", String.join("; ", Stream.of(
                            sourceOnly.isEmpty() ? null : "only in the source: " + String.join(", ", sourceOnly),
                            targetOnly.isEmpty() ? null : "only in the target: " + String.join(", ", targetOnly))
                            .filter(Objects::nonNull).toList()));
                }
            }
        }
        out.flush();
        return Main.IN_SYNC;
    }

    /** The columns of {@code table} that nothing maps and {@code other} has no column of that name for. */
    private static List<String> leftAlone(TableInfo table, TableInfo other, List<String> mapped) {
        return table.columns().stream().map(ColumnInfo::name).filter(n -> !mapped.contains(n))
                .filter(n -> other.columns().stream().noneMatch(c -> c.name().equals(n))).toList();
    }
}
