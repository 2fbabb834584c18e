package dev.recon.diff;

import dev.recon.db.DatabaseException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/** A result set of {@link SideQuery#selectList()} columns, read as {@link SideRow}s. */
public final class SideRows implements Iterator<SideRow> {
    private final ResultSet rs;
    private final int nColumns;
    private final int nKeys;
    private final String context;
    private SideRow next;
    private boolean done;

    private final KeyOrder order;
    private final Consumer<String[]> check;
    private final boolean utf8Bytes;

    public SideRows(ResultSet rs, int nColumns, int nKeys, KeyOrder order, String context) {
        this(rs, nColumns, nKeys, order, context, null, false);
    }

    /**
     * Rows whose values {@code check} sees first, and may refuse by throwing. With
     * {@code utf8Bytes} (the side's driver gives each text column's UTF-8 as its bytes:
     * {@link dev.recon.plan.SidePlan#readsTextAsUtf8}), values are read as bytes and made into
     * strings only when asked for; a check sees them all as strings.
     */
    public SideRows(ResultSet rs, int nColumns, int nKeys, KeyOrder order, String context, Consumer<String[]> check,
            boolean utf8Bytes) {
        this.check = check;
        this.utf8Bytes = utf8Bytes && check == null;
        this.order = order;
        this.rs = rs;
        this.nColumns = nColumns;
        this.nKeys = nKeys;
        this.context = context;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            try {
                if (!rs.next()) {
                    done = true;
                } else if (utf8Bytes) {
                    byte[][] raw = new byte[nColumns][];
                    String[] values = new String[nColumns];
                    for (int i = 0; i < nColumns; i++) {
                        raw[i] = rs.getBytes(i + 1);
                    }
                    for (int i = 0; i < nKeys; i++) {
                        values[i] = raw[i] == null ? null : new String(raw[i], StandardCharsets.UTF_8);
                    }
                    next = new SideRow(raw, values, rs.getBoolean(nColumns + 1), nKeys, order.parse(values));
                } else {
                    String[] values = new String[nColumns];
                    for (int i = 0; i < nColumns; i++) {
                        values[i] = rs.getString(i + 1);
                    }
                    if (check != null) {
                        check.accept(values);
                    }
                    next = new SideRow(values, rs.getBoolean(nColumns + 1), nKeys, order.parse(values));
                }
            } catch (SQLException e) {
                throw new DatabaseException(context, e);
            }
        }
        return next != null;
    }

    @Override
    public SideRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SideRow r = next;
        next = null;
        return r;
    }
}
