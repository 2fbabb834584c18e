package dev.recon.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Configures logback for one command: warnings by default, info with -v, debug with -vv,
 * errors only with -q; human-readable lines or one JSON object per line
 * ({@code --log-format json}, logstash's field names). Logs go to the command's error
 * stream, so reports on stdout stay clean.
 */
final class Logging {
    enum Format { TEXT, JSON }

    /** The format the current command chose; errors are printed to match it. */
    private static volatile Format current = Format.TEXT;
    /** Whether the command asked for details ({@code -v}): errors then come with their stack traces. */
    private static volatile boolean verbose;

    private Logging() {
    }

    /**
     * Tells the user about an error: an {@code error: } line on stderr, or, with
     * {@code --log-format json}, a log event at level ERROR, so stderr stays one JSON object per line.
     */
    static void error(PrintWriter err, String message) {
        error(err, message, null);
    }

    /** The same, with the exception's stack trace ({@code -v}) when {@code trace} is not null. */
    static void error(PrintWriter err, String message, Throwable trace) {
        if (current == Format.JSON) {
            LoggerFactory.getLogger(Main.class).error(message, trace);
        } else {
            err.println("error: " + message);
            if (trace != null) {
                trace.printStackTrace(err);
            }
            err.flush();
        }
    }

    static boolean verbose() {
        return verbose;
    }

    /** Whether errors come with their stack traces ({@code -v}). */
    static void showStackTraces(boolean show) {
        verbose = show;
    }

    static void configure(int verbosity, boolean quiet, Format format, PrintWriter err) {
        configure(quiet ? Level.ERROR : verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN,
                format, err);
    }

    static void configure(Level level, Format format, PrintWriter err) {
        current = format;
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        configure(context, level, format, err);
    }

    /**
     * The configuration logback starts with, before a command chooses its own: warnings, as
     * text, on stderr. Found by logback through {@code META-INF/services} instead of an XML file,
     * whose parser cost every process about 300 classes and 50 ms before its first line.
     */
    public static final class Defaults extends ContextAwareBase implements Configurator {
        @Override
        public ExecutionStatus configure(LoggerContext context) {
            Logging.configure(context, Level.WARN, Format.TEXT,
                    new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
            return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
        }
    }

    private static void configure(LoggerContext context, Level level, Format format, PrintWriter err) {
        Encoder<ILoggingEvent> encoder;
        if (format == Format.JSON) {
            LogstashEncoder json = new LogstashEncoder();
            json.setIncludeContext(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXX} %-5level %logger{0} - %msg%n");
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        WriterAppender appender = new WriterAppender(encoder, err);
        appender.setContext(context);
        appender.setName("recon");
        appender.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(appender);
        // The libraries underneath speak only when something is wrong, whatever -v says.
        for (String quietLibrary : new String[] {"org.flywaydb", "com.zaxxer", "io.zonky"}) {
            context.getLogger(quietLibrary).setLevel(level.isGreaterOrEqual(Level.WARN) ? level : Level.WARN);
        }
    }

    /** Hands each encoded event to a writer (logback's own appenders want an OutputStream). */
    private static final class WriterAppender extends AppenderBase<ILoggingEvent> {
        private final Encoder<ILoggingEvent> encoder;
        private final PrintWriter out;

        WriterAppender(Encoder<ILoggingEvent> encoder, PrintWriter out) {
            this.encoder = encoder;
            this.out = out;
        }

        @Override
        protected void append(ILoggingEvent event) {
            String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }
    }
}
