package dev.recon.base;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Values and keys as a person reads them, in one form wherever recon prints them (reports,
 * {@code history --failed}, error messages): a key is {@code a=1 b=NULL c="two words"}.
 */
public final class Shown {
    private static final Pattern BARE = Pattern.compile("[^\\s\\p{Z}\"'\\p{Cntrl}\\p{Cf}]+");

    /** Characters of a value the human-readable formats show; the rest is counted, not printed. */
    public static final int SHOWN = 200;

    private Shown() {
    }

    /**
     * A value as a person reads it: NULL, a bare word, or a quoted string with escapes; a
     * value longer than {@link #SHOWN} characters is cut there and says how long it is.
     */
    public static String value(String value) {
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

    /** A key, column by column: {@code code=ORD-1001} or {@code a=1 b=NULL}. */
    public static String key(Map<String, String> key) {
        List<String> parts = new ArrayList<>();
        key.forEach((k, v) -> parts.add(k + "=" + value(v)));
        return String.join(" ", parts);
    }

    /** A key from its column names and values (the values alone when the names are not known). */
    public static String key(List<String> columns, List<String> values) {
        if (columns.size() != values.size()) {
            return String.join(" ", values.stream().map(Shown::value).toList());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            m.put(columns.get(i), values.get(i));
        }
        return key(m);
    }

    /**
     * Control characters, and format characters (zero-width ones, bidirectional overrides that
     * would show a value reversed): never printed as themselves, in any human-readable format.
     */
    public static boolean hidden(int c) {
        return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT;
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
}
