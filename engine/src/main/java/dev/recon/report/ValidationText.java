package dev.recon.report;

import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** What {@code recon validate} prints of each checked mapping: its tables, strategy, key and columns. */
public final class ValidationText {
    private ValidationText() {
    }

    /** The lines of these plans, as the mapping file {@code config} wrote them. */
    public static List<String> lines(ReconConfig config, List<MappingPlan> plans) {
        List<String> out = new ArrayList<>();
        for (MappingPlan p : plans) {
            // a table without a key: its mapped columns are compared as a multiset
            List<ColumnMapping> columns = p.multiset() ? p.keyColumns() : p.columns();
            long compared = columns.stream().filter(c -> c.compared()).count();
            add(out, "ok  %s: %s -> %s, strategy %s, key %s, %s (%d compared), deletes %s", p.name(),
                    p.sourceTable().displayName(), p.targetTable().displayName(), p.strategy().label(),
                    p.multiset() ? "none (multiset: equal rows counted)"
                            : "(" + String.join(", ", p.keys().stream().map(k -> k.targetColumn()).toList()) + ")",
                    columns.size() + (columns.size() == 1 ? " column" : " columns"), compared, p.deletes());
            if (!p.rules().isEmpty()) {
                add(out, "    rules: %s", String.join(", ", p.rules().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue().describe()).toList()));
            }
            if (p.sourceTable().schema().isEmpty()) {
                // files read as a table: their columns as the reader took them, to pin what it guessed
                add(out, "    source columns as read: %s", String.join(", ", p.sourceTable().columns().stream()
                        .map(c -> c.name() + " " + c.type()).toList()));
            }
            if (config.mapping(p.name()).map(MappingConfig::sharedColumns).orElse(false)) {
                // the file gave no columns: say which ones both tables have, so nothing is compared unseen
                add(out, "    columns by name: %s", columns.isEmpty() ? "none (the tables share no column"
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
                    add(out, "    left alone: %s", String.join("; ", Stream.of(
                            sourceOnly.isEmpty() ? null : "only in the source: " + String.join(", ", sourceOnly),
                            targetOnly.isEmpty() ? null : "only in the target: " + String.join(", ", targetOnly))
                            .filter(Objects::nonNull).toList()));
                }
            }
        }
        return out;
    }

    private static void add(List<String> out, String format, Object... args) {
        out.add(String.format(format, args));
    }

    /** The columns of {@code table} that nothing maps and {@code other} has no column of that name for. */
    private static List<String> leftAlone(TableInfo table, TableInfo other, List<String> mapped) {
        return table.columns().stream().map(ColumnInfo::name).filter(n -> !mapped.contains(n))
                .filter(n -> other.columns().stream().noneMatch(c -> c.name().equals(n))).toList();
    }
}
