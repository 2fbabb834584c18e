package dev.recon.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A validated mapping file: named connections and the mappings between their tables.
 * {@code schemas} are the entries that name whole schemas; once expanded (against the live
 * catalogs) their tables are {@code mappings} of their own (named {@code entry.table}), and
 * {@code refused} holds, by mapping name, why a table of theirs cannot be compared (no target
 * table, no key): an error of that table alone.
 */
public record ReconConfig(Map<String, ConnectionConfig> connections, List<MappingConfig> mappings, String stateSchema,
        List<SchemaEntry> schemas, Map<String, String> refused, List<String> order) {
    public static final String DEFAULT_STATE_SCHEMA = "recon";

    /**
     * {@code order}: the names of the mappings and refused tables in the order reports list
     * them (a schema entry's tables as its expansion found them, refused ones in their place);
     * when empty, the mappings', then the refused tables'.
     */
    public ReconConfig {
        connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        mappings = List.copyOf(mappings);
        schemas = List.copyOf(schemas);
        refused = Collections.unmodifiableMap(new LinkedHashMap<>(refused));
        if (order.isEmpty()) {
            List<String> names = new ArrayList<>();
            mappings.forEach(m -> names.add(m.name()));
            names.addAll(refused.keySet());
            order = names;
        }
        order = List.copyOf(order);
    }

    public ReconConfig(Map<String, ConnectionConfig> connections, List<MappingConfig> mappings, String stateSchema,
            List<SchemaEntry> schemas, Map<String, String> refused) {
        this(connections, mappings, stateSchema, schemas, refused, List.of());
    }

    public ReconConfig(Map<String, ConnectionConfig> connections, List<MappingConfig> mappings, String stateSchema) {
        this(connections, mappings, stateSchema, List.of(), Map.of());
    }

    /**
     * The mapping names of shard {@code index} of {@code count} among {@code names} (every
     * mapping and refused table when empty): a stable share by a hash of each name, the same
     * on every machine and run, so COUNT workers each take theirs with no coordinator.
     */
    public List<String> shard(Collection<String> names, int index, int count) {
        return shard(names, index, count, false);
    }

    /**
     * The same; a mapping cut into key ranges ({@code split_rows}, {@code threads}, or every
     * mapping when {@code threadsForAll}) is every shard's, each taking its share of the ranges.
     */
    public List<String> shard(Collection<String> names, int index, int count, boolean threadsForAll) {
        List<String> all = new ArrayList<>();
        if (names.isEmpty()) {
            mappings.forEach(m -> all.add(m.name()));
            all.addAll(refused.keySet());
        } else {
            names.forEach(n -> select(n).stream().filter(s -> !all.contains(s)).forEach(all::add));
        }
        CRC32 crc = new CRC32();
        return all.stream().filter(n -> {
            if (threadsForAll || mapping(n).map(m -> m.writes().split()).orElse(false)) {
                return true;
            }
            crc.reset();
            crc.update(n.getBytes(StandardCharsets.UTF_8));
            return crc.getValue() % count == index;
        }).toList();
    }

    /** The names a {@code --sync NAME} selects: a mapping, or every table of a schema entry. */
    public List<String> select(String name) {
        List<String> out = new ArrayList<>();
        for (MappingConfig m : mappings) {
            if (m.name().equals(name) || name.equals(m.group())) {
                out.add(m.name());
            }
        }
        refused.keySet().stream().filter(n -> n.equals(name) || n.startsWith(name + ".")).forEach(out::add);
        return out;
    }

    public Optional<MappingConfig> mapping(String name) {
        return mappings.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public ConnectionConfig connection(String name) {
        ConnectionConfig c = connections.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no connection " + name);
        }
        return c;
    }
}
