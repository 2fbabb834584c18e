package dev.recon.diff;

import dev.recon.db.DatabaseException;
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

    public SideRows(ResultSet rs, int nColumns, int nKeys, KeyOrder order, String context) {
        this(rs, nColumns, nKeys, order, context, null);
    }

    /** Rows whose values {@code check} sees first, and may refuse by throwing. */
    public SideRows(ResultSet rs, int nColumns, int nKeys, KeyOrder order, String context, Consumer<String[]> check) {
        this.check = check;
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
                if (rs.next()) {
                    String[] values = new String[nColumns];
                    for (int i = 0; i < nColumns; i++) {
                        values[i] = rs.getString(i + 1);
                    }
                    if (check != null) {
                        check.accept(values);
                    }
                    next = new SideRow(values, rs.getBoolean(nColumns + 1), nKeys, order.parse(values));
                } else {
                    done = true;
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
