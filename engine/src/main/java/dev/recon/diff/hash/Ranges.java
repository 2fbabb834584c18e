package dev.recon.diff.hash;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The key ranges of the differing range segments: bounded ranges [lo, hi), adjacent
 * segments joined; {@code below} is set when the first open segment (k &lt; below) differs,
 * {@code from} when the last (k &gt;= from) does.
 */
record Ranges(String[] lo, String[] hi, String below, String from) {
    static Ranges of(List<Long> differing, String[] b) {
        List<String> lo = new ArrayList<>();
        List<String> hi = new ArrayList<>();
        String below = null;
        String from = null;
        long start = -1;
        long prev = -2;
        for (long seg : new TreeSet<>(differing)) {
            if (seg == 0) {
                below = b[0];
                continue;
            }
            if (seg == b.length) {
                from = b[b.length - 1];
                continue;
            }
            if (seg != prev + 1) {
                if (start >= 0) {
                    lo.add(b[(int) start - 1]);
                    hi.add(b[(int) prev]);
                }
                start = seg;
            }
            prev = seg;
        }
        if (start >= 0) {
            lo.add(b[(int) start - 1]);
            hi.add(b[(int) prev]);
        }
        return new Ranges(lo.toArray(new String[0]), hi.toArray(new String[0]), below, from);
    }
}
