package dev.recon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recon.cli.bench.BenchRun;
import dev.recon.cli.bench.FilesBench;
import dev.recon.cli.bench.MariaDbBench;
import dev.recon.cli.bench.SchemaBench;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Generate a source and a differing destination and measure recon against the floor the"
                + " databases set for the same work (and pg_comparator, when installed).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "2:error (the server, or a recon diff that found other differences than the"
                + " tables hold)"})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "JDBC_URL",
            defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres",
            description = "A server and a role that may create databases (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "Source rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--change-ratio", paramLabel = "R", defaultValue = "0.002",
            description = "Share of rows that differ (default: ${DEFAULT-VALUE}).")
    double changeRatio;

    @Option(names = "--strategy", paramLabel = "S", split = ",", defaultValue = "hash,merge",
            description = "Cross-database strategies to measure (default: ${DEFAULT-VALUE}).")
    List<String> strategies;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3", description = "Runs per measurement; the median"
            + " is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json.")
    TextOrJson format;

    @Option(names = "--databases", paramLabel = "PREFIX", defaultValue = "recon_bench",
            description = "The two databases (re)created: PREFIX_source and PREFIX_target (default: ${DEFAULT-VALUE}).")
    String databases;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "Also measure the diff across"
            + " two databases by hash with threads: N (key ranges compared N at once), differing and equal.")
    int threads;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "0", description = "Also measure a sync of equal"
            + " tables cut into N key ranges (split_rows), run as --shard 0/N to N-1/N one after another, against"
            + " the whole table's.")
    int shards;

    @Option(names = "--reuse", description = "Reuse the tables of the previous run instead of generating them.")
    boolean reuse;

    @Option(names = "--tables", paramLabel = "N", defaultValue = "0", description = "Measure one schema entry over N"
            + " tables of --rows rows each instead of one table: whole recon diff processes on one server and across"
            + " two databases against the sum of the per-table floors, and planning time per table (default:"
            + " ${DEFAULT-VALUE}, one table).")
    int tables;

    @Option(names = "--jobs", paramLabel = "N[,N...]", split = ",", defaultValue = "1,4", description = "With"
            + " --tables: the --jobs values to measure recon diff with (default: ${DEFAULT-VALUE}).")
    List<Integer> jobs;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "postgresql", description = "The source's"
            + " engine: postgresql; mariadb to measure a MariaDB or MySQL source (the server --mariadb-url names)"
            + " merged into PostgreSQL; or files: the source as a Parquet file and a CSV file, read by DuckDB"
            + " (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--mariadb-url", paramLabel = "JDBC_URL",
            defaultValue = "jdbc:mariadb://127.0.0.1:3306/test?user=root&sslMode=disable",
            description = "With --engine mariadb: a MariaDB or MySQL server and a user that may create databases"
                    + " (default: ${DEFAULT-VALUE}).")
    String mariaUrl;

    @Option(names = {"-v", "--verbose"}, description = "Log recon's progress during the runs to stderr (-vv: debug,"
            + " e.g. the hash strategy's time per phase).")
    boolean[] verbose = new boolean[0];

    @Override
    public Integer call() throws Exception {
        if (rows < 100 || changeRatio <= 0 || changeRatio > 0.5 || runs < 1) {
            throw new ParameterException(spec.commandLine(), "--rows must be at least 100, --change-ratio in (0, 0.5],"
                    + " --runs at least 1");
        }
        if (!databases.matches("[a-z_][a-z0-9_]{0,50}")) {
            throw new ParameterException(spec.commandLine(), "--databases takes a lower-case name of letters, digits"
                    + " and underscores (at most 51), not '" + databases + "'");
        }
        for (String s : strategies) {
            if (!List.of("hash", "merge").contains(s)) {
                throw new ParameterException(spec.commandLine(), "--strategy takes hash and/or merge, not " + s);
            }
        }
        Logging.configure(verbose.length, false, Logging.Format.TEXT, spec.commandLine().getErr());
        Logging.showStackTraces(verbose.length > 0);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("postgresql", "mariadb", "files").contains(engine)) {
            throw new ParameterException(spec.commandLine(), "--engine takes postgresql, mariadb or files, not "
                    + engine);
        }
        if (engine.equals("files")) {
            if (tables != 0) {
                throw new ParameterException(spec.commandLine(), "--tables measures PostgreSQL schema entries;"
                        + " it does not go with --engine files");
            }
            BenchRun.Result r = new FilesBench(url, databases, rows, changeRatio, runs).execute(!reuse, say(err));
            out.print(format == TextOrJson.JSON ? json(r) + "\n" : r.table());
            out.flush();
            return Main.IN_SYNC;
        }
        if (engine.equals("mariadb")) {
            if (tables != 0) {
                throw new ParameterException(spec.commandLine(), "--tables measures PostgreSQL schema entries;"
                        + " it does not go with --engine mariadb");
            }
            BenchRun.Result r = new MariaDbBench(url, mariaUrl, databases, rows, changeRatio, runs)
                    .execute(!reuse, say(err));
            out.print(format == TextOrJson.JSON ? json(r) + "\n" : r.table());
            out.flush();
            return Main.IN_SYNC;
        }
        if (tables > 0) {
            if (jobs.stream().anyMatch(j -> j < 1)) {
                throw new ParameterException(spec.commandLine(), "--jobs takes whole numbers of at least 1");
            }
            SchemaBench.Result r = new SchemaBench(url, databases, tables, rows, changeRatio, runs, jobs)
                    .execute(!reuse, say(err));
            out.print(format == TextOrJson.JSON ? schemaJson(r) + "\n" : r.table());
            out.flush();
            return Main.IN_SYNC;
        }
        if (tables < 0) {
            throw new ParameterException(spec.commandLine(), "--tables must be at least 1 (or 0: one table)");
        }
        if (threads < 0 || threads > 64 || shards < 0) {
            throw new ParameterException(spec.commandLine(), "--threads takes 2 to 64 (0: not measured), --shards 2"
                    + " or more (0: not measured)");
        }
        BenchRun.Result result = new BenchRun(url, databases, rows, changeRatio, runs, strategies)
                .withRanges(threads, shards).execute(!reuse, System.console() != null, say(err));
        if (format == TextOrJson.JSON) {
            out.println(json(result));
        } else {
            out.print(result.table());
        }
        out.flush();
        return Main.IN_SYNC;
    }

    /** Progress lines, on stderr. */
    private static java.util.function.Consumer<String> say(PrintWriter err) {
        return line -> {
            err.println("bench: " + line);
            err.flush();
        };
    }

    private String schemaJson(SchemaBench.Result r) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("tables", r.tables());
        root.put("rows_per_table", r.rows());
        root.put("change_ratio", changeRatio);
        root.put("runs", runs);
        ArrayNode lines = root.putArray("lines");
        for (SchemaBench.Line l : r.lines()) {
            ObjectNode n = lines.addObject();
            n.put("measure", l.name());
            n.put("jobs", l.jobs());
            n.put("recon_seconds", l.seconds());
            n.put("recon_min_seconds", l.min());
            n.put("recon_max_seconds", l.max());
            n.put("floor", l.floorName());
            n.put("floor_seconds", l.floorSeconds());
            n.put("ratio", l.ratio());
            n.put("plan_ms_per_table", l.planMsPerTable());
        }
        return mapper.writeValueAsString(root);
    }

    private String json(BenchRun.Result result) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("rows", rows);
        root.put("change_ratio", changeRatio);
        root.put("runs", runs);
        root.put("machine", result.machine());
        if (result.source() != null) {
            root.put("source", result.source());
        }
        ArrayNode lines = root.putArray("lines");
        for (var l : result.lines()) {
            ObjectNode n = lines.addObject();
            n.put("measure", l.name());
            n.put("recon", l.detail());
            n.put("recon_seconds", l.recon().seconds());
            n.put("whole_process_seconds", l.wholeSeconds());
            n.put("whole_process_min_seconds", l.wholeMin());
            n.put("whole_process_max_seconds", l.wholeMax());
            n.put("floor", l.floorName());
            n.put("floor_seconds", l.floorSeconds());
            n.put("ratio", l.ratio());
            n.put("whole_process_ratio", l.wholeRatio());
            n.put("peak_heap_mib", l.recon().peakHeapMib());
            n.put("peak_rss_mib", l.recon().peakRssMib());
        }
        ArrayNode versus = root.putArray("pg_comparator");
        for (var v : result.versus()) {
            ObjectNode n = versus.addObject();
            n.put("tables", v.tables());
            n.put("pg_comparator_seconds", v.pgComparatorSeconds());
            n.put("recon_hash_seconds", v.reconSeconds());
            n.put("speedup", v.speedup());
            n.put("recon_hash_whole_process_seconds", v.reconWholeSeconds());
            n.put("whole_process_speedup", v.wholeSpeedup());
        }
        return mapper.writeValueAsString(root);
    }
}
