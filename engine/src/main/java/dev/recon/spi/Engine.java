package dev.recon.spi;

import dev.recon.db.Session;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.time.Duration;
import java.util.Properties;

/**
 * A database engine recon reads, compares and writes: one implementation per engine, each in
 * its own package ({@code dev.recon.engines.<name>}), found through {@link java.util.ServiceLoader}
 * and chosen by the connection's JDBC URL ({@link Engines#of}). Everything outside an engine's
 * package speaks to it only through this interface and the ports it hands out
 * ({@link #feature}), never by naming it.
 */
public interface Engine {
    /** The engine's short name in lower case ({@code postgresql}). */
    String id();

    /** How messages name it ({@code PostgreSQL}). */
    String label();

    /** What its URLs look like, for messages ({@code jdbc:postgresql://host:port/database}). */
    String urlExample();

    /** True when this engine's driver serves this JDBC URL. */
    boolean handles(String url);

    /**
     * A new connection to {@code url}: {@code properties} are the user's (user, password and the
     * connection's own driver properties), to which the engine adds its defaults (connect and
     * login timeouts, the application name) where the user set none. {@code forWriting}: the
     * connection will write (an engine may enable its bulk path). Null when the URL is not
     * this engine's.
     */
    Connection connect(String url, Properties properties, boolean forWriting) throws SQLException;

    /** Makes every later statement of {@code c} end after {@code timeout} (a writer's statement timeout). */
    void limitStatements(Connection c, Duration timeout) throws SQLException;

    /**
     * Gives {@code c} the session settings under which its values print as recon compares them
     * (time zone, date styles, every float digit, the character set), in autocommit mode.
     */
    void setUpSession(Connection c) throws SQLException;

    /**
     * What the connection's role may do beyond reading {@code schema.table} (a source): that it is a
     * superuser, may write the table, or holds rights that act on the server (files,
     * other sessions), each said in a few words; empty for a reader. Never fails: a catalog
     * the role may not read gives nothing.
     */
    default List<String> rightsBeyondReading(Connection c, String schema, String table) {
        return List.of();
    }

    /**
     * Bounds how long a connection waits for the server to send anything ({@code stall_timeout}):
     * sets the driver's socket timeout in {@code props} unless the connection's own properties
     * set it. Zero: no bound.
     */
    void boundStalls(java.util.Properties props, java.time.Duration stall);

    /**
     * Begins a read-only transaction on {@code c} that sees the database as it was at one
     * moment; {@code setUp}: the connection is new and gets its session settings first (a
     * reused one already has them and only its transaction ended).
     */
    void beginSnapshot(Connection c, boolean setUp) throws SQLException;

    /**
     * Takes mapping {@code mapping}'s lock on {@code session}'s server, waiting up to
     * {@code timeout} for another run to release it; {@code connection} names the target's
     * connection in messages.
     */
    EngineLock lock(Session session, String connection, String mapping, Duration timeout);

    /** How the state schema (run history, failed rows) is read and written on this engine. */
    StateDialect state();

    /** The schemas and tables of {@code session}'s server, as schema entries expand them. */
    SchemaCatalog schemas(Session session);

    /** An identifier (or a qualified one) quoted as this engine's SQL needs it. */
    String quote(String... parts);

    /** True when the engine stores zero dates ({@code 0000-00-00}), so {@code zero_dates} applies to it. */
    default boolean hasZeroDates() {
        return false;
    }

    /**
     * True when the engine's own text of a value is the canonical text recon compares
     * (PostgreSQL's text of the type the pair is compared in): it can print a value given on
     * the command line as the other engines' reads print it ({@code recon diff --key}).
     */
    default boolean printsCanonicalText() {
        return false;
    }

    /**
     * True when the engine decides the equality of values whose texts differ for equal
     * values (JSON documents), for the merge to ask.
     */
    default boolean comparesJsonValues() {
        return false;
    }

    /**
     * The URL of a connection on which this engine reads files as tables ({@code files:} sources),
     * or null when it reads none.
     */
    default String filesUrl() {
        return null;
    }

    /**
     * The table text of files read as a table ({@code files}: a path or a glob) in {@code format}
     * ({@code csv}, {@code parquet} or {@code json}), a CSV read with {@code csv} options
     * ({@code header}, {@code delimiter}, {@code null}) and column {@code types}; only asked of an
     * engine with a {@link #filesUrl}.
     */
    default String fileTable(String files, String format, java.util.Map<String, String> csv,
            java.util.Map<String, String> types) {
        throw new UnsupportedOperationException(label() + " reads no files");
    }

    /**
     * What this engine offers to a layer above the SPI: a port that layer defines (a catalog
     * for the planner, a writer, a strategy), or empty when the engine has none.
     */
    default <T> java.util.Optional<T> feature(Class<T> port) {
        return java.util.Optional.empty();
    }
}
