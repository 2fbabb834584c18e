package dev.recon.init;

import dev.recon.base.PlanException;
import dev.recon.base.ReconException;
import dev.recon.base.Side;
import dev.recon.catalog.ColumnInfo;
import dev.recon.catalog.TableInfo;
import dev.recon.config.ConfigException;
import dev.recon.config.ConfigLoader;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.ReconConfig;
import dev.recon.config.Redaction;
import dev.recon.connect.Databases;
import dev.recon.plan.MappingCheck;
import dev.recon.plan.PairProbe;
import dev.recon.plan.Planner;
import dev.recon.plan.Purpose;
import dev.recon.plan.SchemaExpansion;
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

    /** How long a server may send nothing while init reads its catalog. */
    static final java.time.Duration CATALOG_STALL = java.time.Duration.ofSeconds(60);

    private Init() {
    }

    /** Surveys the two schemas; a {@link ReconException} names what cannot be read. */
    public static Survey survey(InitRequest request) {
        String sourceUrl = request.sourceUrl();
        String targetUrl = request.targetUrl();
        for (String[] side : List.of(new String[] {"--source", sourceUrl}, new String[] {"--target", targetUrl})) {
            if (Engines.find(side[1]).isEmpty()) {
                throw new ConfigException("recon init cannot read its input:", List.of(side[0] + " '"
                        + Redaction.redactUrl(side[1]) + "' is not a JDBC URL recon knows (for example "
                        + String.join(", ", Engines.all().stream().map(e -> e.urlExample()).toList()) + ")"));
            }
        }
        boolean one = sourceUrl.equals(targetUrl) && request.sourcePassword().equals(request.targetPassword());
        String sourceName = one ? "db" : "source";
        String targetName = one ? "db" : "target";
        Map<String, ConnectionConfig> connections = new LinkedHashMap<>();
        // a catalog answers in moments: a server that sends nothing for a minute has stalled
        connections.put(sourceName, new ConnectionConfig(sourceName, sourceUrl, null,
                request.sourcePassword().orElse(null), Map.of(), false, Optional.empty(), CATALOG_STALL));
        connections.put(targetName, new ConnectionConfig(targetName, targetUrl, null,
                request.targetPassword().orElse(null), Map.of(), false, Optional.empty(), CATALOG_STALL));
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
            Survey.Connection source = new Survey.Connection(sourceName, Redaction.withoutPassword(sourceUrl), variable(
                    sourceUrl, request.sourcePasswordVariable(), one ? InitRequest.SHARED_PASSWORD
                            : InitRequest.SOURCE_PASSWORD));
            Survey.Connection target = one ? source : new Survey.Connection(targetName, Redaction.withoutPassword(targetUrl),
                    variable(targetUrl, request.targetPasswordVariable(), InitRequest.TARGET_PASSWORD));
            if (pairing.tables().isEmpty()) {
                throw new ConfigException("recon init writes nothing:", List.of("no table of " + sourceSchema
                        + " (" + (sources.isEmpty() ? "none" : String.join(", ", sourceRefs.keySet())) + ") pairs with"
                        + " one of " + targetSchema + " (" + (targets.isEmpty() ? "none" : String.join(", ",
                                targetRefs.keySet())) + "); is --source-schema or --target-schema missing?"));
            }
            Survey survey = new Survey(source, target, sourceSchema, targetSchema, pairing, sourceRefs, targetRefs,
                    sourceColumnNames, Map.of(), Map.of());
            return checked(survey, config);
        }
    }

    /**
     * The survey with what {@code recon validate} says of the file it makes: a mapping a diff
     * would refuse is written commented out with the reasons, a mapping only a sync refuses with
     * them in comments; checked again until no mapping left in the file is refused.
     */
    private static Survey checked(Survey survey, ReconConfig connections) {
        Map<String, List<String>> notWritten = new LinkedHashMap<>();
        Map<String, List<String>> syncProblems = Map.of();
        for (int pass = 0; pass < 4; pass++) {
            Survey current = survey.withProblems(notWritten, Map.of());
            Map<String, String> tables = new HashMap<>();
            String text = MappingFile.render(current.withoutPasswords(), java.time.LocalDate.EPOCH, tables);
            Map<String, List<String>> diff = problems(text, tables, connections, Purpose.DIFF);
            if (!diff.isEmpty()) {
                notWritten.putAll(diff);
                continue;
            }
            Map<String, List<String>> sync = problems(text, tables, connections, Purpose.SYNC);
            syncProblems = sync;
            return survey.withProblems(notWritten, syncProblems);
        }
        throw new ReconException("recon init could not write a file that recon validate accepts: "
                + notWritten);
    }

    private static final Pattern MAPPING_PROBLEM = Pattern.compile("(?s)mapping '([^']+)': (.*)");

    /**
     * What the planner finds wrong with the file's mappings for {@code purpose}, by source table
     * ({@code tables}: mapping name to source table); a problem of no mapping is an error.
     */
    private static Map<String, List<String>> problems(String text, Map<String, String> tables,
            ReconConfig connections, Purpose purpose) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        java.nio.file.Path file = null;
        Databases databases = new Databases();
        try {
            file = java.nio.file.Files.createTempFile("recon-init", ".yaml");
            java.nio.file.Files.writeString(file, text);
            ReconConfig loaded = ConfigLoader.load(file);
            ReconConfig config = SchemaExpansion.expand(new ReconConfig(connections.connections(), loaded.mappings(),
                    loaded.stateSchema(), loaded.schemas(), loaded.refused(), loaded.order()), databases);
            try {
                Planner.Planned planned = new Planner(config, databases).planRun(List.of(), purpose);
                planned.refused().forEach((name, why) -> out.computeIfAbsent(tables.getOrDefault(name, name),
                        k -> new ArrayList<>()).add(why));
            } catch (PlanException e) {
                for (String problem : e.problems()) {
                    java.util.regex.Matcher m = MAPPING_PROBLEM.matcher(problem);
                    if (!m.matches() || !tables.containsKey(m.group(1))) {
                        throw e;
                    }
                    out.computeIfAbsent(tables.get(m.group(1)), k -> new ArrayList<>()).add(m.group(2));
                }
            }
        } catch (java.io.IOException e) {
            throw new ReconException("recon init cannot check the file it writes: " + e.getMessage(), e);
        } finally {
            databases.closeIdle();
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temporary file of the system's
                }
            }
        }
        return out;
    }

    /**
     * The variable the file reads a connection's password from: the one init's password came
     * from, else {@code otherwise} when the URL held a password (left out of the file); null
     * when the connection needs none.
     */
    private static String variable(String url, Optional<String> given, String otherwise) {
        return given.orElse(Redaction.withoutPassword(url).equals(url) ? null : otherwise);
    }

    private static String schema(PairProbe probe, String connection, String side, Optional<String> given) {
        if (given.isPresent()) {
            return given.get();
        }
        return probe.currentSchema(connection, side).orElseThrow(() -> new ConfigException(
                "recon init cannot read its input:", List.of("the " + side + " connection has no current schema"
                        + " (no schema of the role's search path exists, or the URL names no database): give --"
                        + side + "-schema")));
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
}
