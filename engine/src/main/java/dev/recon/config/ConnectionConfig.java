package dev.recon.config;

import dev.recon.spi.Engine;
import dev.recon.spi.Engines;
import java.util.Map;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * One named database connection. The password never appears in {@link #toString()}.
 * {@code timeZone}: the zone its values without one are in (a {@code DATETIME} of an engine
 * without zones), for comparing them with values that have one ({@code time_zone}).
 * {@code zeroDatesAsNull}: the zero dates of an engine that has them ({@code Engine.hasZeroDates}) ({@code 0000-00-00}, and
 * dates with a zero month or day) are read as NULL; otherwise reading one is an error.
 */
public record ConnectionConfig(String name, String url, String user, String password, Map<String, String> properties,
        boolean zeroDatesAsNull, Optional<ZoneId> timeZone, java.time.Duration stallTimeout) {
    /** How long a server may send nothing on a connection before recon gives up on it ({@code stall_timeout}). */
    public static final java.time.Duration DEFAULT_STALL_TIMEOUT = java.time.Duration.ofMinutes(15);

    public ConnectionConfig(String name, String url, String user, String password, Map<String, String> properties) {
        this(name, url, user, password, properties, false, Optional.empty(), DEFAULT_STALL_TIMEOUT);
    }

    public ConnectionConfig(String name, String url, String user, String password, Map<String, String> properties,
            boolean zeroDatesAsNull, Optional<ZoneId> timeZone) {
        this(name, url, user, password, properties, zeroDatesAsNull, timeZone, DEFAULT_STALL_TIMEOUT);
    }

    public ConnectionConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        properties = Map.copyOf(properties);
    }

    /** The engine its URL names. */
    public Engine engine() {
        return Engines.of(url);
    }

    /** The URL with any password-like parameter masked, fit for logs and error messages. */
    public String redactedUrl() {
        return Redaction.redactUrl(url);
    }

    /** True when both connections reach the same database as the same user, so one query can see both tables. */
    public boolean sameDatabaseAs(ConnectionConfig other) {
        return url.equals(other.url) && Objects.equals(user, other.user) && properties.equals(other.properties);
    }

    @Override
    public String toString() {
        return "ConnectionConfig[name=" + name + ", url=" + redactedUrl() + ", user=" + user + "]";
    }
}
