package dev.recon.config;

import java.util.Locale;

/** The three kinds of change a sync applies. */
public enum Operation {
    INSERT, UPDATE, DELETE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
