package dev.recon.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A validated mapping file: named connections and the mappings between their tables. */
public record ReconConfig(Map<String, ConnectionConfig> connections, List<MappingConfig> mappings, String stateSchema) {
    public static final String DEFAULT_STATE_SCHEMA = "recon";

    public ReconConfig {
        connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
        mappings = List.copyOf(mappings);
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
