package dev.recon.apply;

import dev.recon.base.ReconException;
import dev.recon.config.Operation;
import dev.recon.result.RowChange;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The changes of one diff, kept in a temporary file between finding and applying them, so a
 * sync holds constant memory and knows every count (for the delete guard) before it writes.
 * Only what the writer needs is kept: kind, revive flag, key, and the source row for upserts
 * ({@link #whole}: every part, for a report's rows).
 * The file is made by the first change (a run without changes touches no disk).
 */
public final class ChangeSpool implements AutoCloseable {
    private final boolean whole;
    private Path file;
    private DataOutputStream out;
    private long size;

    /** What the writer needs of each change: its key, source values and the target row as recon read it. */
    public ChangeSpool() {
        this(false);
    }

    private ChangeSpool(boolean whole) {
        this.whole = whole;
    }

    /** Every part of each change: the changed columns too (for a report that lists them). */
    public static ChangeSpool whole() {
        return new ChangeSpool(true);
    }

    /** The spool files this process has open, for {@link #deleteAll}. */
    private static final java.util.Set<Path> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final String PREFIX = "recon-spool-" + ProcessHandle.current().pid() + "-";
    private static final java.util.concurrent.atomic.AtomicBoolean SWEPT = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Deletes every spool file this process has open: for a process about to halt (a second
     * SIGTERM), which runs no {@code deleteOnExit}.
     */
    public static void deleteAll() {
        for (Path p : LIVE) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // halting anyway
            }
        }
    }

    /**
     * Deletes the spool files of recon processes that are gone (killed, so no cleanup ran):
     * {@code recon-spool-<pid>-*.bin} in the temporary directory whose process is not alive.
     */
    static void sweep(Path dir) {
        try (var files = Files.newDirectoryStream(dir, "recon-spool-*-*.bin")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String pid = name.substring("recon-spool-".length(), name.indexOf('-', "recon-spool-".length()));
                if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()
                        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // only tidying
        }
    }

    private void create() {
        try {
            file = Files.createTempFile(PREFIX, ".bin");
            LIVE.add(file);
            file.toFile().deleteOnExit();
            if (SWEPT.compareAndSet(false, true)) {
                sweep(file.getParent());
            }
            out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        } catch (IOException e) {
            throw new ReconException("cannot create a spool file in " + System.getProperty("java.io.tmpdir")
                    + " for the changes: " + e.getMessage(), e);
        }
    }

    public void add(RowChange c) {
        if (out == null) {
            create();
        }
        try {
            out.writeByte(c.operation().ordinal());
            out.writeBoolean(c.revive());
            writeList(c.key());
            writeList(c.operation() == Operation.DELETE && !whole ? List.of() : c.source());
            // the writer finds an update's or a delete's row as recon read it before it writes (or leaves it alone)
            writeList(c.target());
            if (whole) {
                writeList(c.changed());
            }
            size++;
        } catch (IOException e) {
            throw new ReconException("cannot write the spool file " + file + ": " + ioCause(e), e);
        }
    }

    public long size() {
        return size;
    }

    /** Reads the changes back in the order they were added; call once, after the last add. */
    public Iterator<RowChange> read() {
        if (out == null) {
            return List.<RowChange>of().iterator();
        }
        try {
            out.close();
            DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            return new Iterator<>() {
                private long read;

                @Override
                public boolean hasNext() {
                    return read < size;
                }

                @Override
                public RowChange next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    try {
                        Operation kind = Operation.values()[in.readByte()];
                        boolean revive = in.readBoolean();
                        List<String> key = readList(in);
                        List<String> source = readList(in);
                        List<String> target = readList(in);
                        List<String> changed = whole ? readList(in) : List.of();
                        read++;
                        if (read == size) {
                            in.close();
                        }
                        return new RowChange(kind, key, source, target, changed, revive);
                    } catch (EOFException e) {
                        throw new ReconException("the spool file " + file + " ended early", e);
                    } catch (IOException e) {
                        throw new ReconException("cannot read the spool file " + file + ": " + ioCause(e), e);
                    }
                }
            };
        } catch (IOException e) {
            throw new ReconException("cannot read the spool file " + file + ": " + ioCause(e), e);
        }
    }

    /** What went wrong, as the system says it ("No space left on device"). */
    static String ioCause(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private void writeList(List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            if (v == null) {
                out.writeInt(-1);
            } else {
                byte[] b = v.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = in.readInt();
            if (len < 0) {
                values.add(null);
            } else {
                byte[] b = new byte[len];
                in.readFully(b);
                values.add(new String(b, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException ignored) {
            // closing twice or after a failed write: the file is removed below either way
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit will retry
        }
        LIVE.remove(file);
    }
}
