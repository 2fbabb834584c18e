package dev.recon.cli;

import dev.recon.base.ReconException;
import dev.recon.report.ReportFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.jar.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code recon}: the command line. The only place that prints and chooses exit codes. */
@Command(name = "recon",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Keeps a destination table equal to a source table by reconciliation.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:in sync (diff) or converged (sync)", "1:differences found (diff) or some rows failed (sync)",
                "2:error (configuration, connection, SQL)"})
public final class Main {
    public static final int IN_SYNC = 0;
    public static final int DIFFERENCES = 1;
    public static final int ERROR = 2;

    /** The subcommands, in the order {@code recon --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(DiffCommand.class, SyncCommand.class, ServeCommand.class,
            ValidateCommand.class, InitCommand.class, HistoryCommand.class, BenchCommand.class, DemoCommand.class,
            SchemaCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // what picocli would print, without modelling eleven commands and starting logging first
            System.out.println(new Version().getVersion()[0]);
            System.exit(IN_SYNC);
        }
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams; returns its exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(args);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(Main::handle);
        cli.setExitCodeExceptionMapper(e -> ERROR);
        cli.registerConverter(ReportFormat.class, new LowerCaseEnum<>(ReportFormat.class));
        cli.registerConverter(Logging.Format.class, new LowerCaseEnum<>(Logging.Format.class));
        cli.registerConverter(TextOrJson.class, new LowerCaseEnum<>(TextOrJson.class));
        cli.registerConverter(CompletionCommand.Shell.class, new LowerCaseEnum<>(CompletionCommand.Shell.class));
        // logging is set up once, from the command's own options, before the command runs
        cli.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult last = parsed;
            while (last.subcommand() != null) {
                last = last.subcommand();
            }
            CommandLine.Model.CommandSpec command = last.commandSpec();
            for (CommandLine.Model.CommandSpec mixin : command.mixins().values()) {
                if (mixin.userObject() instanceof CommonOptions common) {
                    // a long-lived serve logs at info unless told otherwise; one-shot commands at warn
                    common.configureLogging(command.userObject() instanceof ServeCommand);
                }
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        // -V on a subcommand prints what recon --version prints
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
            failed.getErr().println("(see: recon " + (failed == cli ? "" : failed.getCommandName() + " ") + "--help)");
            failed.getErr().flush();
            return ERROR;
        });
        // Until the command reads its logging options: warnings, as text, on this command's stderr.
        Logging.configure(0, false, Logging.Format.TEXT, err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The command line for these arguments. Only the command being run is modelled (picocli
     * reads every option of a command by reflection, about 15 ms a command); help, a mistyped
     * name and no name get them all, as does {@code commandLine()}.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cli = new CommandLine(new Main());
        boolean one = args.length > 0 && !args[0].equals("help")
                && COMMANDS.stream().anyMatch(c -> c.getAnnotation(Command.class).name().equals(args[0]));
        for (Class<?> command : COMMANDS) {
            String name = command.getAnnotation(Command.class).name();
            if (!one || name.equals(args[0])) {
                cli.addSubcommand(name, command);
            }
        }
        return cli;
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = Logging.verbose();
        Throwable trace = verbose ? e : null;
        if (e instanceof ReconException re) {
            Logging.error(err, re.describe(), trace);
        } else {
            Logging.error(err, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (run with -v for details)"), trace);
        }
        err.flush();
        return ERROR;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            String commit = commit();
            return new String[] {"recon " + (v == null ? "development build (not from a packaged jar)" : v)
                    + (commit == null ? "" : " (commit " + commit + ")")};
        }

        /**
         * The commit the jar was built from (its manifest's Recon-Commit), with "and changes not
         * committed" when the tree held some (Recon-Dirty), or null.
         */
        private static String commit() {
            try (var in = Main.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
                if (in == null) {
                    return null;
                }
                var attributes = new Manifest(in).getMainAttributes();
                String c = attributes.getValue("Recon-Commit");
                if (c == null || c.isBlank() || c.startsWith("${")) {
                    return null;
                }
                return "true".equals(attributes.getValue("Recon-Dirty")) ? c + " and changes not committed" : c;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
