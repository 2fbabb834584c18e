package dev.recon.testing;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The key shapes generated scenarios use: integer, text, uuid and a composite (text,
 * integer); and, for the strategy comparisons, numeric keys with NaN and the infinities and a
 * composite whose second column the target's unique constraint lets be NULL.
 */
public enum KeyKind {
    INTEGER(List.of("integer"), List.of("bigint")),
    TEXT(List.of("text"), List.of("text")),
    UUID_KEY(List.of("uuid"), List.of("uuid")),
    COMPOSITE(List.of("text", "integer"), List.of("text", "integer")),
    NUMERIC_KEY(List.of("numeric"), List.of("numeric")),
    NULLABLE_COMPOSITE(List.of("integer", "text"), List.of("bigint", "text"));

    /** The shapes the first scenarios used. */
    public static final List<KeyKind> BASIC = List.of(INTEGER, TEXT, UUID_KEY, COMPOSITE);

    private static final List<String> WORDS = List.of("a", "A", "b", "B", "é", "E", "e", "Z", "z", "ß", "ss",
            "a-b", "a b", "a,b", "a_b", "0", "10", "9", "Ärger", "ärger", "ñ", "ü", "~", "!", "Ω", "🙂", "ｱ", "\uFFFD");

    final List<String> sourceTypes;
    final List<String> targetTypes;

    KeyKind(List<String> sourceTypes, List<String> targetTypes) {
        this.sourceTypes = sourceTypes;
        this.targetTypes = targetTypes;
    }

    /** True when the last key column may be NULL (a unique constraint, not a primary key). */
    boolean nullableLast() {
        return this == NULLABLE_COMPOSITE;
    }

    /** True for key columns compared as numbers. */
    boolean numeric(int column) {
        String t = targetTypes.get(column);
        return t.equals("bigint") || t.equals("integer") || t.equals("numeric");
    }

    /** A key in PostgreSQL's text output form (so it equals what the diff reports); NULL allowed where nullable. */
    List<String> draw(Random r) {
        return switch (this) {
            case INTEGER -> List.of(Integer.toString(r.nextInt(100_000) - 50_000));
            case TEXT -> List.of(word(r) + word(r) + (r.nextBoolean() ? Integer.toString(r.nextInt(50)) : ""));
            case UUID_KEY -> List.of(new UUID(r.nextLong(), r.nextLong()).toString());
            case COMPOSITE -> List.of(word(r), Integer.toString(r.nextInt(20)));
            // one scale throughout, so that no two keys are equal numbers spelled apart
            case NUMERIC_KEY -> List.of(r.nextInt(20) == 0 ? List.of("NaN", "Infinity", "-Infinity").get(r.nextInt(3))
                    : BigDecimal.valueOf(r.nextInt(2_000_000) - 1_000_000, 2).toPlainString());
            case NULLABLE_COMPOSITE -> Arrays.asList(Integer.toString(r.nextInt(300)), r.nextInt(4) == 0 ? null : word(r));
        };
    }

    private static String word(Random r) {
        return WORDS.get(r.nextInt(WORDS.size()));
    }
}
