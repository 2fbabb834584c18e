package dev.recon.testing;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A column type used by generated scenarios: the source and target SQL types, how to draw
 * a value, how to spell it on the source (possibly differently but equal in the target type)
 * and how to change it so that it differs in the target type.
 */
public enum ColumnKind {
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
            return BigDecimal.valueOf(cents, 2).toPlainString();
        }

        @Override
        String sourceSpelling(String v, Random r) {
            // 12.30 may arrive as 12.3 or 12.300000: equal once in numeric(12,2)
            BigDecimal d = new BigDecimal(v);
            return r.nextBoolean() ? d.stripTrailingZeros().toPlainString() : d.setScale(2 + r.nextInt(5)).toPlainString();
        }

        @Override
        String change(String v, Random r) {
            BigDecimal d = new BigDecimal(v);
            // the sign alone: PostgreSQL's numeric hash does not see it
            return d.signum() != 0 && r.nextInt(3) == 0 ? d.negate().toPlainString()
                    : d.add(BigDecimal.valueOf(1 + r.nextInt(99), 2)).toPlainString();
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
            return LocalDateTime.ofEpochSecond(micros / 1_000_000, (int) (micros % 1_000_000) * 1000,
                    ZoneOffset.UTC).toString();
        }

        @Override
        String change(String v, Random r) {
            // one microsecond later, or a whole day
            LocalDateTime t = LocalDateTime.parse(v);
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
    },
    /** Unconstrained numeric with NaN and the infinities, spelled at other scales on the source. */
    NUMERIC_SPECIAL("numeric", "numeric") {
        @Override
        String draw(Random r) {
            return r.nextInt(6) == 0 ? SPECIALS.get(r.nextInt(3))
                    : BigDecimal.valueOf(r.nextInt(20001) - 10000, r.nextInt(3)).toPlainString();
        }

        @Override
        String sourceSpelling(String v, Random r) {
            return SPECIALS.contains(v) ? v : rescale(v, r);
        }

        @Override
        String change(String v, Random r) {
            if (v.equals("Infinity") || v.equals("-Infinity")) {
                return r.nextBoolean() ? "7" : v.startsWith("-") ? "Infinity" : "-Infinity";
            }
            BigDecimal d = SPECIALS.contains(v) ? null : new BigDecimal(v);
            return d == null ? "7" : r.nextInt(5) == 0 ? SPECIALS.get(r.nextInt(3))
                    : d.signum() != 0 && r.nextInt(3) == 0 ? d.negate().toPlainString()
                    : d.add(BigDecimal.ONE).toPlainString();
        }
    },
    /** numeric[]: equal arrays of numbers spelled at other scales. */
    NUMERIC_ARRAY("numeric[]", "numeric[]") {
        @Override
        String draw(Random r) {
            StringBuilder sb = new StringBuilder("{");
            for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(BigDecimal.valueOf(r.nextInt(2001) - 1000, 1));
            }
            return sb.append('}').toString();
        }

        @Override
        String sourceSpelling(String v, Random r) {
            String[] parts = v.substring(1, v.length() - 1).split(",");
            for (int i = 0; i < parts.length; i++) {
                parts[i] = rescale(parts[i], r);
            }
            return "{" + String.join(",", parts) + "}";
        }

        @Override
        String change(String v, Random r) {
            return v.replaceFirst("^\\{", "{1000.5,");
        }
    },
    /** interval: hours spelled as days and hours on the source, equal as intervals. */
    INTERVAL("interval", "interval") {
        @Override
        String draw(Random r) {
            return r.nextInt(200) + " hours";
        }

        @Override
        String sourceSpelling(String v, Random r) {
            int h = Integer.parseInt(v.substring(0, v.indexOf(' ')));
            return r.nextBoolean() ? v : (h / 24) + " days " + (h % 24) + " hours";
        }

        @Override
        String change(String v, Random r) {
            return (Integer.parseInt(v.substring(0, v.indexOf(' '))) + 1 + r.nextInt(3)) + " hours";
        }
    },
    /** jsonb holding a number, spelled at another scale on the source (jsonb compares numbers by value). */
    JSONB("jsonb", "jsonb") {
        @Override
        String draw(Random r) {
            return "{\"n\": " + BigDecimal.valueOf(r.nextInt(2001) - 1000, 1) + ", \"k\": \"" + r.nextInt(3)
                    + "\"}";
        }

        @Override
        String sourceSpelling(String v, Random r) {
            String n = v.substring(v.indexOf(':') + 2, v.indexOf(','));
            return "{\"k\": " + v.substring(v.lastIndexOf(':') + 2, v.length() - 1) + ", \"n\": " + rescale(n, r) + "}";
        }

        @Override
        String change(String v, Random r) {
            return v.replace("\"k\": \"", "\"k\": \"x");
        }
    },
    /** float8[] whose zeros are -0 on the source (equal to 0). */
    FLOAT_ARRAY("float8[]", "float8[]") {
        @Override
        String draw(Random r) {
            return "{" + (r.nextBoolean() ? "0" : Double.toString(r.nextInt(100) / 4.0)) + "," + (r.nextInt(9) - 4) + "}";
        }

        @Override
        String sourceSpelling(String v, Random r) {
            return v.replace("{0,", "{-0,").replace(",0}", ",-0}");
        }

        @Override
        String change(String v, Random r) {
            return v.replace("}", ",1}");
        }
    },
    /** citext: equal ignoring case, so the source spells it in the other case. */
    CITEXT("citext", "citext") {
        @Override
        String draw(Random r) {
            return List.of("abc", "Hello", "x", "MiXeD", "q-R").get(r.nextInt(5)) + r.nextInt(3);
        }

        @Override
        String sourceSpelling(String v, Random r) {
            return r.nextBoolean() ? v.toUpperCase(Locale.ROOT) : v.toLowerCase(Locale.ROOT);
        }

        @Override
        String change(String v, Random r) {
            return v + "z";
        }
    },
    /** A target enum fed from source text (compared by label). */
    MOOD("text", "prop_mood") {
        @Override
        String draw(Random r) {
            return MOODS.get(r.nextInt(MOODS.size()));
        }

        @Override
        String change(String v, Random r) {
            return MOODS.get((MOODS.indexOf(v) + 1 + r.nextInt(MOODS.size() - 1)) % MOODS.size());
        }
    },
    /** varchar(8) fed from text: a changed value may be too long, a difference whose write fails. */
    VARCHAR_LIMITED("text", "varchar(8)") {
        @Override
        String draw(Random r) {
            return "v" + r.nextInt(1000);
        }

        @Override
        String change(String v, Random r) {
            return r.nextInt(3) == 0 ? v + "-too-long" : v + "x";
        }
    },
    /** smallint fed from integer: a changed value may be out of range, a difference whose write fails. */
    SMALLINT_NARROW("integer", "smallint") {
        @Override
        String draw(Random r) {
            return Integer.toString(r.nextInt(2001) - 1000);
        }

        @Override
        String change(String v, Random r) {
            return r.nextInt(3) == 0 ? Integer.toString(40000 + r.nextInt(10)) : Integer.toString(Integer.parseInt(v) + 1);
        }
    };

    /** The kinds the first scenarios used. */
    public static final List<ColumnKind> BASIC = List.of(INTEGER, NUMERIC, TEXT, TIMESTAMP, BOOLEAN);
    /** Every kind; {@link #MOOD} needs type prop_mood and {@link #CITEXT} the citext extension on both servers. */
    public static final List<ColumnKind> ALL = List.of(values());

    private static final List<String> SPECIALS = List.of("NaN", "Infinity", "-Infinity");
    private static final List<String> MOODS = List.of("sad", "ok", "happy");

    /** The same number at another scale: 1.5 as 1.50 or 1.500. */
    private static String rescale(String v, Random r) {
        BigDecimal d = new BigDecimal(v);
        return d.setScale(Math.max(0, d.scale()) + 1 + r.nextInt(2)).toPlainString();
    }

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
