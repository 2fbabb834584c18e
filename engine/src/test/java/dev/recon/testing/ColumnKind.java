package dev.recon.testing;

import java.util.List;
import java.util.Random;

/**
 * A column type used by generated scenarios: the source and target SQL types, how to draw
 * a value, how to spell it on the source (possibly differently but equal in the target type)
 * and how to change it so that it differs in the target type.
 */
enum ColumnKind {
    INTEGER("integer", "bigint") {
        @Override
        String draw(Random r) {
            return Integer.toString(r.nextInt(2001) - 1000);
        }

        @Override
        String change(String v, Random r) {
            return Long.toString(Long.parseLong(v) + 1 + r.nextInt(5));
        }
    },
    NUMERIC("numeric", "numeric(12,2)") {
        @Override
        String draw(Random r) {
            long cents = r.nextInt(2_000_001) - 1_000_000;
            return java.math.BigDecimal.valueOf(cents, 2).toPlainString();
        }

        @Override
        String sourceSpelling(String v, Random r) {
            // 12.30 may arrive as 12.3 or 12.300000: equal once in numeric(12,2)
            java.math.BigDecimal d = new java.math.BigDecimal(v);
            return r.nextBoolean() ? d.stripTrailingZeros().toPlainString() : d.setScale(2 + r.nextInt(5)).toPlainString();
        }

        @Override
        String change(String v, Random r) {
            return new java.math.BigDecimal(v).add(java.math.BigDecimal.valueOf(1 + r.nextInt(99), 2)).toPlainString();
        }
    },
    TEXT("text", "text") {
        private final List<String> pool = List.of("", " ", "  ", "\t", " a", "a ", "é", "É", "e\u0301", "naïve",
                "日本語", "a,b", "O'Brien", "\"quoted\"", "NULL", "null", "back\\slash", "line\nbreak", "emoji 🙂",
                "Ünïcödé", "x");

        @Override
        String draw(Random r) {
            return r.nextInt(3) == 0 ? "w" + r.nextInt(1000) : pool.get(r.nextInt(pool.size()));
        }

        @Override
        String change(String v, Random r) {
            String next = draw(r);
            return next.equals(v) ? v + "'" : next;
        }
    },
    TIMESTAMP("timestamp(6)", "timestamp(6)") {
        @Override
        String draw(Random r) {
            long micros = 1_600_000_000_000_000L + (long) (r.nextDouble() * 200_000_000_000_000L);
            return java.time.LocalDateTime.ofEpochSecond(micros / 1_000_000, (int) (micros % 1_000_000) * 1000,
                    java.time.ZoneOffset.UTC).toString();
        }

        @Override
        String change(String v, Random r) {
            // one microsecond later, or a whole day
            java.time.LocalDateTime t = java.time.LocalDateTime.parse(v);
            return (r.nextBoolean() ? t.plusNanos(1000) : t.plusDays(1)).toString();
        }
    },
    BOOLEAN("boolean", "boolean") {
        @Override
        String draw(Random r) {
            return Boolean.toString(r.nextBoolean());
        }

        @Override
        String change(String v, Random r) {
            return Boolean.toString(!Boolean.parseBoolean(v));
        }
    };

    final String sourceType;
    final String targetType;

    ColumnKind(String sourceType, String targetType) {
        this.sourceType = sourceType;
        this.targetType = targetType;
    }

    abstract String draw(Random r);

    /** A value different from {@code v} in the target type; never null ({@code v} is not null). */
    abstract String change(String v, Random r);

    String sourceSpelling(String v, Random r) {
        return v;
    }

    /** A nullable value: a quarter are NULL. */
    String drawNullable(Random r) {
        return r.nextInt(4) == 0 ? null : draw(r);
    }

    /** A value that differs from {@code v}, NULL-aware. */
    String changeNullable(String v, Random r) {
        if (v == null) {
            return draw(r);
        }
        return r.nextInt(4) == 0 ? null : change(v, r);
    }
}
