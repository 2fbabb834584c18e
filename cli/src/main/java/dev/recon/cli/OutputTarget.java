package dev.recon.cli;

import dev.recon.base.ReconException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Where a report goes: stdout ({@code -o -} too), or a file that appears only when complete
 * (written to a temporary file beside it and renamed), so a failed run never leaves half a
 * report. A symbolic link is followed to its target; a device or a pipe ({@code /dev/stdout},
 * a FIFO) is written to as it is, never replaced.
 */
final class OutputTarget implements AutoCloseable {
    private final Path file;
    private final Path temp;
    private final Writer writer;
    private boolean committed;
    /** A device or pipe opened here: closed at the end (stdout never is). */
    private boolean owned;
    /** The path as the user gave it, for messages. */
    private String shown = "stdout";
    /** What the file is, for messages. */
    private String what = "the report";

    private OutputTarget(Path file, Path temp, Writer writer) {
        this.file = file;
        this.temp = temp;
        this.writer = new Remembering(writer);
    }

    /**
     * A writer that remembers its first failure: a report writer that prints through a
     * {@code PrintWriter}, which swallows them, cannot hide a full disk from {@link #commit}.
     */
    private static final class Remembering extends java.io.FilterWriter {
        IOException failure;
        /** Whether anything was written through this writer. */
        boolean used;

        Remembering(Writer out) {
            super(out);
        }

        private IOException remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }

        @Override
        public void write(int c) throws IOException {
            used = true;
            try {
                super.write(c);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            used = true;
            try {
                super.write(cbuf, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            used = true;
            try {
                super.write(str, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                super.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }
    }

    static OutputTarget open(Path file, PrintWriter stdout) {
        return open(file, stdout, "the report");
    }

    /** As {@link #open(Path, PrintWriter)}; {@code what} names the file in messages ({@code "the mapping file"}). */
    static OutputTarget open(Path file, PrintWriter stdout, String what) {
        if (file == null || file.toString().equals("-")) {
            return new OutputTarget(null, null, stdout);
        }
        Path absolute = file.toAbsolutePath();
        try {
            // a symbolic link is followed: its target gets the report, the link stays
            for (int hops = 0; Files.isSymbolicLink(absolute) && hops < 40; hops++) {
                absolute = absolute.resolveSibling(Files.readSymbolicLink(absolute)).normalize();
            }
            if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
                if (Files.isDirectory(absolute)) {
                    throw new ReconException("cannot write " + what + " to " + file + ": it is a directory");
                }
                // a device or a pipe (/dev/stdout, a FIFO): written to as it is, never replaced
                OutputTarget device = new OutputTarget(null, null, Files.newBufferedWriter(absolute,
                        StandardCharsets.UTF_8, StandardOpenOption.WRITE));
                device.owned = true;
                device.shown = file.toString();
                return device;
            }
            Path dir = absolute.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new ReconException("cannot write " + what + " to " + file + ": directory " + dir
                        + " does not exist");
            }
            // not createTempFile, which makes the file 0600 whatever the umask: a metrics file must be
            // readable by node_exporter, another user, as any file this user creates would be
            Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid()
                    + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            BufferedWriter w = Files.newBufferedWriter(temp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            // a run ended by a signal (SIGTERM, Ctrl-C) leaves no half-written file behind
            temp.toFile().deleteOnExit();
            OutputTarget target = new OutputTarget(absolute, temp, w);
            target.shown = file.toString();
            target.what = what;
            return target;
        } catch (AccessDeniedException e) {
            throw new ReconException("cannot write " + what + " to " + file + ": permission denied ("
                    + e.getFile() + ")");
        } catch (IOException e) {
            throw new ReconException("cannot write " + what + " to " + file + ": " + e.getMessage());
        }
    }

    Writer writer() {
        return writer;
    }

    /** True when nothing has been written to the report yet. */
    boolean untouched() {
        return !((Remembering) writer).used;
    }

    /** Publishes the file; before this, closing discards it. */
    void commit() {
        try {
            writer.flush();
            IOException failed = ((Remembering) writer).failure;
            if (failed != null) {
                throw failed;
            }
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
            throw new ReconException("cannot write " + what + " to " + shown + ": " + e.getMessage());
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
        if (owned) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // what could be written was
            }
            return;
        }
        if (file == null || committed) {
            return;
        }
        try {
            writer.close();
        } catch (IOException ignored) {
            // a full disk fails the close too: the temporary file goes all the same
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // best effort: the run already failed with its own error
        }
    }
}
