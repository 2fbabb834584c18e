package dev.recon.db;

import java.util.ArrayList;
import java.util.List;

/**
 * COPY's text format: values escaped with backslash sequences for \, tab, newline, CR, and
 * \N for NULL; and lines read back into values.
 */
public final class CopyText {
    private CopyText() {
    }

    public static void append(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("\\N");
            return;
        }
        int first = 0;
        while (first < value.length() && !special(value.charAt(first))) {
            first++;
        }
        sb.append(value, 0, first); // most values need no escaping: copied in one go
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
    }

    private static boolean special(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * The values of one line (without its newline) as PostgreSQL's COPY TO writes them: it
     * escapes only backslash and the control characters below, never with octal or hex.
     */
    public static List<String> parseLine(String line) {
        List<String> values = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == '\t') {
                String field = line.substring(start, i);
                values.add(field.equals("\\N") ? null : unescape(field));
                start = i + 1;
            }
        }
        return values;
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                out.append(c);
                continue;
            }
            char n = field.charAt(++i);
            out.append(switch (n) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'v' -> '\u000b';
                default -> n;
            });
        }
        return out.toString();
    }
}
