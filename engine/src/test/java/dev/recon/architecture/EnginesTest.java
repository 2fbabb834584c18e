package dev.recon.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.recon.spi.Engine;
import dev.recon.spi.Engines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine seam (docs/development.md, "Adding an engine"): each engine's code lives in its
 * package under {@code dev.recon.engines}, is found by the registry ({@code ServiceLoader}), and
 * everything else speaks to it only through the SPI ({@code dev.recon.spi}) and the ports it
 * hands out ({@code Engine.feature}). Each rule names what breaks it.
 */
class EnginesTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.recon");

    /** Each engine package, and the driver packages and class-name prefixes that belong to it alone. */
    private static final Map<String, List<String>> DRIVERS = Map.of(
            "dev.recon.engines.postgres", List.of("org.postgresql"),
            "dev.recon.engines.mariadb", List.of("org.mariadb"),
            "dev.recon.engines.duckdb", List.of("org.duckdb"));
    private static final Map<String, List<String>> NAMES = Map.of(
            "dev.recon.engines.postgres", List.of("Postgres", "Pg"),
            "dev.recon.engines.mariadb", List.of("MariaDb", "MySql", "Maria"),
            "dev.recon.engines.duckdb", List.of("DuckDb"));

    @Test
    void theRegistryFindsEveryEnginePackageAndNothingElse() {
        assertThat(Engines.all().stream().map(e -> e.getClass().getPackageName()).toList())
                .containsExactlyInAnyOrderElementsOf(DRIVERS.keySet());
        assertThat(Engines.all().stream().map(Engine::id).toList()).doesNotHaveDuplicates();
    }

    @Test
    void nothingOutsideAnEnginesPackageDependsOnIt() {
        for (String engine : DRIVERS.keySet()) {
            noClasses().that().resideOutsideOfPackage(engine + "..")
                    .should().dependOnClassesThat().resideInAPackage(engine + "..")
                    .because("strategies, planner, runners, state and reports speak to an engine only through"
                            + " dev.recon.spi and the ports of Engine.feature")
                    .check(MAIN);
        }
    }

    @Test
    void noEngineDependsOnAnother() {
        for (String a : DRIVERS.keySet()) {
            for (String b : DRIVERS.keySet()) {
                if (!a.equals(b)) {
                    noClasses().that().resideInAPackage(a + "..").should().dependOnClassesThat()
                            .resideInAPackage(b + "..").check(MAIN);
                }
            }
        }
    }

    @Test
    void onlyAnEnginesPackageUsesItsDriver() {
        DRIVERS.forEach((engine, drivers) -> noClasses().that().resideOutsideOfPackage(engine + "..")
                .should().dependOnClassesThat().resideInAnyPackage(drivers.stream().map(d -> d + "..")
                        .toArray(String[]::new))
                .because("a driver's API is its engine's business")
                .check(MAIN));
    }

    @Test
    void classesNamedForAnEngineLiveInItsPackage() {
        NAMES.forEach((engine, prefixes) -> {
            List<String> misplaced = MAIN.stream()
                    .filter(c -> prefixes.stream().anyMatch(p -> c.getSimpleName().startsWith(p)))
                    .filter(c -> !c.getPackageName().startsWith(engine))
                    .map(JavaClass::getName).toList();
            assertThat(misplaced).as("classes named for %s outside it", engine).isEmpty();
        });
    }

    @Test
    void theSpiHoldsInterfacesAndTheRegistryOnly() {
        List<String> concrete = MAIN.stream().filter(c -> c.getPackageName().equals("dev.recon.spi"))
                .filter(c -> !c.isInterface() && !c.getSimpleName().equals("Engines"))
                .filter(c -> !c.getName().contains("$"))
                .map(JavaClass::getName).toList();
        assertThat(concrete).isEmpty();
        noClasses().that().resideInAPackage("dev.recon.spi").should().dependOnClassesThat()
                .resideInAPackage("dev.recon.engines..").check(MAIN);
    }

    @Test
    void noSourceOutsideTheEnginesNamesAnEngineThatIsNotTheCanonicalOne() throws IOException {
        // the canonical text recon compares is PostgreSQL's (docs/configuration.md), so the shared code may name it;
        // any other engine named outside its package is an engine check or a message that should use Engine.label()
        Path main = Path.of("src/main/java/dev/recon");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> naming = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !main.relativize(f).startsWith("engines"))
                    .filter(f -> {
                        try {
                            return Files.readString(f).toLowerCase(Locale.ROOT)
                                    .matches("(?s).*(mariadb|mysql|duckdb).*");
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .map(f -> main.relativize(f).toString()).toList();
            assertThat(naming).isEmpty();
        }
    }
}
