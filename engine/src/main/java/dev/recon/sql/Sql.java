package dev.recon.sql;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * PostgreSQL spelling of names and literals. Identifiers are always quoted here, with
 * embedded quotes doubled. Values reach the database as bound parameters; {@link #literal}
 * exists only for the SQL a person reviews ({@code recon diff --format sql}).
 */
public final class Sql {
    private Sql() {
    }

    /** Quotes each part and joins them with dots: {@code quote("public", "a\"b")} is {@code "public"."a""b"}. */
    public static String quote(String... parts) {
        return Arrays.stream(parts).map(Sql::quoteOne).collect(Collectors.joining("."));
    }

    private static String quoteOne(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal, or NULL; valid with standard_conforming_strings on (the default since 9.1). */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** A literal cast to a type: {@code '1.50'::numeric(12,2)}. */
    public static String typedLiteral(String value, String type) {
        return value == null ? "NULL" : literal(value) + "::" + type;
    }

    /**
     * Why a condition or expression written in the mapping file cannot be placed inside
     * recon's own SQL as one unit, or null when it can: every parenthesis closed within it
     * and none closed that it did not open, every quoted string, quoted name, dollar-quoted
     * string and comment ended, no {@code --} comment (which would swallow what recon writes
     * after it) and no {@code ;}. Without this check {@code id > 1) OR (id < 3} would read as
     * a valid condition whose OR escapes the parentheses recon puts around it.
     */
    public static String notSelfContained(String text) {
        int depth = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                while (end >= 0 && end + 1 < n && text.charAt(end + 1) == c) {
                    end = text.indexOf(c, end + 2); // a doubled quote inside
                }
                if (end < 0) {
                    return "a " + (c == '"' ? "quoted name" : "string") + " is not closed";
                }
                i = end + 1;
            } else if (c == '$' && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1))
                    && text.charAt(i - 1) != '_')) {
                int tagEnd = text.indexOf('$', i + 1);
                String tag = tagEnd < 0 ? null : text.substring(i, tagEnd + 1);
                if (tag == null || !tag.matches("\\$([A-Za-z_][A-Za-z0-9_]*)?\\$")) {
                    i++; // a positional parameter or part of a name, not a dollar quote
                    continue;
                }
                int end = text.indexOf(tag, tagEnd + 1);
                if (end < 0) {
                    return "a dollar-quoted string (" + tag + ") is not closed";
                }
                i = end + tag.length();
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                return "a -- comment would swallow what follows it; use /* ... */";
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int nested = 1;
                int j = i + 2;
                while (j < n && nested > 0) {
                    if (text.startsWith("/*", j)) {
                        nested++;
                        j += 2;
                    } else if (text.startsWith("*/", j)) {
                        nested--;
                        j += 2;
                    } else {
                        j++;
                    }
                }
                if (nested > 0) {
                    return "a /* comment is not closed";
                }
                i = j;
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    if (--depth < 0) {
                        return "a ')' closes a parenthesis it did not open";
                    }
                } else if (c == ';') {
                    return "it holds a ';'";
                }
                i++;
            }
        }
        return depth == 0 ? null : "a '(' is not closed";
    }
}
