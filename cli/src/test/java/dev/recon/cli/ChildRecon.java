package dev.recon.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** recon run in a child JVM, so that a test can send it real signals; stdout and stderr go to files. */
record ChildRecon(Process process, Path out, Path err) {
    static ChildRecon start(Path dir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new ChildRecon(process, out, err);
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }
}
