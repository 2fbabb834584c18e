package dev.recon.init;

import dev.recon.base.ReconException;
import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConfigException;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.ReconConfig;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PairProbe;
import dev.recon.spi.Engines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code recon init}: reads the tables of two schemas (their columns, types and keys, as the
 * planner reads them) and pairs them ({@link Pairing}), asking the planner's value rules
 * whether each candidate pair of columns can be compared. Reads catalogs only.
 */
public final class Init {
    /** A name a mapping file may write as it is: as both engines read it unquoted. */
    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;])password=[^&;]*(&|;)?");
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("(//[^/:@]+):[^@/]*@");

    private Init() {
    }

    /** Surveys the two schemas; a {@link ReconException} names what cannot be read. */
    public static Survey survey(InitRequest request) {
        String sourceUrl = request.sourceUrl();
        String targetUrl = request.targetUrl();
        for (String[] side : List.of(new String[] {"--source", sourceUrl}, new String[] {"--target", targetUrl})) {
            if (Engines.find(side[1]).isEmpty()) {
                throw new ConfigException("recon init cannot read its input:", List.of(side[0] + " '"
                        + dev.recon.config.Redaction.redactUrl(side[1]) + "' is not a JDBC URL recon knows (for example "
                        + String.join(", ", Engines.all().stream().map(e -> e.urlExample()).toList()) + ")"));
            }
        }
        boolean one = sourceUrl.equals(targetUrl) && request.sourcePassword().equals(request.targetPassword());
        String sourceName = one ? "db" : "source";
        String targetName = one ? "db" : "target";
        Map<String, ConnectionConfig> connections = new LinkedHashMap<>();
        connections.put(sourceName, new ConnectionConfig(sourceName, sourceUrl, null,
                request.sourcePassword().orElse(null), Map.of()));
        connections.put(targetName, new ConnectionConfig(targetName, targetUrl, null,
                request.targetPassword().orElse(null), Map.of()));
        ReconConfig config = new ReconConfig(connections, List.of(), ReconConfig.DEFAULT_STATE_SCHEMA, List.of(),
                Map.of(), List.of());
        try (PairProbe probe = new PairProbe(config, new Databases())) {
            String sourceSchema = schema(probe, sourceName, "source", request.sourceSchema());
            String targetSchema = schema(probe, targetName, "target", request.targetSchema());
            if (one && sourceSchema.equals(targetSchema)) {
                throw new ConfigException("recon init cannot read its input:", List.of("the source and the target are"
                        + " both schema '" + sourceSchema + "' of one database: every table would pair with itself;"
                        + " give --source-schema or --target-schema"));
            }
            List<Pairing.Table> sources = new ArrayList<>();
            List<Pairing.Table> targets = new ArrayList<>();
            Map<String, String> sourceRefs = new LinkedHashMap<>();
            Map<String, String> targetRefs = new LinkedHashMap<>();
            Map<String, String> sourceColumnNames = new HashMap<>();
            for (String table : tables(probe, sourceName, "source", sourceSchema)) {
                String ref = ref(probe, sourceName, "source", sourceSchema, table);
                TableInfo info = probe.table(sourceName, Side.SOURCE, ref);
                sourceRefs.put(table, ref);
                sources.add(table(table, info));
                for (ColumnInfo c : info.columns()) {
                    // a column the planner finds by its exact name is written as it is; another is quoted, an expression
                    if (!MappingCheck.IDENTIFIER.matcher(c.name()).matches()) {
                        sourceColumnNames.put(c.name(), probe.quote(sourceName, c.name()));
                    }
                }
            }
            for (String table : tables(probe, targetName, "target", targetSchema)) {
                String ref = ref(probe, targetName, "target", targetSchema, table);
                targetRefs.put(table, ref);
                targets.add(table(table, probe.table(targetName, Side.TARGET, ref)));
            }
            String sName = sourceName;
            String tName = targetName;
            Pairing.Result pairing = Pairing.pair(sources, targets, (s, t, sc, tc) -> probe.refusal(sName,
                    sourceRefs.get(s.name()), sourceColumnNames.getOrDefault(sc.name(), sc.name()), tName,
                    targetRefs.get(t.name()), tc.name()));
            boolean sourcePassword = request.sourcePassword().isPresent() || !withoutPassword(sourceUrl)
                    .equals(sourceUrl);
            boolean targetPassword = request.targetPassword().isPresent() || !withoutPassword(targetUrl)
                    .equals(targetUrl);
            Survey.Connection source = new Survey.Connection(sourceName, withoutPassword(sourceUrl), sourcePassword
                    ? one ? InitRequest.SHARED_PASSWORD : InitRequest.SOURCE_PASSWORD : null);
            Survey.Connection target = one ? source : new Survey.Connection(targetName, withoutPassword(targetUrl),
                    targetPassword ? InitRequest.TARGET_PASSWORD : null);
            return new Survey(source, target, sourceSchema, targetSchema, pairing, sourceRefs, targetRefs,
                    sourceColumnNames);
        }
    }

    private static String schema(PairProbe probe, String connection, String side, Optional<String> given) {
        if (given.isPresent()) {
            return given.get();
        }
        return probe.currentSchema(connection, side).orElseThrow(() -> new ConfigException(
                "recon init cannot read its input:", List.of("the " + side + " connection names no database, so"
                        + " there is no default schema: give --" + side + "-schema")));
    }

    private static List<String> tables(PairProbe probe, String connection, String side, String schema) {
        return probe.tablesIn(connection, side, schema).orElseThrow(() -> new ConfigException(
                "recon init cannot read its input:", List.of("--" + side + "-schema: there is no schema '" + schema
                        + "' on the " + side + " connection")));
    }

    /** How the file names a table: {@code schema.table} when both are plain, else quoted as its engine quotes. */
    private static String ref(PairProbe probe, String connection, String side, String schema, String table) {
        return PLAIN.matcher(schema).matches() && PLAIN.matcher(table).matches() ? schema + "." + table
                : probe.ref(connection, side, schema, table);
    }

    /** A table as the pairing sees it: its columns, and its first key in its columns' order. */
    private static Pairing.Table table(String name, TableInfo info) {
        List<Pairing.Column> columns = info.columns().stream().filter(c -> !c.generated()).map(c -> new Pairing.Column(
                c.name(), c.type(), c.notNull(), c.hasDefault())).toList();
        Set<String> key = info.uniqueKeys().isEmpty() ? Set.of() : info.uniqueKeys().get(0);
        return new Pairing.Table(name, columns, columns.stream().map(Pairing.Column::name).filter(key::contains)
                .toList());
    }

    /** The URL without its password ({@code password=} or {@code user:password@}). */
    static String withoutPassword(String url) {
        String stripped = PASSWORD_PARAMETER.matcher(url).replaceAll(m -> m.group(2) == null ? ""
                : m.group(1).equals("?") ? "?" : m.group(1));
        return USERINFO_PASSWORD.matcher(stripped).replaceAll("$1@");
    }
}
