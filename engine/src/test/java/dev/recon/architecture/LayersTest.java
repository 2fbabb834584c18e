package dev.recon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's layers, lowest first (docs/development.md draws them): a package may use the
 * ones below it, never one above, and no strategy family uses another.
 */
class LayersTest {
    /** Lowest first; the packages of one row do not depend on each other's row either way. */
    static final List<String[]> LAYERS = List.of(
            new String[] {"dev.recon.base..", "dev.recon.sql.."},
            new String[] {"dev.recon.db.."},
            new String[] {"dev.recon.spi.."},
            new String[] {"dev.recon.config.."},
            new String[] {"dev.recon.connect.."},
            new String[] {"dev.recon.catalog.."},
            new String[] {"dev.recon.plan.."},
            new String[] {"dev.recon.result.."},
            new String[] {"dev.recon.diff.."},
            new String[] {"dev.recon.apply.."},
            new String[] {"dev.recon.state.."},
            new String[] {"dev.recon.run.."},
            new String[] {"dev.recon.report..", "dev.recon.metrics..", "dev.recon.init.."},
            new String[] {"dev.recon"},
            new String[] {"dev.recon.engines.postgres..", "dev.recon.engines.mariadb..", "dev.recon.engines.duckdb.."});

    static final List<String> STRATEGIES = List.of("join", "merge", "hash", "load");

    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.recon");

    @Test
    void noPackageUsesOneAboveIt() {
        List<String> violations = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            List<String> above = new ArrayList<>();
            LAYERS.subList(i + 1, LAYERS.size()).forEach(row -> above.addAll(Arrays.asList(row)));
            EvaluationResult result = noClasses().that().resideInAnyPackage(LAYERS.get(i))
                    .should().dependOnClassesThat().resideInAnyPackage(above.toArray(String[]::new))
                    .because("a layer uses only the layers below it")
                    .evaluate(ENGINE);
            violations.addAll(result.getFailureReport().getDetails());
        }
        assertThat(violations).as("dependencies on a higher layer").isEmpty();
    }

    @Test
    void thePackagesOfOneRowAreIndependentOfEachOther() {
        for (String[] row : LAYERS) {
            for (String a : row) {
                for (String b : row) {
                    if (!a.equals(b)) {
                        noClasses().that().resideInAPackage(a).should().dependOnClassesThat().resideInAPackage(b)
                                .check(ENGINE);
                    }
                }
            }
        }
    }

    @Test
    void everyClassOfTheEngineLiesInALayer() {
        String[] all = LAYERS.stream().flatMap(Arrays::stream).toArray(String[]::new);
        // a new package must take its place in LAYERS (and docs/development.md), or nothing constrains it
        assertThat(ENGINE.stream().filter(c -> !c.getPackageName().isEmpty())
                .filter(c -> Arrays.stream(all).noneMatch(p -> c.getPackageName().equals(p.replace("..", ""))
                        || p.endsWith("..") && c.getPackageName().startsWith(p.replace("..", "") + ".")))
                .map(c -> c.getName()).toList()).isEmpty();
    }

    @Test
    void noStrategyUsesAnotherAndWhatTheyShareUsesNone() {
        for (String strategy : STRATEGIES) {
            String[] others = STRATEGIES.stream().filter(s -> !s.equals(strategy)).map(s -> "dev.recon.diff." + s + "..")
                    .toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.recon.diff." + strategy + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("each strategy family keeps to its own package and what they share in dev.recon.diff")
                    .check(ENGINE);
        }
        noClasses().that().resideInAPackage("dev.recon.diff")
                .should().dependOnClassesThat().resideInAnyPackage(STRATEGIES.stream()
                        .map(s -> "dev.recon.diff." + s + "..").toArray(String[]::new))
                .check(ENGINE);
    }
}
