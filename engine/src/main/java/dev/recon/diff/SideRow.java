package dev.recon.diff;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of one side: every mapped column as text (keys first), whether it is soft-deleted,
 * and its key parsed once for comparison ({@link KeyOrder#parse}; null when a key is NULL).
 *
 * <p>A row read as bytes ({@link SideRows} on a side whose driver hands over the UTF-8 of each
 * value) keeps them, and turns a column into a {@code String} only when it is asked for: the
 * merge compares equal values by their bytes, so most rows never make a string but of their key.
 * The bytes are valid UTF-8: PostgreSQL checks what it sends a UTF-8 client (a SQL_ASCII
 * database's other bytes fail the query: {@code CrossServerTest}).
 */
final class SideRow {
    private final byte[][] raw;
    private final String[] values;
    private final boolean gone;
    private final int nKeys;
    private final Object[] sortKey;

    /** A row read as text. */
    SideRow(String[] values, boolean gone, int nKeys, Object[] sortKey) {
        this(null, values, gone, nKeys, sortKey);
    }

    /** A row read as the UTF-8 bytes of each column's text, of which {@code values} has the keys already. */
    SideRow(byte[][] raw, String[] values, boolean gone, int nKeys, Object[] sortKey) {
        this.raw = raw;
        this.values = values;
        this.gone = gone;
        this.nKeys = nKeys;
        this.sortKey = sortKey;
    }

    /** Column {@code i}'s text, or null for NULL. */
    String value(int i) {
        String v = values[i];
        if (v == null && raw != null && raw[i] != null) {
            v = new String(raw[i], StandardCharsets.UTF_8);
            values[i] = v;
        }
        return v;
    }

    /** Every column's text (made now for a row read as bytes). */
    String[] values() {
        if (raw != null) {
            for (int i = nKeys; i < values.length; i++) {
                value(i);
            }
        }
        return values;
    }

    /**
     * Whether column {@code i} holds the same text in both rows (both NULL included): by
     * their bytes when both were read as bytes, as UTF-8 text is equal exactly when its bytes are.
     */
    boolean sameText(SideRow other, int i) {
        if (raw != null && other.raw != null) {
            return Arrays.equals(raw[i], other.raw[i]);
        }
        return Objects.equals(value(i), other.value(i));
    }

    /** About how many bytes the row's values hold, as read (what a read-ahead counts). */
    long bytes() {
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            if (raw != null && raw[i] != null) {
                n += raw[i].length;
            } else if (values[i] != null) {
                n += 2L * values[i].length();
            }
        }
        return n;
    }

    boolean gone() {
        return gone;
    }

    Object[] sortKey() {
        return sortKey;
    }

    String[] key() {
        return Arrays.copyOf(values, nKeys);
    }
}
