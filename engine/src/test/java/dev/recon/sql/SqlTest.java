package dev.recon.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTest {
    @Test
    void aFragmentIsSelfContainedWhenItsParenthesesQuotesAndCommentsCloseWithinIt() {
        for (String ok : new String[] {"a > 1", "(a > 1) OR (b < 2)", "note = ')'", "note = 'it''s ('",
                "\"odd)name\" = 1", "body = $$ ) ( $$", "body = $x$ ')' $x$", "a /* ) */ > 1", "a /* /* ) */ */ > 1",
                "price::numeric(10,2)", "upper(note) LIKE 'A%'", "a = $1"}) {
            assertThat(Sql.notSelfContained(ok)).as(ok).isNull();
        }
        assertThat(Sql.notSelfContained("a > 1) OR (b < 2")).isEqualTo("a ')' closes a parenthesis it did not open");
        assertThat(Sql.notSelfContained("(a > 1")).isEqualTo("a '(' is not closed");
        assertThat(Sql.notSelfContained("note = 'x")).isEqualTo("a string is not closed");
        assertThat(Sql.notSelfContained("\"x = 1")).isEqualTo("a quoted name is not closed");
        assertThat(Sql.notSelfContained("b = $q$ x")).isEqualTo("a dollar-quoted string ($q$) is not closed");
        assertThat(Sql.notSelfContained("a > 1 -- and")).startsWith("a -- comment");
        assertThat(Sql.notSelfContained("a /* x")).isEqualTo("a /* comment is not closed");
        assertThat(Sql.notSelfContained("a > 1; DROP TABLE t")).isEqualTo("it holds a ';'");
    }
}
