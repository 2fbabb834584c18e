package dev.recon.diff.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a histogram of the first key column becomes segment boundaries (pure arithmetic, no server). */
class KeyHistogramTest {
    private static List<BigDecimal> numbers(String... values) {
        return Arrays.stream(values).map(BigDecimal::new).toList();
    }

    @Test
    void eachBucketIsCutIntoEqualWidthsAndTheLiveEndsExtendIt() {
        KeyHistogram h = KeyHistogram.of(numbers("0", "100", "1000"), new BigDecimal("-10"), new BigDecimal("1200"));
        // two segments per bucket; below 0 one segment as wide as the first bucket's (50), above
        // 1000 one as wide as the last's (450) reaches the maximum
        assertThat(h.boundaries(4, true)).containsExactly("-10", "0", "50", "100", "550", "1000", "1200");
    }

    @Test
    void integerBoundsAreRoundedDownAndDistinct() {
        KeyHistogram h = KeyHistogram.of(numbers("0", "3"), BigDecimal.ZERO, new BigDecimal("3"));
        assertThat(h.boundaries(4, true)).containsExactly("0", "1", "2", "3");
    }

    @Test
    void numericBoundsKeepTheHistogramsScale() {
        KeyHistogram h = KeyHistogram.of(numbers("0.00", "1.00"), new BigDecimal("0.00"), new BigDecimal("1.00"));
        assertThat(h.boundaries(3, false)).containsExactly("0.00", "0.33", "0.66", "1.00");
    }

    @Test
    void aFarOutlierGetsAtMostAsManyExtraSegmentsAsWanted() {
        KeyHistogram h = KeyHistogram.of(numbers("0", "10", "20"), BigDecimal.ZERO, new BigDecimal("1000000000000"));
        List<String> bounds = h.boundaries(2, true);
        assertThat(bounds).hasSize(3 + 2).startsWith("0", "10", "20").endsWith("1000000000000");
    }

    @Test
    void anArrayWithANonFiniteBoundIsNoHistogram() {
        assertThat(KeyHistogram.parse("{1,5.5,-3}")).containsExactlyElementsOf(numbers("1", "5.5", "-3"));
        assertThat(KeyHistogram.parse("{1,NaN,3}")).isEmpty();
        assertThat(KeyHistogram.parse(null)).isEmpty();
    }
}
