package dev.recon.base;

import java.util.Locale;

/** Which table of a mapping: the source it reads from, or the target it keeps equal. */
public enum Side {
    SOURCE, TARGET;

    /** {@code source} or {@code target}, as messages say it. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
