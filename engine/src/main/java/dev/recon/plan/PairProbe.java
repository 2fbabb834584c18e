package dev.recon.plan;

import dev.recon.base.ReconException;
import dev.recon.base.Side;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.DeletePolicy;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.config.Strategy;
import dev.recon.config.TableRef;
import dev.recon.config.WriteSettings;
import dev.recon.connect.Databases;
import dev.recon.db.Session;
import dev.recon.spi.SchemaCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The planner's knowledge offered outside any mapping, for {@code recon init}: the schemas and
 * tables of two connections, each table as its engine plans it, and whether two columns can be
 * compared by the very rules {@code validate} applies to a mapping ({@link PairRules}).
 */
public final class PairProbe implements AutoCloseable {
    private final ReconConfig config;
    private final Catalogs catalogs;
    private final Map<String, SchemaCatalog> schemaCatalogs = new HashMap<>();
    private final Map<String, Optional<PlanTable>> tables = new HashMap<>();

    /** {@code config}'s connections are the ones probed; it needs no mapping. */
    public PairProbe(ReconConfig config, Databases databases) {
        this.config = config;
        this.catalogs = new Catalogs(config, databases, false);
    }

    @Override
    public void close() {
        catalogs.close();
    }

    private Session session(String connection, String side) {
        Session s = catalogs.handle(config.connection(connection), side);
        if (s == null) {
            // the failure names the connection and its URL already ("source: cannot connect to connection ...")
            throw new ReconException(catalogs.failure(connection));
        }
        return s;
    }

    private SchemaCatalog schemas(String connection, String side) {
        Session s = session(connection, side);
        return schemaCatalogs.computeIfAbsent(connection, c -> config.connection(c).engine().schemas(s));
    }

    /** The schema unqualified names mean on the connection; empty when it has none (a server URL without a database). */
    public Optional<String> currentSchema(String connection, String side) {
        return read(connection, side, () -> Optional.ofNullable(schemas(connection, side).currentSchema()));
    }

    /** The tables of {@code schema} on the connection, by name; empty when there is no such schema. */
    public Optional<List<String>> tablesIn(String connection, String side, String schema) {
        return read(connection, side, () -> {
            SchemaCatalog catalog = schemas(connection, side);
            return catalog.schemaExists(schema) ? Optional.of(catalog.tablesIn(schema)) : Optional.empty();
        });
    }

    /**
     * A read of a catalog; a failure (the server stalled or closed the connection) said of the
     * side and connection, not as a bare driver error.
     */
    private <T> T read(String connection, String side, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ReconException e) {
            throw e;
        } catch (RuntimeException e) {
            boolean stalled = false;
            for (Throwable c = e; c != null; c = c.getCause()) {
                stalled |= c instanceof java.net.SocketTimeoutException;
            }
            java.sql.SQLException sql = dev.recon.db.DatabaseException.sqlCause(e);
            throw new ReconException("cannot read the " + side + "'s catalog (connection '" + connection + "', "
                    + config.connection(connection).redactedUrl() + "): " + (stalled ? "the server sent nothing for "
                            + config.connection(connection).stallTimeout().toSeconds() + " s; is it stalled?"
                            : sql != null ? dev.recon.db.DatabaseException.reason(sql) : String.valueOf(e.getMessage())));
        }
    }

    /** How a mapping file names {@code schema.table} of the connection. */
    public String ref(String connection, String side, String schema, String table) {
        return schemas(connection, side).ref(schema, table);
    }

    /** A column name as the connection's engine quotes it in SQL (a source column that is not a plain name). */
    public String quote(String connection, String name) {
        return config.connection(connection).engine().quote(name);
    }

    /** The table {@code ref} names on the connection as its engine plans it, or the problems that say why not. */
    public TableInfo table(String connection, Side side, String ref) {
        return read(connection, side == Side.SOURCE ? "source" : "target", () -> planTable(connection, side, ref)
                .info());
    }

    private PlanTable planTable(String connection, Side side, String ref) {
        String label = side == Side.SOURCE ? "source" : "target";
        Optional<PlanTable> known = tables.get(connection + "\u0000" + ref);
        if (known == null) {
            List<String> problems = new ArrayList<>();
            MappingCheck check = scratch(connection, ref, connection, ref, problems);
            ConnectionConfig conn = config.connection(connection);
            known = conn.engine().feature(PlanTables.class).flatMap(p -> p.table(check, session(connection, label),
                    conn, side, ref));
            if (known.isEmpty()) {
                throw new ReconException(label + " table " + ref + " cannot be read: " + String.join("; ",
                        problems.stream().map(PairProbe::unprefixed).toList()));
            }
            tables.put(connection + "\u0000" + ref, known);
        }
        return known.get();
    }

    /**
     * Why a source column and a target column cannot be compared exactly, as {@code validate}
     * would say it of a mapping that pairs them; empty when they can.
     */
    public Optional<String> refusal(String sourceConnection, String sourceRef, String sourceColumn,
            String targetConnection, String targetRef, String targetColumn) {
        return read(targetConnection, "target", () -> refusalOf(sourceConnection, sourceRef, sourceColumn,
                targetConnection, targetRef, targetColumn));
    }

    private Optional<String> refusalOf(String sourceConnection, String sourceRef, String sourceColumn,
            String targetConnection, String targetRef, String targetColumn) {
        PlanTable source = planTable(sourceConnection, Side.SOURCE, sourceRef);
        PlanTable target = planTable(targetConnection, Side.TARGET, targetRef);
        Optional<PairRules> rules = MappingPipeline.rules(source.engine(), target.engine());
        if (rules.isEmpty()) {
            return Optional.of("recon compares no " + source.engine().label() + " table with a "
                    + target.engine().label() + " one yet");
        }
        List<String> problems = new ArrayList<>();
        MappingCheck check = scratch(sourceConnection, sourceRef, targetConnection, targetRef, problems);
        Optional<PairRules.Paired> paired = rules.get().pair(check, "columns", sourceColumn, targetColumn, true,
                source, target);
        if (paired.isPresent() && problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(problems.isEmpty() ? "not comparable" : String.join("; ",
                problems.stream().map(PairProbe::unprefixed).toList()));
    }

    /** The checks of a mapping of these two tables that maps nothing: what an engine's catalog is handed. */
    private MappingCheck scratch(String sourceConnection, String sourceRef, String targetConnection, String targetRef,
            List<String> problems) {
        return new MappingCheck(new MappingConfig("init", new TableRef(sourceConnection, sourceRef, Optional.empty()),
                new TableRef(targetConnection, targetRef, Optional.empty()), Map.of(), Map.of(), List.of(),
                new DeletePolicy.Ignore(), Set.of(), Strategy.AUTO, WriteSettings.NONE, false, Map.of(), null, Map.of(),
                Set.of()), Purpose.DIFF, catalogs, problems);
    }

    /** A problem without the scratch mapping's name. */
    private static String unprefixed(String problem) {
        return problem.startsWith("mapping 'init': ") ? problem.substring("mapping 'init': ".length()) : problem;
    }
}
