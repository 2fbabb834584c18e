package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recon.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recon schema} and {@code recon completion}: what they print, and the completion working in bash. */
class SchemaAndCompletionTest {
    @Test
    void schemaPrintsTheMappingFilesJsonSchema() throws IOException {
        CliRun run = CliRun.run("schema");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(ConfigLoader.schema());
        assertThat(new ObjectMapper().readTree(run.out()).path("$schema").asText())
                .isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    @Test
    void completionPrintsOneScriptForBashAndZsh() {
        CliRun bash = CliRun.run("completion", "bash");
        CliRun zsh = CliRun.run("completion", "ZSH");
        assertThat(bash.exitCode()).isZero();
        assertThat(zsh.exitCode()).isZero();
        assertThat(zsh.out()).isEqualTo(bash.out());
        // generated from every command, not the one-command model a run uses
        for (String command : Main.commandLine().getSubcommands().keySet()) {
            assertThat(bash.out()).contains(command);
        }
        assertThat(bash.out()).contains("--max-deletes", "--log-format", "complete -F _complete_recon");
    }

    @Test
    void anotherShellIsAClearError() {
        CliRun run = CliRun.run("completion", "fish");
        assertThat(run.exitCode()).isEqualTo(Main.ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("error:", "must be one of bash, zsh; not 'fish'").doesNotContain("Exception");
    }

    @Test
    void bashCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("recon.bash");
        Files.writeString(script, CliRun.run("completion", "bash").out());
        assertThat(complete(script, "recon", "sc")).containsExactly("schema");
        assertThat(complete(script, "recon", "co")).containsExactly("completion");
        assertThat(complete(script, "recon", "sync", "--max-d")).containsExactly("--max-deletes");
        assertThat(complete(script, "recon", "diff", "--format", "j")).containsExactly("json");
        assertThat(complete(script, "recon", "diff", "--log-format", "")).containsExactly("text", "json");
        assertThat(complete(script, "recon", "completion", "")).containsExactly("bash", "zsh");
    }

    @Test
    void bashCompletesMappingNamesFromTheFileAfterC(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("recon.bash");
        Files.writeString(script, CliRun.run("completion", "bash").out());
        Path file = dir.resolve("my.yaml");
        Files.writeString(file, """
                connections:
                  db: { url: "jdbc:postgresql://localhost/db" }
                syncs:
                  - name: orders              # a comment
                    source: { connection: db, table: a }
                  - name: "order_lines"
                  -   name: app.v2
                  - name: customers
                """);
        assertThat(complete(script, "recon", "sync", "-c", file.toString(), "--sync", "ord"))
                .containsExactly("orders", "order_lines");
        assertThat(complete(script, "recon", "diff", "--config", file.toString(), "--sync", ""))
                .containsExactly("orders", "order_lines", "app.v2", "customers");
        assertThat(complete(script, "recon", "sync", "-c", dir.resolve("none.yaml").toString(), "--sync", ""))
                .isEmpty();
    }

    /**
     * What bash's completion function offers for the last word of these words (its stderr left out:
     * compopt says it is not called from a completion, as it is not here).
     */
    private static List<String> complete(Path script, String... words) throws Exception {
        String shell = "source '" + script + "'; COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD="
                + (words.length - 1) + "; COMP_LINE='" + String.join(" ", words) + "'; COMP_POINT=${#COMP_LINE};"
                + " _complete_recon; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", shell)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }
}
