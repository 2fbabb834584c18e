package dev.recon.config;

import dev.recon.base.ReconException;
import java.util.List;

/** The mapping file is unreadable or invalid; every problem found is listed. */
public final class ConfigException extends ReconException {
    public ConfigException(String message, List<String> problems) {
        super(message, problems, null);
    }
}
