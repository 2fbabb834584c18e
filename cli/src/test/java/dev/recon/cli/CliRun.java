package dev.recon.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One captured command line: exit code, stdout, stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
