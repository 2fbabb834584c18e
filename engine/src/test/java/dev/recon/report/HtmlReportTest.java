package dev.recon.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.Recon;
import dev.recon.report.HtmlText.Kind;
import dev.recon.report.HtmlText.Piece;
import dev.recon.config.SyncOptions;
import dev.recon.testing.Diffs;
import dev.recon.testing.PgDatabase;
import dev.recon.testing.Runs;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HtmlReportTest {
    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    private static final String MAPPING = """
            syncs:
              - name: people
                source: { connection: db, table: src }
                target: { connection: db, table: dst }
                key: { id: id }
            """;

    @BeforeEach
    void seed() {
        db.execute("""
                DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;
                CREATE TABLE src (id int PRIMARY KEY, name text, note text);
                CREATE TABLE dst (id int PRIMARY KEY, name text, note text);
                INSERT INTO src VALUES (1, 'same', 'x'), (2, '<img src=x onerror=alert(1)>', 'x'), (3, 'a ', 'x'),
                    (4, NULL, ''), (5, 'NULL', 'x'), (6, 'new', 'x'), (8, 'Grace Hopper', 'x');
                INSERT INTO dst VALUES (1, 'same', 'x'), (2, 'old', 'x'), (3, 'a', 'x'), (4, '', NULL),
                    (5, NULL, 'x'), (7, 'gone', 'x'), (8, 'Grace Murray Hopper', 'x');
                """);
    }

    private String diff(String yaml, int samples) {
        StringWriter out = new StringWriter();
        Runs.diff(new Recon(Diffs.config(db, yaml)), samples, new HtmlReport(out));
        return out.toString();
    }

    @Test
    void oneSelfContainedPageThatLoadsNothing() {
        String html = diff(MAPPING, 10);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>recon diff: differences found</title>")
                .contains("<style>", "<script>");
        // no address of any host, no external resource of any kind
        assertThat(html).doesNotContainPattern("(?i)(src|href)=\"(?!#)");
        assertThat(html).doesNotContainPattern("(?i)https?://(?!www\\.w3\\.org/2000/svg)");
        assertThat(html).doesNotContain("@import", "url(");
    }

    @Test
    void everyValueIsEscaped() {
        String html = diff(MAPPING, 10);
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img");
    }

    @Test
    void totalsTableAndChartCountEveryKind() {
        String html = diff(MAPPING, 10);
        // 1 insert (6), 5 updates (2, 3, 4, 5, 8), 1 delete (7)
        assertThat(cell(html, "card ins")).isEqualTo("1");
        assertThat(cell(html, "card upd")).isEqualTo("5");
        assertThat(cell(html, "card del")).isEqualTo("1");
        assertThat(html).contains("<a href=\"#m-people\">people</a>", "<td>public.src → public.dst</td>",
                "<td class=\"n\">1</td><td class=\"n\">5</td><td class=\"n\">1</td>", "<section class=\"mapping\" id=\"m-people\">",
                "<title>people: 7 differences</title>");
    }

    @Test
    void updatesShowOnlyChangedColumnsWithTheDifferingPartMarked() {
        String html = diff(MAPPING, 10);
        // key 8: "Grace Murray Hopper" (target) -> "Grace Hopper" (source): only "Murray " differs
        assertThat(html).contains("<td class=\"old\"><span class=\"v\">Grace <span class=\"chg\">Murray</span>"
                + "<span class=\"ws chg\" title=\"a space\">·</span>Hopper</span></td>");
        assertThat(html).contains("<td class=\"new\"><span class=\"v\">Grace Hopper</span></td>");
        // key 8's note is equal: not listed
        Matcher row = Pattern.compile("(?s)<tbody class=\"change update\" data-kind=\"update\">\\s*<tr>\\s*<td class=\"key\">"
                + "<span class=\"v\">8</span></td>.*?</tbody>").matcher(html);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("<td class=\"col\">name</td>").doesNotContain("<td class=\"col\">note</td>");
    }

    @Test
    void insertsShowTheSourcesValuesAndDeletesTheTargets() {
        String html = diff(MAPPING, 10);
        Matcher insert = Pattern.compile("(?s)<tbody class=\"change insert\" data-kind=\"insert\">.*?</tbody>")
                .matcher(html);
        assertThat(insert.find()).isTrue();
        assertThat(insert.group()).contains("<td class=\"col\">name</td>\n<td class=\"old\"><span class=\"v\"></span></td>\n"
                + "<td class=\"new\"><span class=\"v\">new</span></td>");
        Matcher delete = Pattern.compile("(?s)<tbody class=\"change delete\" data-kind=\"delete\">.*?</tbody>")
                .matcher(html);
        assertThat(delete.find()).isTrue();
        assertThat(delete.group()).contains("<td class=\"col\">name</td>\n<td class=\"old\"><span class=\"v\">gone</span>"
                + "</td>\n<td class=\"new\"><span class=\"v\"></span></td>");
    }

    @Test
    void nullEmptyTheTextNullAndTrailingSpacesLookDifferent() {
        String html = diff(MAPPING, 10);
        String nul = "<span class=\"null\" title=\"SQL NULL (no value)\">NULL</span>";
        String empty = "<span class=\"empty\" title=\"the empty string\">empty</span>";
        // key 4: name '' -> NULL, note NULL -> ''
        assertThat(html).contains("<td class=\"old\"><span class=\"v\">" + empty + "</span></td>\n<td class=\"new\">"
                + "<span class=\"v\">" + nul + "</span></td>");
        // key 5: the target's NULL against the source's text NULL, shown as text
        assertThat(html).contains("<td class=\"old\"><span class=\"v\">" + nul + "</span></td>\n<td class=\"new\">"
                + "<span class=\"v\">NULL</span></td>");
        // key 3: 'a' -> 'a ': the space is the difference, and it shows
        assertThat(html).contains("<td class=\"new\"><span class=\"v\">a<span class=\"ws chg\" title=\"a space\">·</span></span></td>");
    }

    @Test
    void samplesAreBoundedAndThePageSaysHowManyWereLeftOut() {
        String html = diff(MAPPING, 2);
        assertThat(html).contains("<p class=\"note\">2 of 5 updates shown; 3 left out (--samples N shows up to N per kind)</p>");
        assertThat(count(html, "<tbody class=\"change update\"")).isEqualTo(2);
        assertThat(count(html, "<tbody class=\"change insert\"")).isEqualTo(1);
    }

    @Test
    void everyStrategyShowsTheSameChanges() {
        String join = changes(diff(MAPPING + "    strategy: join\n", 10));
        assertThat(join).contains("Grace <span class=\"chg\">Murray</span>");
        for (String strategy : List.of("merge", "hash")) {
            assertThat(changes(diff(MAPPING + "    strategy: " + strategy + "\n", 10))).as(strategy).isEqualTo(join);
        }
    }

    @Test
    void aSchemaEntryListsEveryTableAndChartsTheMostDiffering() {
        int tables = HtmlReport.CHART_BARS + 5;
        StringBuilder sql = new StringBuilder("DROP SCHEMA IF EXISTS a CASCADE; DROP SCHEMA IF EXISTS b CASCADE;"
                + " CREATE SCHEMA a; CREATE SCHEMA b;");
        for (int t = 1; t <= tables; t++) {
            sql.append(" CREATE TABLE a.t").append(t).append(" (id int PRIMARY KEY, v text);")
                    .append(" CREATE TABLE b.t").append(t).append(" (id int PRIMARY KEY, v text);")
                    .append(" INSERT INTO a.t").append(t).append(" SELECT g, 'v' FROM generate_series(1, ").append(t)
                    .append(") g;");
        }
        db.execute(sql.toString());
        String html = diff(SCHEMAS, 1);
        assertThat(count(html, "<tr class=\"diff\">")).isEqualTo(tables);
        assertThat(count(html, "<g><title>all.t")).isEqualTo(HtmlReport.CHART_BARS);
        // the largest first: the last table has as many rows to insert as its number
        assertThat(html).contains("<g><title>all.t" + tables + ": " + tables + " differences</title>",
                "the " + HtmlReport.CHART_BARS + " mappings with the most differences, of " + tables);
        assertThat(cell(html, "card ins")).isEqualTo(String.valueOf(tables * (tables + 1) / 2));
        assertThat(html).contains("<p class=\"note\">1 of " + tables + " inserts shown; " + (tables - 1)
                + " left out (--samples N shows up to N per kind)</p>");
    }

    private static final String SCHEMAS = """
            syncs:
              - name: all
                source: { connection: db, schema: a }
                target: { connection: db, schema: b }
            """;

    /** The changes sections alone, without times. */
    private static String changes(String html) {
        return html.substring(html.indexOf("<h2>Changes</h2>"), html.indexOf("</main>"))
                .replaceAll("\\((join|merge|hash), [0-9.]+ s\\)", "(S)");
    }

    @Test
    void inSyncTablesHaveNoChangesSection() {
        db.execute("DELETE FROM dst; INSERT INTO dst SELECT * FROM src;");
        String html = diff(MAPPING, 10);
        assertThat(html).contains("<title>recon diff: in sync</title>", "<header class=\"status ok\">")
                .doesNotContain("<h2>Changes</h2>", "<figure class=\"chart\">");
    }

    @Test
    void aSyncListsWhatItWroteAndTheRowsTheTargetRefused() {
        db.execute("ALTER TABLE dst ADD CONSTRAINT no_markup CHECK (name NOT LIKE '<%')");
        StringWriter out = new StringWriter();
        Runs.sync(new Recon(Diffs.config(db, MAPPING)), SyncOptions.defaults(), new HtmlReport(out));
        String html = out.toString();
        assertThat(html).contains("<title>recon sync: some rows failed</title>", "<h4>Failed rows (retried by the next run)</h4>");
        // key 2's new name is markup, which the check refuses: listed with its SQLSTATE
        assertThat(html).containsPattern("<td class=\"key\"><span class=\"v\">2</span></td>\\s*<td class=\"op\">update</td>"
                + "<td class=\"msg\">[^<]*no_markup[^<]*</td><td>23514</td>");
        assertThat(cell(html, "card bad")).isEqualTo("1");
    }

    @Test
    void piecesMarkOnlyWhatDiffers() {
        List<List<Piece>> v = HtmlText.compared("abcXdef", "abcYYdef");
        assertThat(v.get(0)).containsExactly(new Piece("abc", Kind.PLAIN), new Piece("X", Kind.CHANGED),
                new Piece("def", Kind.PLAIN));
        assertThat(v.get(1)).containsExactly(new Piece("abc", Kind.PLAIN), new Piece("YY", Kind.CHANGED),
                new Piece("def", Kind.PLAIN));
        // one side's text is all of the other's plus more: the addition is marked, the rest plain
        assertThat(HtmlText.compared("ab", "abab").get(1)).containsExactly(new Piece("ab", Kind.PLAIN),
                new Piece("ab", Kind.CHANGED));
        assertThat(HtmlText.compared("x\ty", "x y").get(0)).containsExactly(new Piece("x", Kind.PLAIN),
                new Piece("⇥", Kind.CHANGED_VISIBLE), new Piece("y", Kind.PLAIN));
        // spaces between words of a differing part stay spaces; at its edges they show
        assertThat(HtmlText.compared("red fox", "big cat").get(0)).containsExactly(new Piece("red fox", Kind.CHANGED));
        assertThat(HtmlText.compared("a b", "a  b").get(1)).containsExactly(new Piece("a ", Kind.PLAIN),
                new Piece("·", Kind.CHANGED_VISIBLE), new Piece("b", Kind.PLAIN));
        // a right-to-left override would show the value reversed: shown as its code instead
        assertThat(HtmlText.of("zz\u202Eabc")).containsExactly(new Piece("zz", Kind.PLAIN),
                new Piece("\\u202e", Kind.VISIBLE), new Piece("abc", Kind.PLAIN));
        assertThat(HtmlText.of(" x ")).containsExactly(new Piece("·", Kind.VISIBLE), new Piece("x", Kind.PLAIN),
                new Piece("·", Kind.VISIBLE));
        assertThat(HtmlText.of("\u0007")).containsExactly(new Piece("\\u0007", Kind.VISIBLE));
        // astral characters are one code point, never split
        assertThat(HtmlText.compared("a😀", "a😁").get(0)).containsExactly(new Piece("a", Kind.PLAIN),
                new Piece("😀", Kind.CHANGED));
    }

    @Test
    void aLongValueKeepsContextAroundTheDifferenceAndSaysHowLongItIs() {
        String a = "x".repeat(1000) + "OLD" + "y".repeat(1000);
        String b = "x".repeat(1000) + "NEW" + "y".repeat(1000);
        List<Piece> target = HtmlText.compared(a, b).get(0);
        assertThat(target).containsExactly(new Piece("…", Kind.CUT), new Piece("x".repeat(HtmlText.CONTEXT), Kind.PLAIN),
                new Piece("OLD", Kind.CHANGED), new Piece("y".repeat(HtmlText.CONTEXT), Kind.PLAIN),
                new Piece("… (2003 characters)", Kind.CUT));
        assertThat(HtmlText.of("z".repeat(500))).containsExactly(new Piece("z".repeat(HtmlText.WHOLE), Kind.PLAIN),
                new Piece("… (500 characters)", Kind.CUT));
    }

    private static String cell(String html, String cardClass) {
        Matcher m = Pattern.compile("<div class=\"" + cardClass + "\"><b>(\\d+)</b>").matcher(html);
        assertThat(m.find()).as(cardClass).isTrue();
        return m.group(1);
    }

    private static int count(String html, String what) {
        int n = 0;
        for (int i = html.indexOf(what); i >= 0; i = html.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
