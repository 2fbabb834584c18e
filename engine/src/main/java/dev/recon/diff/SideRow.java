package dev.recon.diff;

/** One row of one side: every mapped column as text (keys first) and whether it is soft-deleted. */
record SideRow(String[] values, boolean gone, int nKeys) {
    String[] key() {
        return java.util.Arrays.copyOf(values, nKeys);
    }

    boolean hasNullKey() {
        for (int i = 0; i < nKeys; i++) {
            if (values[i] == null) {
                return true;
            }
        }
        return false;
    }
}
