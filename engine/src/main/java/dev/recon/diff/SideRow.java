package dev.recon.diff;

import java.util.Arrays;

/**
 * One row of one side: every mapped column as text (keys first), whether it is soft-deleted,
 * and its key parsed once for comparison ({@link KeyOrder#parse}; null when a key is NULL).
 */
record SideRow(String[] values, boolean gone, int nKeys, Object[] sortKey) {
    String[] key() {
        return Arrays.copyOf(values, nKeys);
    }
}
