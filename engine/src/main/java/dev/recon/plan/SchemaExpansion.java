package dev.recon.plan;

import dev.recon.base.PlanException;
import dev.recon.config.ConnectionConfig;
import dev.recon.config.MappingConfig;
import dev.recon.config.ReconConfig;
import dev.recon.config.SchemaEntry;
import dev.recon.config.TableRef;
import dev.recon.connect.Databases;
import dev.recon.db.Session;
import dev.recon.spi.SchemaCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns each schema entry into one mapping per matching source table, read from the live
 * catalogs: named {@code entry.table}, to the same-named target table (or the override's),
 * keyed by the target's primary key (else its first unique key without predicate) mapped to
 * the same-named source columns (or the renamed ones), comparing every shared column unless
 * the override lists its columns; a target without a key leaves the key empty, and the
 * table is compared as a multiset. A table without a target table is refused with a
 * message: an error of that table alone. Expanding an expanded
 * configuration (one without schema entries) returns it as it is.
 */
public final class SchemaExpansion {
    private SchemaExpansion() {
    }

    public static ReconConfig expand(ReconConfig config, Databases databases) {
        if (config.schemas().isEmpty()) {
            return config;
        }
        List<MappingConfig> mappings = new ArrayList<>(config.mappings());
        Map<String, String> refused = new LinkedHashMap<>(config.refused());
        // the tables in the order the expansion finds them, refused ones in their place
        List<String> order = new ArrayList<>(config.order());
        List<String> problems = new ArrayList<>();
        for (SchemaEntry e : config.schemas()) {
            ConnectionConfig source = config.connection(e.sourceConnection());
            ConnectionConfig target = config.connection(e.targetConnection());
            String label = "schema entry '" + e.name() + "'";
            try (Session s = databases.open(source, label + ": source"); Session t = databases.open(target,
                    label + ": target")) {
                SchemaCatalog sourceCatalog = source.engine().schemas(s);
                SchemaCatalog targetCatalog = target.engine().schemas(t);
                if (!sourceCatalog.schemaExists(e.sourceSchema())) {
                    problems.add(label + ": source schema '" + e.sourceSchema() + "' does not exist on connection '"
                            + source.name() + "'");
                    continue;
                }
                if (!targetCatalog.schemaExists(e.targetSchema())) {
                    problems.add(label + ": target schema '" + e.targetSchema() + "' does not exist on connection '"
                            + target.name() + "'; create it (" + targetCatalog.createSchema(e.targetSchema())
                            + ") with the tables to compare, or name the schema that holds them");
                    continue;
                }
                List<String> tables = sourceCatalog.tablesIn(e.sourceSchema());
                for (String name : e.overrides().keySet()) {
                    if (!tables.contains(name)) {
                        problems.add(label + ": overrides." + name + ": the source schema '" + e.sourceSchema()
                                + "' has no table '" + name + "'");
                    }
                }
                List<String> matching = tables.stream()
                        .filter(table -> matchesAny(e.tables(), table) && !matchesAny(e.exclude(), table)).toList();
                // every target table read at once
                targetCatalog.resolve(matching.stream().map(table -> targetRef(e, table, targetCatalog)).toList());
                for (String table : matching) {
                    table(e, table, source, target, sourceCatalog, targetCatalog, mappings, refused);
                    order.add(e.name() + "." + table);
                }
                int matched = matching.size();
                if (matched == 0) {
                    problems.add(label + ": no table of schema '" + e.sourceSchema() + "' on connection '"
                            + source.name() + "' matches tables " + e.tables() + (e.exclude().isEmpty() ? ""
                            : " and none of exclude " + e.exclude()) + " (patterns are case-sensitive; the schema holds "
                            + (tables.isEmpty() ? "no table" : String.join(", ", tables)) + ")");
                }
            } catch (RuntimeException ex) {
                problems.add(label + ": " + ex.getMessage());
            }
        }
        // ENTRY.TABLE may be another entry's name too (entry "odd" with table "my.t", entry "odd.my" with "t")
        Map<String, Integer> seen = new LinkedHashMap<>();
        mappings.forEach(m -> seen.merge(m.name(), 1, Integer::sum));
        refused.keySet().forEach(n -> seen.merge(n, 1, Integer::sum));
        seen.forEach((name, n) -> {
            if (n > 1) {
                problems.add("mapping name '" + name + "' is given to " + n + " tables (a schema entry's tables are"
                        + " named ENTRY.TABLE); rename an entry, so that history, metrics and locks tell them apart");
            }
        });
        if (!problems.isEmpty()) {
            throw new PlanException("the schema entries cannot be read (" + problems.size()
                    + (problems.size() == 1 ? " problem" : " problems") + "); nothing was read or written:", problems);
        }
        // expanded: the entries are their tables now, so a second expansion changes nothing
        return new ReconConfig(config.connections(), mappings, config.stateSchema(), List.of(), refused, order);
    }

    private static void table(SchemaEntry e, String table, ConnectionConfig source, ConnectionConfig target,
            SchemaCatalog sourceCatalog, SchemaCatalog targetCatalog, List<MappingConfig> mappings,
            Map<String, String> refused) {
        SchemaEntry.Override o = e.overrides().getOrDefault(table, SchemaEntry.Override.NONE);
        String name = e.name() + "." + table;
        String sourceRef = sourceCatalog.ref(e.sourceSchema(), table);
        String targetRef = targetRef(e, table, targetCatalog);
        Optional<List<String>> targetKey = targetCatalog.firstKey(targetRef);
        if (targetKey.isEmpty()) {
            refused.put(name, "mapping '" + name + "': target table " + targetRef + " does not exist on connection '"
                    + target.name() + "' (the schema entry '" + e.name() + "' maps " + sourceRef + " of connection '"
                    + source.name() + "' to it); create it, or exclude " + table + ", or name another target in"
                    + " overrides");
            return;
        }
        Map<String, String> key = new LinkedHashMap<>(o.key());
        if (key.isEmpty() && !o.keyless() && !targetKey.get().isEmpty()) {
            for (String column : targetKey.get()) {
                key.put(sourceColumn(column, o.rename()), column);
            }
        }
        // no key: the table is compared as a multiset of its columns
        mappings.add(new MappingConfig(name, new TableRef(e.sourceConnection(), sourceRef, o.where()),
                new TableRef(e.targetConnection(), targetRef, Optional.empty()), key, o.columns().orElse(Map.of()),
                o.compare(), e.deletes(), e.skip(), e.strategy(), e.writes(), o.columns().isEmpty(), o.rename(),
                e.name(), rules(e, o), o.rules().keySet()));
    }

    /** The entry's rules, with the override's in place of the entry's for the columns it names. */
    private static Map<String, dev.recon.config.ColumnRule> rules(SchemaEntry e, SchemaEntry.Override o) {
        Map<String, dev.recon.config.ColumnRule> rules = new LinkedHashMap<>(e.rules());
        rules.putAll(o.rules());
        return rules;
    }

    /** The target table of a source table: the same name in the target schema, or the override's. */
    private static String targetRef(SchemaEntry e, String table, SchemaCatalog targetCatalog) {
        SchemaEntry.Override o = e.overrides().getOrDefault(table, SchemaEntry.Override.NONE);
        return targetCatalog.ref(e.targetSchema(), o.targetTable().orElse(table));
    }

    /**
     * What the expansion reads of one side's catalog, as its engine names them (a
     * schema, or a database where the engine has no schemas): whether a schema exists, its tables, how a table is written in a
     * mapping, and a table's first key (its primary key, else its first unique key; empty
     * list: none; empty: no such table).
     */
    /** The source column a target column is mapped from: renamed, or of the same name. */
    private static String sourceColumn(String targetColumn, Map<String, String> rename) {
        return rename.entrySet().stream().filter(r -> r.getValue().equals(targetColumn)).map(Map.Entry::getKey)
                .findFirst().orElse(targetColumn);
    }

    /** Whether a table name matches one of these globs ({@code *} any run of characters, {@code ?} one). */
    static boolean matchesAny(List<String> globs, String table) {
        for (String glob : globs) {
            StringBuilder regex = new StringBuilder();
            for (char c : glob.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            if (table.matches(regex.toString())) {
                return true;
            }
        }
        return false;
    }
}
