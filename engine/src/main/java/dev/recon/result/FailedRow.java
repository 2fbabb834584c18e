package dev.recon.result;

import dev.recon.config.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** A row the target refused: its key (target key column text values), the operation and why. */
public record FailedRow(List<String> key, Operation operation, String sqlState, String message) {
    /**
     * Keys in the order a person expects: component by component, numbers by value (7 before
     * 57 before 107), other text as text, NULL last.
     */
    public static final Comparator<List<String>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    public FailedRow {
        key = Collections.unmodifiableList(new ArrayList<>(key));
    }

    private static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            int c = x.compareTo(y);
            return c != 0 ? c : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        if (s.isEmpty() || s.length() > 100 || !(Character.isDigit(s.charAt(0)) || s.charAt(0) == '-')) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
