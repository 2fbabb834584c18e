package dev.recon.testing;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/** The key shapes generated scenarios use: integer, text, uuid and a composite (text, integer). */
public enum KeyKind {
    INTEGER(List.of("integer"), List.of("bigint")),
    TEXT(List.of("text"), List.of("text")),
    UUID_KEY(List.of("uuid"), List.of("uuid")),
    COMPOSITE(List.of("text", "integer"), List.of("text", "integer"));

    private static final List<String> WORDS = List.of("a", "A", "b", "B", "é", "E", "e", "Z", "z", "ß", "ss",
            "a-b", "a b", "a,b", "a_b", "0", "10", "9", "Ärger", "ärger", "ñ", "ü", "~", "!", "Ω", "🙂", "ｱ", "\uFFFD");

    final List<String> sourceTypes;
    final List<String> targetTypes;

    KeyKind(List<String> sourceTypes, List<String> targetTypes) {
        this.sourceTypes = sourceTypes;
        this.targetTypes = targetTypes;
    }

    /** A key in PostgreSQL's text output form (so it equals what the diff reports). */
    List<String> draw(Random r) {
        return switch (this) {
            case INTEGER -> List.of(Integer.toString(r.nextInt(100_000) - 50_000));
            case TEXT -> List.of(word(r) + word(r) + (r.nextBoolean() ? Integer.toString(r.nextInt(50)) : ""));
            case UUID_KEY -> List.of(new UUID(r.nextLong(), r.nextLong()).toString());
            case COMPOSITE -> List.of(word(r), Integer.toString(r.nextInt(20)));
        };
    }

    private static String word(Random r) {
        return WORDS.get(r.nextInt(WORDS.size()));
    }
}
