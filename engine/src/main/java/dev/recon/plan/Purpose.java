package dev.recon.plan;

/** What a plan is for: reading only (diff, validate) or writing back (sync), which checks more. */
public enum Purpose {
    DIFF, SYNC
}
