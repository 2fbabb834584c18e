package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.config.ColumnRule;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RuleCheckTest {
    /**
     * A 4-byte float printed by PostgreSQL ({@code 0.2}) and by MariaDB (the double it holds,
     * {@code 0.20000000298023224}) is one number to a tolerance (a probe found MariaDB's side
     * 0.01 apart from 0.19 where PostgreSQL's was not).
     */
    @Test
    void aFloatIsTheSameNumberWhicheverEnginePrintedIt() {
        assertThat(RuleCheck.floatText("0.20000000298023224", true)).isEqualTo(RuleCheck.floatText("0.2", true))
                .isEqualTo("0.2");
        assertThat(RuleCheck.floatText("0.1899999976158142", true)).isEqualTo("0.19");
        assertThat(RuleCheck.floatText("0.1", false)).isEqualTo("0.1");
        assertThat(RuleCheck.floatText("-Infinity", true)).isEqualTo("-Infinity");
        assertThat(RuleCheck.floatText("NaN", false)).isEqualTo("NaN");
        assertThat(RuleCheck.floatText(null, true)).isNull();
        ColumnRule tolerance = new ColumnRule(new BigDecimal("0.01"), null, null, false, false, false, null);
        assertThat(tolerance.equal(RuleCheck.floatText("0.20000000298023224", true),
                RuleCheck.floatText("0.1899999976158142", true))).isTrue();
        assertThat(tolerance.equal(RuleCheck.floatText("0.2", true), RuleCheck.floatText("0.19", true))).isTrue();
        assertThat(tolerance.equal(RuleCheck.floatText("0.2", true), RuleCheck.floatText("0.18", true))).isFalse();
    }
}
