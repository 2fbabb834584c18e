package dev.recon.config;

import java.util.Locale;

/** How a mapping is compared; see docs/strategies.md. */
public enum Strategy {
    AUTO, JOIN, MERGE, HASH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
