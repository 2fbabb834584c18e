package dev.recon.cli;

/**
 * Sets slf4j-simple's levels before the first logger exists: warnings by default, info with
 * -v, debug with -vv, errors only with -q. Logs go to stderr so reports on stdout stay clean.
 */
final class Logging {
    private Logging() {
    }

    static void configure(int verbosity, boolean quiet) {
        String level = quiet ? "error" : verbosity >= 2 ? "debug" : verbosity == 1 ? "info" : "warn";
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    }
}
