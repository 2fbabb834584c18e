package dev.recon.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** Each rule at and around its edges, on the canonical texts recon compares. */
class ColumnRuleTest {
    private static ColumnRule tolerance(String t) {
        return new ColumnRule(new BigDecimal(t), null, null, false, false, false);
    }

    private static ColumnRule relative(String r) {
        return new ColumnRule(null, new BigDecimal(r), null, false, false, false);
    }

    private static ColumnRule precision(ColumnRule.Precision p) {
        return new ColumnRule(null, null, p, false, false, false);
    }

    @Test
    void toleranceIsInclusiveAndExact() {
        ColumnRule r = tolerance("0.005");
        assertThat(r.equal("1.000", "1.005")).isTrue();
        assertThat(r.equal("1.005", "1.000")).isTrue();
        assertThat(r.equal("1.000", "1.0050000001")).isFalse();
        assertThat(r.equal("-0.0025", "0.0025")).isTrue();
        assertThat(r.equal("-0.0026", "0.0025")).isFalse();
        // floats by the decimal their text says: 0.1 + 0.2 is 0.30000000000000004
        assertThat(tolerance("0").equal("0.30000000000000004", "0.3")).isFalse();
        assertThat(tolerance("1e-16").equal("0.30000000000000004", "0.3")).isTrue();
    }

    @Test
    void specialNumbersEqualOnlyThemselves() {
        ColumnRule r = tolerance("1000");
        assertThat(r.equal("NaN", "NaN")).isTrue();
        assertThat(r.equal("NaN", "0")).isFalse();
        assertThat(r.equal("Infinity", "Infinity")).isTrue();
        assertThat(r.equal("Infinity", "-Infinity")).isFalse();
        assertThat(r.equal("Infinity", "1e308")).isFalse();
        assertThat(r.equal("-0", "0")).isTrue();
        assertThat(r.equal(null, null)).isTrue();
        assertThat(r.equal(null, "0")).isFalse();
        assertThat(r.equal("0", null)).isFalse();
    }

    @Test
    void relativeToTheLargerMagnitude() {
        ColumnRule r = relative("1e-6");
        assertThat(r.equal("1000000", "1000001")).isTrue(); // 1 <= 1e-6 * 1000001
        assertThat(r.equal("1000000", "1000001.000002")).isFalse();
        assertThat(r.equal("7.142857074737549", "7.1428585")).isTrue();
        assertThat(r.equal("0", "1e-300")).isFalse(); // nothing is relatively close to 0 but 0
        assertThat(r.equal("-1", "1")).isFalse();
        ColumnRule both = new ColumnRule(new BigDecimal("0.5"), new BigDecimal("1e-6"), null, false, false, false);
        assertThat(both.equal("0", "0.5")).isTrue();
        assertThat(both.equal("1000000", "1000001")).isTrue();
        assertThat(both.equal("0", "0.6")).isFalse();
    }

    @Test
    void precisionTruncatesAndNeverRounds() {
        ColumnRule ms = precision(ColumnRule.Precision.MS);
        assertThat(ms.equal("2024-01-01 12:00:00.9999", "2024-01-01 12:00:00.999")).isTrue();
        assertThat(ms.equal("2024-01-01 12:00:00.9999", "2024-01-01 12:00:01")).isFalse();
        assertThat(ms.equal("2024-01-01 12:00:00.0004", "2024-01-01 12:00:00")).isTrue();
        assertThat(ms.equal("2024-01-01 12:00:00.1004+00", "2024-01-01 12:00:00.1+00")).isTrue();
        assertThat(ms.equal("2024-01-01 12:00:00.1004+00", "2024-01-01 12:00:00.1+01")).isFalse();
        assertThat(ms.equal("0044-03-15 12:00:00.0001 BC", "0044-03-15 12:00:00 BC")).isTrue();
        assertThat(ms.equal("infinity", "infinity")).isTrue();
        assertThat(ms.equal("infinity", "-infinity")).isFalse();
        assertThat(ms.equal("12:00:00.5555", "12:00:00.555")).isTrue();
        assertThat(precision(ColumnRule.Precision.S).equal("2024-01-01 23:59:59.999999", "2024-01-01 23:59:59"))
                .isTrue();
        assertThat(precision(ColumnRule.Precision.S).equal("2024-01-01 23:59:59.999999", "2024-01-02 00:00:00"))
                .isFalse();
        ColumnRule min = precision(ColumnRule.Precision.MIN);
        assertThat(min.equal("2024-01-01 10:15:59.9", "2024-01-01 10:15:00")).isTrue();
        assertThat(min.equal("2024-01-01 10:15:59.9", "2024-01-01 10:16:00")).isFalse();
        assertThat(precision(ColumnRule.Precision.US).equal("2024-01-01 10:15:00.000001", "2024-01-01 10:15:00"))
                .isFalse();
    }

    @Test
    void textFolding() {
        ColumnRule trim = new ColumnRule(null, null, null, true, false, false);
        assertThat(trim.equal("  ab  ", "ab")).isTrue();
        assertThat(trim.equal("a b", "ab")).isFalse();
        assertThat(trim.equal("\tab", "ab")).isFalse(); // spaces only
        ColumnRule ci = new ColumnRule(null, null, null, false, true, false);
        assertThat(ci.equal("Straße", "STRAßE")).isTrue();
        assertThat(ci.equal("straße", "STRASSE")).isFalse(); // simple folding keeps the length
        assertThat(ci.equal("ΟΔΟΣ", "οδος")).isTrue();
        assertThat(ci.equal("οδος", "οδοσ")).isTrue(); // final sigma
        assertThat(ci.equal("ab", "ab ")).isFalse();
        ColumnRule empty = new ColumnRule(null, null, null, false, false, true);
        assertThat(empty.equal("", null)).isTrue();
        assertThat(empty.equal(null, "")).isTrue();
        assertThat(empty.equal(" ", null)).isFalse();
        ColumnRule all = new ColumnRule(null, null, null, true, true, true);
        assertThat(all.equal("   ", null)).isTrue();
        assertThat(all.equal(" Ab ", "aB")).isTrue();
        assertThat(all.equal("a", null)).isFalse();
    }

    @Test
    void describesItselfAsTheFileSpellsIt() {
        assertThat(new ColumnRule(new BigDecimal("0.005"), new BigDecimal("0.000001"), ColumnRule.Precision.MS, true,
                true, true).describe()).isEqualTo("{ tolerance: 0.005, relative: 0.000001, precision: ms, trim: true,"
                        + " case: insensitive, empty_is_null: true }");
    }
}
