package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/**
 * docs/cli.md and {@code --help} agree: every option of every command is documented in a
 * section for that command ("Options of `sync`…") with its default, every option the docs
 * name exists, and every command's help lists its exit codes.
 */
class HelpMatchesDocsTest {
    private static final Pattern OPTION = Pattern.compile("`(--[a-z][a-z-]*)");

    private final String docs = read();
    private final CommandLine cli = Main.commandLine();

    private static String read() {
        try {
            return Files.readString(Path.of("..", "docs", "cli.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The "Options of `a`, `b`…" sections that name this command: up to the next such section or heading. */
    private String sectionsOf(String command) {
        StringBuilder sb = new StringBuilder();
        Matcher m = Pattern.compile("(?m)^Options of (.*)$").matcher(docs);
        while (m.find()) {
            int end = docs.length();
            Matcher next = Pattern.compile("(?m)^(Options of |## )").matcher(docs);
            if (next.find(m.end())) {
                end = next.start();
            }
            String heading = m.group(1);
            if (heading.contains("`" + command + "`")) {
                sb.append(docs, m.start(), end).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void everyOptionOfEveryCommandIsDocumentedWithItsDefault() {
        List<String> problems = new ArrayList<>();
        for (var entry : cli.getSubcommands().entrySet()) {
            String command = entry.getKey();
            if (command.equals("help")) {
                continue;
            }
            String section = sectionsOf(command);
            if (section.isEmpty()) {
                problems.add(command + ": docs/cli.md has no \"Options of `" + command + "`\" section");
                continue;
            }
            for (OptionSpec o : entry.getValue().getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String name = o.longestName();
                int at = section.indexOf("`" + name);
                if (at < 0) {
                    problems.add(command + " " + name + ": not in docs/cli.md's options of `" + command + "`");
                    continue;
                }
                String def = o.defaultValue();
                if (def != null && !o.typeInfo().isBoolean()) {
                    String said = said(section, name);
                    if (!said.contains(def)) {
                        problems.add(command + " " + name + ": --help says the default is '" + def
                                + "', docs/cli.md says: " + said.strip());
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** What the docs say of an option: its table row, or else from its first mention to the next option named. */
    private static String said(String section, String name) {
        Matcher row = Pattern.compile("(?m)^\\|[^|\n]*`" + Pattern.quote(name) + "[ `].*$").matcher(section);
        if (row.find()) {
            return row.group();
        }
        int at = section.indexOf("`" + name);
        Matcher next = OPTION.matcher(section);
        int end = next.find(at + 1) ? next.start() : section.length();
        int line = section.indexOf('\n', at);
        return section.substring(at, Math.min(end, line < 0 ? end : line));
    }

    @Test
    void everyOptionTheDocsNameExists() {
        Set<String> known = new TreeSet<>();
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().options().forEach(o -> known.addAll(List.of(o.names())));
        }
        Set<String> unknown = new TreeSet<>();
        Matcher m = OPTION.matcher(docs);
        while (m.find()) {
            if (!known.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertThat(unknown).as("options docs/cli.md names that no command has").isEmpty();
    }

    @Test
    void everyCommandsHelpListsItsExitCodes() {
        List<String> without = new ArrayList<>();
        for (var entry : cli.getSubcommands().entrySet()) {
            CommandSpec spec = entry.getValue().getCommandSpec();
            if (!entry.getKey().equals("help") && spec.usageMessage().exitCodeList().isEmpty()) {
                without.add(entry.getKey());
            }
        }
        assertThat(without).isEmpty();
    }

    @Test
    void aRepeatableOptionInTheDocsIsRepeatable() {
        List<String> problems = new ArrayList<>();
        for (var entry : cli.getSubcommands().entrySet()) {
            String section = sectionsOf(entry.getKey());
            for (OptionSpec o : entry.getValue().getCommandSpec().options()) {
                if (section.contains("`" + o.longestName()) && said(section, o.longestName()).contains("repeatable")
                        && !o.isMultiValue()) {
                    problems.add(entry.getKey() + " " + o.longestName());
                }
            }
        }
        assertThat(problems).as("documented as repeatable, refused twice").isEmpty();
    }
}
