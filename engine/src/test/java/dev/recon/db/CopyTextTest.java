package dev.recon.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY's text format as recon writes it (append) and reads PostgreSQL's COPY TO lines (parseLine). */
class CopyTextTest {
    private static String encode(String value) {
        StringBuilder sb = new StringBuilder();
        CopyText.append(sb, value);
        return sb.toString();
    }

    @Test
    void escapesBackslashTabNewlineAndCarriageReturnAndWritesNullAsBackslashN() {
        assertThat(encode("plain text, with spaces")).isEqualTo("plain text, with spaces");
        assertThat(encode("a\\b\tc\nd\re")).isEqualTo("a\\\\b\\tc\\nd\\re");
        assertThat(encode(null)).isEqualTo("\\N");
        assertThat(encode("\\N")).isEqualTo("\\\\N");
        assertThat(encode("")).isEmpty();
    }

    @Test
    void parsesTheEscapesCopyToWrites() {
        assertThat(CopyText.parseLine("1\t\\N\t\ta\\tb\\\\c\\nd\\re\\b\\f\\v"))
                .containsExactly("1", null, "", "a\tb\\c\nd\re\b\f\u000b");
        assertThat(CopyText.parseLine("\\\\N")).containsExactly("\\N");
    }

    @Test
    void whatAppendWritesParsesBackToTheSameValues() {
        qt().withExamples(500).forAll(lists().of(strings().allPossible().ofLengthBetween(0, 12)).ofSizeBetween(1, 5))
                .checkAssert(values -> {
                    List<String> withNulls = new ArrayList<>(values);
                    withNulls.add(null);
                    StringBuilder line = new StringBuilder();
                    for (int i = 0; i < withNulls.size(); i++) {
                        if (i > 0) {
                            line.append('\t');
                        }
                        CopyText.append(line, withNulls.get(i));
                    }
                    assertThat(CopyText.parseLine(line.toString())).isEqualTo(withNulls);
                });
        assertThat(CopyText.parseLine(encode("tab\there") + "\t" + encode(null)))
                .isEqualTo(Arrays.asList("tab\there", null));
    }
}
