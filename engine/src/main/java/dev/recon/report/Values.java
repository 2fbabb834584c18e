package dev.recon.report;

import dev.recon.plan.ColumnMapping;
import dev.recon.plan.MappingPlan;
import dev.recon.result.Outcome;
import dev.recon.result.RowChange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Shared shaping of row values for the human-readable formats. */
final class Values {
    private static final Pattern BARE = Pattern.compile("[^\\s\\p{Z}\"'\\p{Cntrl}\\p{Cf}]+");

    private Values() {
    }

    /** Characters of a value the human-readable formats show; the rest is counted, not printed. */
    static final int SHOWN = 200;

    /**
     * A value as a person reads it: NULL, a bare word, or a quoted string with escapes; a
     * value longer than {@link #SHOWN} characters is cut there and says how long it is.
     */
    static String display(String value) {
        if (value == null) {
            return "NULL";
        }
        int length = value.codePointCount(0, value.length());
        if (length > SHOWN) {
            return quoted(value.substring(0, value.offsetByCodePoints(0, SHOWN))) + "… (" + length + " characters)";
        }
        if (BARE.matcher(value).matches() && !value.equals("NULL")) {
            return value;
        }
        return quoted(value);
    }

    /**
     * Control characters, and format characters (zero-width ones, bidirectional overrides that
     * would show a value reversed): never printed as themselves, in any human-readable format.
     */
    static boolean hidden(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
    }

    /** How a run ended, in the words the human-readable formats use. */
    static String status(Outcome outcome) {
        return switch (outcome) {
            case IN_SYNC -> "in sync";
            case DIFFERENCES -> "differences found";
            case CONVERGED -> "converged";
            case FAILED_ROWS -> "some rows failed";
            default -> "a mapping ended in an error";
        };
    }

    private static String quoted(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (hidden(c) || Character.isSpaceChar(c) && c != ' ') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Target key column names to values. */
    static Map<String, String> key(MappingPlan plan, RowChange change) {
        return key(plan, change.key());
    }

    /** Target column names to one side's values (keys included). */
    static Map<String, String> row(MappingPlan plan, List<String> values) {
        Map<String, String> m = new LinkedHashMap<>();
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < values.size(); i++) {
            m.put(all.get(i).targetColumn(), values.get(i));
        }
        return m;
    }

    /** The value of one target column on one side. */
    static String value(MappingPlan plan, List<String> values, String targetColumn) {
        List<ColumnMapping> all = plan.allColumns();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).targetColumn().equals(targetColumn)) {
                return values.get(i);
            }
        }
        throw new IllegalArgumentException(targetColumn);
    }

    static String keyText(MappingPlan plan, RowChange change) {
        return keyText(key(plan, change.key()));
    }

    /** Target key column names to the given key values. */
    static Map<String, String> key(MappingPlan plan, List<String> key) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < plan.keys().size(); i++) {
            m.put(plan.keys().get(i).targetColumn(), key.get(i));
        }
        return m;
    }

    static String keyText(Map<String, String> key) {
        StringBuilder sb = new StringBuilder();
        key.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(k).append('=').append(display(v));
        });
        return sb.toString();
    }
}
