package dev.recon.diff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.diff.KeyOrder.Num;
import dev.recon.plan.ColumnMapping;
import dev.recon.plan.ValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The order both sides' rows are merged in: PostgreSQL's numeric order for numbers, UTF-8 bytes for text. */
class KeyOrderTest {
    private static ColumnMapping key(String name, ValueType.Kind kind, boolean nullable) {
        ValueType type = new ValueType("t", false, "t", ValueType.Equality.VALUE, kind, false, 0);
        return new ColumnMapping(name, name, false, name, "t", true, type, Optional.empty(), nullable, null, "t");
    }

    private static List<String> sorted(KeyOrder order, String... values) {
        List<String> out = new ArrayList<>(List.of(values));
        out.sort(Comparator.comparing((String v) -> order.parse(new String[] {v}), order::compareParsed));
        return out;
    }

    @Test
    void numbersSortAsPostgreSqlSortsNumericWithTheInfinitiesAndNaNAtTheEnds() {
        assertThat(List.of("NaN", "1", "-Infinity", "0.5", "Infinity", "-1e10", "10", "9", "-0.5")
                .stream().map(Num::of).sorted().toList())
                .isEqualTo(List.of("-Infinity", "-1e10", "-0.5", "0.5", "1", "9", "10", "Infinity", "NaN")
                        .stream().map(Num::of).toList());
        assertThat(Num.of("1.50").compareTo(Num.of("1.5"))).isZero();
        assertThat(Num.of("123456789012345678901234567890").compareTo(Num.of("9223372036854775807"))).isPositive();
        KeyOrder numeric = new KeyOrder(List.of(key("n", ValueType.Kind.NUMERIC, false)));
        assertThat(sorted(numeric, "10", "9", "-1", "Infinity", "NaN")).containsExactly("-1", "9", "10", "Infinity",
                "NaN");
    }

    @Test
    void textSortsByItsUtf8BytesAsCollateCDoes() {
        KeyOrder text = new KeyOrder(List.of(key("t", ValueType.Kind.CANONICAL, false)));
        // byte order: upper case before lower case, '-' (0x2D) before digits, é (0xC3 0xA9) after 'z'
        assertThat(sorted(text, "b", "B", "a-1", "a1", "é", "z", "10", "9")).containsExactly("10", "9", "B", "a-1",
                "a1", "b", "z", "é");
    }

    @Test
    void nullKeyComponentsSortLastAndEqualEachOther() {
        KeyOrder pair = new KeyOrder(List.of(key("a", ValueType.Kind.INTEGER, false),
                key("b", ValueType.Kind.CANONICAL, true)));
        Object[] withNull = pair.parse(new String[] {"1", null});
        Object[] withText = pair.parse(new String[] {"1", "x"});
        assertThat(pair.compareParsed(withText, withNull)).isNegative();
        assertThat(pair.compareParsed(withNull, pair.parse(new String[] {"1", null}))).isZero();
        assertThat(pair.compareParsed(withNull, pair.parse(new String[] {"2", "a"}))).isNegative();
        assertThat(pair.matchable(withNull)).isTrue();
        KeyOrder notNullable = new KeyOrder(List.of(key("a", ValueType.Kind.INTEGER, false)));
        assertThat(notNullable.matchable(notNullable.parse(new String[] {null}))).isFalse();
    }
}
