package dev.recon.db;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import dev.recon.base.ReconException;
import java.sql.SQLException;

/** A database said no: connection refused, bad SQL, timeout. Carries the SQLSTATE. */
public final class DatabaseException extends ReconException {
    private final String sqlState;

    public DatabaseException(String context, SQLException cause) {
        super(context + ": " + firstLine(cause.getMessage()) + sqlStateSuffix(cause.getSQLState()) + stalled(cause),
                cause);
        this.sqlState = cause.getSQLState();
    }

    /** What a socket timeout means here: the server stopped answering for the connection's stall limit. */
    private static String stalled(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof java.net.SocketTimeoutException) {
                return "; the server sent nothing for as long as the connection's stall_timeout allows (15m unless"
                        + " set): it stalled, or one statement runs longer than that (raise stall_timeout on the"
                        + " connection)";
            }
        }
        return "";
    }

    public String sqlState() {
        return sqlState;
    }

    /** What engines pick out of their drivers' messages beyond the first line ({@link #addDetail}). */
    private static final List<UnaryOperator<String>> DETAILS = new CopyOnWriteArrayList<>();

    /**
     * Lets an engine whose driver spreads what matters over several lines (the file and the line
     * of a malformed row) pick it out of a whole message: {@code detail} returns what follows
     * the first line (with its own leading punctuation), or an empty string.
     */
    public static void addDetail(UnaryOperator<String> detail) {
        DETAILS.add(detail);
    }

    /**
     * A driver message as a person reads it: its first line, without PostgreSQL's "ERROR: "
     * prefix, and what an engine picks out of the rest ({@link #addDetail}).
     */
    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        String first = (nl < 0 ? message : message.substring(0, nl)).trim().replaceFirst("^(ERROR|FATAL): ", "");
        if (nl >= 0) {
            for (UnaryOperator<String> detail : DETAILS) {
                first += detail.apply(message);
            }
        }
        return first;
    }

    private static String sqlStateSuffix(String state) {
        return state == null ? "" : " [SQLSTATE " + state + "]";
    }

    /** The first line of an SQLException's message with its SQLSTATE: "column \"x\" does not exist [SQLSTATE 42703]". */
    public static String reason(SQLException e) {
        return firstLine(e.getMessage()) + sqlStateSuffix(e.getSQLState());
    }

    /** The SQLException inside a JDBI or driver exception, if any. */
    public static SQLException sqlCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /** Wraps any failure from a database call into a {@code DatabaseException} with context. */
    public static RuntimeException wrap(String context, RuntimeException e) {
        if (e instanceof ReconException) {
            return e;
        }
        SQLException sql = sqlCause(e);
        if (sql != null) {
            return new DatabaseException(context, sql);
        }
        return new ReconException(context + ": " + e.getMessage(), e);
    }
}
