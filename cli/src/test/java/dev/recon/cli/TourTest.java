package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recon.testing.PgDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's tour, top to bottom: each {@code $ ./recon …} line of its console blocks is
 * run and its output compared with the lines shown under it, the first yaml block with the
 * mapping file the demo wrote (the second is saved, as the reader is told to), and the sql
 * blocks are executed. Only milliseconds and times may differ.
 */
class TourTest {
    /** The database the README shows; the test's own stands in for it. */
    private static final String README_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static final Pattern BLOCK = Pattern.compile("(?ms)^( *)```(console|yaml|sql|csv)\\n(.*?)^\\1```$");
    /** The file the reader is told to save a block as: "Save this as `recon-demo/NAME`". */
    private static final Pattern SAVE_AS = Pattern.compile("as `recon-demo/([^`]+)`");
    private static final Pattern MILLIS = Pattern.compile("(?m)\\d+ ms(?=[);]|$)");
    private static final Pattern WHEN = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d +\\d+\\.\\d");

    @RegisterExtension
    static final PgDatabase db = new PgDatabase();

    @TempDir
    Path dir;

    @Test
    void theReadmeTourRunsAsWritten() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("## A five-minute tour");
        String tour = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Matcher block = BLOCK.matcher(tour);
        int commands = 0;
        List<String> kinds = new ArrayList<>();
        int after = 0;
        while (block.find()) {
            String body = block.group(3).replaceAll("(?m)^" + block.group(1), "");
            kinds.add(block.group(2));
            // the file the text before the block tells the reader to save it as, if any
            Matcher save = SAVE_AS.matcher(tour.substring(after, block.start()));
            String saveAs = null;
            while (save.find()) {
                saveAs = save.group(1);
            }
            after = block.end();
            switch (block.group(2)) {
                case "console" -> commands += runAll(body);
                // the first is the file the demo wrote; the others the reader saves by hand
                case "yaml", "csv" -> {
                    if (kinds.indexOf("yaml") == kinds.size() - 1) {
                        assertThat(Files.readString(dir.resolve("recon-demo/recon.yaml")).replace(db.url(),
                                README_URL)).as("recon-demo/recon.yaml").isEqualTo(body);
                    } else {
                        assertThat(saveAs).as("the file a " + block.group(2) + " block is saved as").isNotNull();
                        // relative paths are the reader's working directory's: here the test's directory
                        Files.writeString(dir.resolve("recon-demo").resolve(saveAs), body.replace(README_URL, db.url())
                                .replace("\"recon-demo/", "\"" + dir.resolve("recon-demo") + "/"));
                    }
                }
                default -> db.execute(body);
            }
        }
        assertThat(kinds).containsExactly("console", "yaml", "console", "console", "console", "sql", "console", "sql",
                "yaml", "console", "csv", "sql", "yaml", "console");
        assertThat(commands).isEqualTo(14);
    }

    /** Runs each command of a console block and compares its output; returns how many ran. */
    private int runAll(String console) {
        String[] lines = console.split("\n", -1);
        int ran = 0;
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("$ ")) {
                continue;
            }
            StringBuilder expected = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].startsWith("$ "); j++) {
                expected.append(lines[j]).append('\n');
            }
            List<String> args = words(lines[i].substring(2));
            assertThat(args.remove(0)).isEqualTo("./recon");
            List<String> actual = new ArrayList<>();
            for (String a : args) {
                actual.add(a.equals(README_URL) ? db.url()
                        : a.startsWith("recon-demo/") ? dir.resolve(a).toString() : a);
            }
            if (actual.get(0).equals("demo")) {
                actual.addAll(List.of("--dir", dir.resolve("recon-demo").toString()));
            }
            CliRun run = CliRun.run(actual.toArray(String[]::new));
            String out = run.out().replace(dir + "/", "").replace(db.url(), README_URL);
            assertThat(normal(out)).as(lines[i] + "\nstderr: " + run.err()).isEqualTo(normal(expected.toString()));
            ran++;
            i = j - 1;
        }
        return ran;
    }

    private static String normal(String text) {
        return WHEN.matcher(MILLIS.matcher(text).replaceAll("N ms")).replaceAll("WHEN").stripTrailing();
    }

    /** A command line split as a shell would, for the plain words and double quotes the README uses. */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(line);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
