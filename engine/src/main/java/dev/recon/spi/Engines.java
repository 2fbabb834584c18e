package dev.recon.spi;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registry: every {@link Engine} on the class path, as {@code META-INF/services/dev.recon.spi.Engine}
 * lists them (one line an engine), chosen by URL.
 */
public final class Engines {
    private static final List<Engine> ALL = ServiceLoader.load(Engine.class, Engines.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).toList();

    private Engines() {
    }

    /** Every engine recon has, in the order the registry lists them. */
    public static List<Engine> all() {
        return ALL;
    }

    /** The engine whose driver serves {@code url}, if any. */
    public static Optional<Engine> find(String url) {
        return ALL.stream().filter(e -> e.handles(url)).findFirst();
    }

    /** The engine of {@code url}; the first registered one (PostgreSQL) when none names it. */
    public static Engine of(String url) {
        return find(url).orElse(ALL.get(0));
    }

    /** The engines' labels, for messages, separated by commas. */
    public static String labels() {
        return ALL.stream().map(Engine::label).collect(Collectors.joining(", "));
    }
}
