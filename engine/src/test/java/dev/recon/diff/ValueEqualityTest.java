package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.diff.ValueEquality.Verdict;
import org.junit.jupiter.api.Test;

/** What "equal" means for two text values of one target type, before any server is asked. */
class ValueEqualityTest {
    @Test
    void numericsAreEqualByValueAndEachSpecialValueOnlyToItself() {
        ValueEquality n = ValueEquality.NUMERIC;
        assertThat(n.equal("1.5", "1.50")).isTrue();
        assertThat(n.equal("-0.000", "0")).isTrue();
        assertThat(n.equal("1.5", "1.51")).isFalse();
        assertThat(n.equal("NaN", "NaN")).isTrue();
        assertThat(n.equal("Infinity", "Infinity")).isTrue();
        assertThat(n.equal("NaN", "Infinity")).isFalse();
        assertThat(n.equal("Infinity", "-Infinity")).isFalse();
        assertThat(n.equal("-Infinity", "0")).isFalse();
    }

    @Test
    void floatsAreEqualByValueWithMinusZeroEqualToZeroAndNaNToNaN() {
        ValueEquality f = ValueEquality.FLOAT;
        assertThat(f.equal("-0", "0")).isTrue();
        assertThat(f.equal("1e2", "100")).isTrue();
        assertThat(f.equal("NaN", "NaN")).isTrue();
        assertThat(f.equal("0.1", "0.10000000000000002")).isFalse();
        // a source value no float holds is reported as the source has it: it equals no stored value
        assertThat(f.equal("1e400", "Infinity")).isFalse();
        assertThat(f.equal("1e-400", "0")).isFalse();
        assertThat(f.equal("-Infinity", "-Infinity")).isTrue();
    }

    @Test
    void textIsEqualOnlyByItsCharactersAndNullOnlyToNull() {
        ValueEquality t = ValueEquality.TEXT;
        assertThat(t.equal("a", "a")).isTrue();
        assertThat(t.equal("a", "a ")).isFalse();
        assertThat(t.equal("A", "a")).isFalse();
        assertThat(t.equal(null, null)).isTrue();
        assertThat(t.equal(null, "")).isFalse();
        assertThat(ValueEquality.NUMERIC.equal(null, "0")).isFalse();
    }

    @Test
    void typesWhoseTextMayDifferAskTheTargetWhenTheTextDiffers() {
        ValueEquality ask = ValueEquality.ASK_WHEN_DIFFERENT;
        assertThat(ask.verdict("1 day", "1 day")).isEqualTo(Verdict.EQUAL);
        assertThat(ask.verdict("1 day", "24:00:00")).isEqualTo(Verdict.ASK);
        assertThat(ask.verdict(null, "1 day")).isEqualTo(Verdict.DIFFERENT);
    }
}
