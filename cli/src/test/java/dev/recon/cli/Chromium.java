package dev.recon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, for the tests that look at a page as a person would:
 * the DOM after the page's own script ran, and a screenshot. Without it those tests are
 * skipped and say why, unless {@code RECON_BROWSER_TESTS=required} (set by {@code .ci/run}
 * once it has installed chromium), where a missing browser fails them.
 */
final class Chromium {
    private static final String REQUIRED = "RECON_BROWSER_TESTS";

    private Chromium() {
    }

    /** The browser, or the test is skipped (failed when the browser is required). */
    static Path require() {
        for (String candidate : List.of(System.getenv().getOrDefault("RECON_CHROMIUM", ""), "/usr/bin/chromium",
                "/usr/bin/chromium-browser")) {
            if (!candidate.isEmpty() && Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        if ("required".equals(System.getenv(REQUIRED))) {
            fail("this browser test needs Debian's chromium (apt-get install chromium), and " + REQUIRED
                    + "=required says it must run");
        }
        Assumptions.abort("skipped: this browser test needs Debian's chromium (apt-get install chromium; .ci/run"
                + " installs it), or RECON_CHROMIUM naming a Chromium binary");
        throw new AssertionError();
    }

    /** The page's DOM, serialised once its script has run. */
    static String dom(String url, Path scratch) throws IOException, InterruptedException {
        return run(scratch, "--virtual-time-budget=5000", "--dump-dom", url);
    }

    /** A PNG of the page at the given window size. */
    static Path screenshot(String url, Path png, int width, int height, Path scratch)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(scratch, "--virtual-time-budget=5000", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url);
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).as("screenshot size").isGreaterThan(1000);
        assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        return png;
    }

    private static String run(Path scratch, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(require().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--user-data-dir=" + scratch.resolve("chromium-profile").toAbsolutePath()));
        command.addAll(List.of(args));
        Path out = scratch.resolve("chromium.out");
        Path err = scratch.resolve("chromium.err");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 120 s: " + Files.readString(err));
        }
        assertThat(p.exitValue()).as("chromium's exit code; stderr: %s", Files.readString(err)).isZero();
        return Files.readString(out);
    }
}
