package dev.recon.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** {@code recon bench} from start to end: generate, measure, compare with pg_comparator, tabulate. */
public final class BenchRun {
    private final String url;
    private final String prefix;
    private final long rows;
    private final double changeRatio;
    private final int runs;
    private final List<String> strategies;

    public BenchRun(String url, String prefix, long rows, double changeRatio, int runs, List<String> strategies) {
        this.url = url;
        this.prefix = prefix;
        this.rows = rows;
        this.changeRatio = changeRatio;
        this.runs = runs;
        this.strategies = List.copyOf(strategies);
    }

    private int threads;
    private int shards;

    /** Also the cross-database hash with {@code threads} ranges at once, and a sync in {@code shards} shards ({@link Bench#withRanges}). */
    public BenchRun withRanges(int threadCount, int shardCount) {
        this.threads = threadCount;
        this.shards = shardCount;
        return this;
    }

    /** What was measured. */
    public record Result(List<Bench.Line> lines, List<Bench.Versus> versus, String machine, long rows, String source) {
        Result(List<Bench.Line> lines, List<Bench.Versus> versus, String machine, long rows) {
            this(lines, versus, machine, rows, null);
        }

        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("recon bench: %,d rows, medians; %s%n", rows, machine));
            if (source != null) {
                sb.append(source).append('\n');
            }
            sb.append(String.format("in-process: recon's run inside this JVM; whole: a fresh process (%s), as a user"
                    + " times it%n%n", ReconProcess.describe()));
            sb.append(String.format("%-28s %-24s %9s %9s %15s %9s %7s %7s %8s %8s  %s%n", "measure", "recon",
                    "in-proc s", "whole s", "whole range", "floor s", "ratio", "whole r", "heap MiB", "RSS MiB",
                    "floor"));
            for (Bench.Line l : lines) {
                sb.append(String.format("%-28s %-24s %9.3f %9.3f %7.3f-%-7.3f %9.3f %6.2fx %6.2fx %8.0f %8.0f  %s%n",
                        l.name(), l.detail(), l.recon().seconds(), l.wholeSeconds(), l.wholeMin(), l.wholeMax(),
                        l.floorSeconds(), l.ratio(), l.wholeRatio(), l.recon().peakHeapMib(),
                        l.recon().peakRssMib(), l.floorName()));
            }
            for (Bench.Versus v : versus) {
                sb.append(String.format("pg_comparator, %s: %.3f s (its whole process); recon hash %.3f s as a whole"
                        + " process, %s (%.3f s in-process, %s); in alternation%n", v.tables(),
                        v.pgComparatorSeconds(), v.reconWholeSeconds(), faster(v.wholeSpeedup()), v.reconSeconds(),
                        faster(v.speedup())));
            }
            if (versus.isEmpty() && source == null) {
                sb.append("pg_comparator: not measured (not installed, or its pgcmp extension could not be created)\n");
            }
            return sb.toString();
        }
    }

    /** "2.3x faster", or "4.1x slower" when recon took longer. */
    static String faster(double speedup) {
        return speedup >= 1 ? String.format("%.1fx faster", speedup) : String.format("%.1fx slower", 1 / speedup);
    }

    public Result execute(boolean generate, boolean terminal, Consumer<String> say) throws Exception {
        BenchData data = new BenchData(url, prefix, rows, changeRatio);
        if (generate) {
            say.accept("generating " + rows + " rows in " + data.sourceDb() + " and " + data.targetDb());
            if (terminal) {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("generating").setInitialMax(rows)
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" rows", 1).build()) {
                    data.create(bar::stepBy);
                }
            } else {
                data.create(n -> { });
            }
        }
        Bench bench = new Bench(data, runs, strategies, PgComparator.find(data, url, say)).withRanges(threads, shards,
                rows);
        bench.run(say);
        return new Result(bench.lines(), bench.versus(), machine(), rows);
    }

    static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*: ", ""))
                    .orElse("");
        } catch (IOException ignored) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + (cpu.isEmpty() ? "" : " (" + cpu + ")")
                + ", max heap " + Runtime.getRuntime().maxMemory() / 1048576 + " MiB, Java "
                + System.getProperty("java.version");
    }
}
