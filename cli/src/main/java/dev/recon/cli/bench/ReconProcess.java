package dev.recon.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh recon process, started the way the launcher ({@code bin/recon}, {@code ./recon})
 * starts one: this JVM's java and heap limit, the jar, and the launcher's class-data-sharing
 * archive beside it (or in {@code ~/.cache/recon}) when there is a current one. Run from
 * classes (the tests), the class path and {@code dev.recon.cli.Main} instead.
 */
final class ReconProcess {
    private ReconProcess() {
    }

    /** How the processes are started, for the report: "java -jar recon.jar, with its class-data-sharing archive". */
    static String describe() {
        Path jar = jar();
        if (jar == null) {
            return "java -cp <classes> dev.recon.cli.Main";
        }
        if (launcher() != null) {
            return "bin/recon of the self-contained release, with its runtime and start-up archive";
        }
        return "java -jar " + jar.getFileName() + (archive(jar) == null ? ", no class-data-sharing archive (run"
                + " ./recon diff once to make one)" : ", with the launcher's class-data-sharing archive");
    }

    /** Runs {@code recon args...}, its output discarded, its errors on this process's stderr; its exit code. */
    static int run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        List<String> heap = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xmx") || a.startsWith("-Xms")) {
                heap.add(a);
            }
        }
        Path jar = jar();
        Path launcher = launcher();
        if (launcher != null) {
            // what a user of the self-contained release runs: its launcher, its runtime, its AOT cache
            command.add(launcher.toString());
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("RECON_JAVA_OPTS", String.join(" ", heap));
            return pb.start().waitFor();
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(heap);
        if (jar == null) {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.recon.cli.Main"));
        } else {
            Path jsa = archive(jar);
            if (jsa != null) {
                command.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds*=off"));
            }
            command.addAll(List.of("-jar", jar.toString()));
        }
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return p.waitFor();
    }

    /**
     * A {@code recon diff} of one mapping as a fresh process, checked: it must exit 1 (or 0 when
     * {@code expected} is all zero) and find exactly {@code expected} (insert, update, delete).
     */
    static long diff(Path yaml, String mapping, long[] expected, Path dir) throws IOException, InterruptedException {
        Path report = dir.resolve("whole-report.json");
        int exit = run(List.of("diff", "-c", yaml.toString(), "--sync", mapping, "--samples", "0", "--format", "json",
                "-o", report.toString()));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        long[] found = counts(json);
        boolean none = expected[0] + expected[1] + expected[2] == 0;
        if (exit != (none ? 0 : 1) || found[0] != expected[0] || found[1] != expected[1] || found[2] != expected[2]) {
            throw new IllegalStateException("recon diff --sync " + mapping + " (a process of its own) exited " + exit
                    + " and found " + found[0] + "/" + found[1] + "/" + found[2] + " (insert/update/delete); the"
                    + " tables hold " + expected[0] + "/" + expected[1] + "/" + expected[2]);
        }
        return json.path("plan_ms").asLong(-1);
    }

    /** {@code recon --version} as a process of its own, which must exit 0. */
    static void version() throws IOException, InterruptedException {
        int exit = run(List.of("--version"));
        if (exit != 0) {
            throw new IllegalStateException("recon --version exited " + exit);
        }
    }

    /** {@code java -version} of the runtime the whole-process runs use: the JVM's own start. */
    static void jvmStart() throws IOException, InterruptedException {
        Path launcher = launcher();
        String java = launcher != null ? launcher.getParent().resolveSibling("runtime/bin/java").toString()
                : ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-version").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(java + " -version exited " + p.exitValue());
        }
    }

    /** A {@code recon sync} of one mapping as a fresh process, which must converge (exit 0). */
    static void sync(Path yaml, String mapping, Path dir, String... more) throws IOException, InterruptedException {
        Path report = dir.resolve("whole-sync.json");
        List<String> args = new ArrayList<>(List.of("sync", "-c", yaml.toString(), "--sync", mapping, "--force",
                "--samples", "0", "--format", "json", "-o", report.toString()));
        args.addAll(List.of(more));
        int exit = run(args);
        if (exit != 0) {
            throw new IllegalStateException("recon sync --sync " + mapping + " (a process of its own) exited " + exit);
        }
    }

    /** A JSON report's differences summed over its mappings: insert, update, delete. */
    static long[] counts(JsonNode json) {
        long[] found = new long[3];
        for (JsonNode s : json.get("syncs")) {
            JsonNode c = s.get("counts");
            found[0] += c.get("insert").asLong();
            found[1] += c.get("update").asLong();
            found[2] += c.get("delete").asLong();
        }
        return found;
    }

    /** {@code bin/recon} when this process runs a self-contained release's {@code lib/recon.jar}, else null. */
    private static Path launcher() {
        Path jar = jar();
        Path home = jar == null || jar.getParent() == null ? null : jar.getParent().getParent();
        if (home == null || !Files.isExecutable(home.resolve("runtime/bin/java"))) {
            return null;
        }
        Path bin = home.resolve("bin/recon");
        return Files.isRegularFile(bin) ? bin : null;
    }

    private static Path jar() {
        String cp = System.getProperty("java.class.path");
        return cp.endsWith(".jar") && !cp.contains(File.pathSeparator) ? Path.of(cp).toAbsolutePath() : null;
    }

    /** The archive the launcher would use for this jar: present and newer than the jar, else null. */
    private static Path archive(Path jar) {
        String name = jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa");
        List<Path> places = new ArrayList<>(List.of(jar.resolveSibling(name)));
        String home = System.getenv("HOME");
        String cache = System.getenv("XDG_CACHE_HOME");
        if (cache != null) {
            places.add(Path.of(cache, "recon", name));
        } else if (home != null) {
            places.add(Path.of(home, ".cache", "recon", name));
        }
        for (Path p : places) {
            try {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(jar)) > 0) {
                    return p;
                }
            } catch (IOException ignored) {
                // unreadable: not used
            }
        }
        return null;
    }
}
