package dev.recon.cli;

import dev.recon.base.ReconException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a report goes: stdout, or a file that appears only when complete (written to a
 * temporary file beside it and renamed), so a failed run never leaves half a report.
 */
final class OutputTarget implements AutoCloseable {
    private final Path file;
    private final Path temp;
    private final Writer writer;
    private boolean committed;

    private OutputTarget(Path file, Path temp, Writer writer) {
        this.file = file;
        this.temp = temp;
        this.writer = writer;
    }

    static OutputTarget open(Path file, PrintWriter stdout) {
        if (file == null) {
            return new OutputTarget(null, null, stdout);
        }
        Path absolute = file.toAbsolutePath();
        try {
            // not createTempFile, which makes the file 0600 whatever the umask: a metrics file must be
            // readable by node_exporter, another user, as any file this user creates would be
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                    + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return new OutputTarget(absolute, temp, w);
        } catch (IOException e) {
            throw new ReconException("cannot write report file " + file + ": " + e);
        }
    }

    Writer writer() {
        return writer;
    }

    /** Publishes the file; before this, closing discards it. */
    void commit() {
        try {
            writer.flush();
            if (file != null) {
                writer.close();
                keepMode();
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            committed = true;
        } catch (IOException e) {
            throw new ReconException("cannot write report file " + file + ": " + e);
        }
    }

    /** A file that exists keeps its permissions (a report kept private stays private). */
    private void keepMode() throws IOException {
        if (Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(file));
            } catch (UnsupportedOperationException notPosix) {
                // nothing to keep
            }
        }
    }

    @Override
    public void close() {
        if (file == null || committed) {
            return;
        }
        try {
            writer.close();
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the run already failed with its own error
        }
    }
}
