package dev.recon.db;

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

    /** A driver message as a person reads it: its first line, without PostgreSQL's "ERROR: " prefix. */
    public static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim().replaceFirst("^(ERROR|FATAL): ", "");
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
