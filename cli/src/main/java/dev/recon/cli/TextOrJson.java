package dev.recon.cli;

/** The output of the commands that print for a person or for a machine ({@code history}, {@code bench}). */
enum TextOrJson { TEXT, JSON }
