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
}
