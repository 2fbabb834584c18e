package dev.recon.plan;

import dev.recon.catalog.Catalog;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import dev.recon.db.Session;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the mappings of one plan share per connection: its handle (opened once; null when
 * it cannot connect), its catalog with the tables read so far, and the value types
 * decided for its columns' types.
 */
public final class Catalogs implements AutoCloseable {
    private final ReconConfig config;
    private final Databases databases;
    private final Map<String, Session> handles = new LinkedHashMap<>();
    private final Map<String, Catalog> catalogs = new HashMap<>();
    private final Map<String, ValueTypes> valueTypes = new HashMap<>();
    /** Why a connection could not be opened, by its name. */
    private final Map<String, String> failures = new HashMap<>();
    /** The problems the mappings reported because a connection could not be opened (as reported). */
    private final java.util.Set<String> unreachable = new java.util.HashSet<>();
    /** Offer the connections to the run's read snapshots instead of closing them. */
    private final boolean handOn;

    Catalogs(ReconConfig config, Databases databases, boolean handOn) {
        this.config = config;
        this.databases = databases;
        this.handOn = handOn;
    }

    @Override
    public void close() {
        handles.forEach((name, session) -> {
            if (session != null && handOn) {
                databases.offer(config.connection(name), session.connection());
            } else if (session != null) {
                session.close();
            }
        });
    }

    /** The connection's handle, opened once; null when it cannot connect ({@link #failure} says why). */
    public Session handle(ConnectionConfig conn, String side) {
        if (!handles.containsKey(conn.name())) {
            try {
                handles.put(conn.name(), databases.open(conn, side));
            } catch (RuntimeException e) {
                failures.put(conn.name(), e.getMessage());
                handles.put(conn.name(), null);
            }
        }
        return handles.get(conn.name());
    }

    public String failure(String connection) {
        return failures.get(connection);
    }

    /** Records {@code problem} (as a mapping reported it) as a connection that could not be opened. */
    void unreachable(String problem) {
        unreachable.add(problem);
    }

    /** True when {@code problem} says that a connection could not be opened, not that the file is wrong. */
    boolean isUnreachable(String problem) {
        return unreachable.contains(problem);
    }

    /** The names of the connections that could not be opened, in name order. */
    java.util.List<String> failedConnections() {
        return failures.keySet().stream().sorted().toList();
    }

    /** The connection's catalog, or null when it cannot connect. */
    public Catalog catalog(String connection, String side) {
        Session h = handle(config.connection(connection), side);
        return h == null ? null : catalogs.computeIfAbsent(connection, c -> new Catalog(h));
    }

    public ValueTypes valueTypes(String connection, Catalog catalog) {
        return valueTypes.computeIfAbsent(connection, c -> new ValueTypes(catalog));
    }
}
