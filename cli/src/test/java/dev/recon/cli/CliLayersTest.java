package dev.recon.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The command line uses the engine only through its API: the {@code Recon} entry point and its
 * requests, the configuration, the results and their reports (docs/development.md). Planning,
 * strategies, runners, the state schema and the engines are the engine's business.
 */
class CliLayersTest {
    private static final JavaClasses CLI = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.recon.cli");

    /** The engine's packages the command line must not use. */
    static final String[] INTERNALS = {"dev.recon.spi..", "dev.recon.engines..", "dev.recon.db..",
        "dev.recon.connect..", "dev.recon.catalog..", "dev.recon.sql..", "dev.recon.plan..", "dev.recon.diff..",
        "dev.recon.apply..", "dev.recon.run..", "dev.recon.state.."};

    @Test
    void theCommandsUseOnlyTheEnginesApi() {
        noClasses().that().resideInAPackage("dev.recon.cli..")
                .should().dependOnClassesThat().resideInAnyPackage(INTERNALS)
                .because("the CLI speaks to the engine through Recon, its requests, config, results and reports")
                .check(CLI);
    }

    @Test
    void onlyTheBenchUsesADriversApi() {
        // bench seeds its tables and times its floors with the drivers' bulk APIs (COPY, LOAD DATA): what it
        // measures recon against; the commands reach a database only through Recon
        noClasses().that().resideInAPackage("dev.recon.cli")
                .should().dependOnClassesThat().resideInAnyPackage("org.postgresql..", "org.mariadb..")
                .check(CLI);
    }
}
