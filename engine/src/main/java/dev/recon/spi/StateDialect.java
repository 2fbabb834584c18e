package dev.recon.spi;

import dev.recon.db.Session;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * How the state schema (run history and failed rows, on the target's server) is spelled on
 * one engine: its migrations, and the few expressions whose SQL differs between engines. The
 * statements themselves are written once, in {@code dev.recon.state.RunStore}.
 */
public interface StateDialect {
    /** The class-path location of the engine's Flyway migrations ({@code classpath:...}). */
    String migrations();

    /**
     * Creates or upgrades the state schema {@code schema} on {@code session} itself, for an engine
     * Flyway does not serve: true when it did (then {@link #migrations} is not asked); false, the
     * default, leaves it to Flyway.
     */
    default boolean migrate(Session session, String schema) {
        return false;
    }

    /** The current time, as the schema stores it. */
    String now();

    /** The time {@code micros} microseconds before now. */
    String microsAgo(long micros);

    /** A column named {@code name}, quoted where the engine reserves the word ({@code sqlstate}). */
    String column(String name);

    /** A parameter that holds a JSON text, for a JSON column. */
    String jsonParameter();

    /** The type a text parameter is cast to. */
    String textType();

    /** The type a whole-number parameter is cast to. */
    String integerType();

    /** A JSON column read as its text. */
    String jsonAsText(String column);

    /** True when the schema's {@code run} table exists. */
    boolean runTableExists(Session session, String schema);

    /**
     * True when the schema's tables exist and its migration history reached {@code latest}
     * without failures (then Flyway need not start).
     */
    boolean current(Session session, String schema, int latest);

    /** Runs an {@code INSERT} of one row into a table with a generated id and returns that id. */
    long insertReturningId(Session session, String insert, Object... params);

    /** A time column as an instant with its offset. */
    OffsetDateTime time(ResultSet rs, int column) throws SQLException;
}
