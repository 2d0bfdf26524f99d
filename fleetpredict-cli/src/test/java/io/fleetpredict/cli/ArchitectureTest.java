package io.fleetpredict.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules the code's structure keeps, checked on the compiled main classes of every module this one
 * sees (cloud-spi, forecast, core, cloud-sim, replay, prometheus and the command line), and each shown
 * to catch a violation planted in {@code io.fleetpredict.archfixture}.
 */
class ArchitectureTest {

    /** Libraries the project uses inside and keeps out of its public signatures, so it can change them. */
    static final List<String> HIDDEN_LIBRARIES = List.of("com.fasterxml.jackson", "org.ejml", "org.apache.commons.math3");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // The other modules come as their jars or their classes directories; their test jars are left out.
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.matches(Pattern.compile(".*-tests\\.jar.*")))
                .importPackages("io.fleetpredict");
        for (String module : List.of("cloud", "forecast", "core", "cloud.sim", "replay", "prometheus", "cli")) {
            assertTrue(main.stream().anyMatch(c -> c.getPackageName().equals("io.fleetpredict." + module)),
                    "the classes of io.fleetpredict." + module + " are imported");
        }
    }

    /** No Jackson, EJML or commons-math type in a public type's public or protected signature. */
    static ArchRule publicSignaturesFreeOfHiddenLibraries() {
        return classes().that().arePublic().should(new ArchCondition<JavaClass>("expose no type of " + HIDDEN_LIBRARIES) {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Set<String> leaks = new LinkedHashSet<>();
                c.getRawSuperclass().ifPresent(s -> leaked(s, c.getName() + " extends", leaks));
                c.getRawInterfaces().forEach(i -> leaked(i, c.getName() + " implements", leaks));
                for (JavaMember m : c.getMembers()) {
                    if (!(m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED))) {
                        continue;
                    }
                    if (m instanceof JavaField f) {
                        f.getType().getAllInvolvedRawTypes().forEach(t -> leaked(t, f.getFullName(), leaks));
                    } else if (m instanceof JavaCodeUnit u) {
                        u.getReturnType().getAllInvolvedRawTypes().forEach(t -> leaked(t, u.getFullName(), leaks));
                        u.getParameterTypes().forEach(p -> p.getAllInvolvedRawTypes().forEach(t -> leaked(t, u.getFullName(), leaks)));
                        u.getThrowsClause().getTypes().forEach(t -> leaked(t, u.getFullName() + " throws", leaks));
                    }
                }
                leaks.forEach(l -> events.add(SimpleConditionEvent.violated(c, l)));
            }
        });
    }

    private static void leaked(JavaClass type, String where, Set<String> leaks) {
        for (String library : HIDDEN_LIBRARIES) {
            if (type.getName().startsWith(library + ".")) {
                leaks.add(where + " uses " + type.getName());
            }
        }
    }

    /** Every package of the project is its own slice, and no two slices depend on each other both ways. */
    static ArchRule packagesFreeOfCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    @Test
    void publicSignatures_carryNoJacksonEjmlOrCommonsMathType() {
        publicSignaturesFreeOfHiddenLibraries().check(main);
    }

    @Test
    void publicSignatureRule_catchesAPlantedJacksonTypeInsideAGeneric() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.fleetpredict.archfixture.leaky");
        String report = publicSignaturesFreeOfHiddenLibraries().evaluate(fixture).getFailureReport().toString();
        assertTrue(report.contains("LeakyApi.nodes()") && report.contains("com.fasterxml.jackson.databind.JsonNode"), report);
        assertTrue(!report.contains("hidden()"), "package-private members are not the public API: " + report);
    }

    /** Under {@code root}, only the codec's packages import the JSON library; the rest use plain values. */
    static ArchRule jacksonOnlyIn(String root, String... codecPackages) {
        return noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackages(codecPackages)
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..");
    }

    @Test
    void jackson_livesBehindCoresCodec() {
        jacksonOnlyIn("io.fleetpredict.core", "io.fleetpredict.core.document", "io.fleetpredict.core.internal").check(main);
    }

    @Test
    void jacksonRule_catchesAPlantedImportOutsideTheCodec() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.fleetpredict.archfixture");
        String report = jacksonOnlyIn("io.fleetpredict.archfixture", "io.fleetpredict.archfixture.cycle")
                .evaluate(fixture).getFailureReport().toString();
        assertTrue(report.contains("LeakyApi") && report.contains("com.fasterxml.jackson.databind.JsonNode"), report);
    }

    @Test
    void packages_haveNoCycles() {
        packagesFreeOfCycles("io.fleetpredict").check(main);
    }

    @Test
    void cycleRule_catchesAPlantedCycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.fleetpredict.archfixture.cycle");
        assertTrue(packagesFreeOfCycles("io.fleetpredict.archfixture.cycle").evaluate(fixture).hasViolation());
    }

    /**
     * The modules depend one way: the cloud interface on nothing of the project, forecasting on nothing
     * but itself, the core on those two, and no library on the command line, the replay or the simulated
     * cloud.
     */
    @Test
    void modules_dependOneWay() {
        noClasses().that().resideInAPackage("io.fleetpredict.cloud")
                .should().dependOnClassesThat().resideInAnyPackage("io.fleetpredict.forecast..", "io.fleetpredict.core..",
                        "io.fleetpredict.cloud.sim..", "io.fleetpredict.cloud.tck..")
                .check(main);
        noClasses().that().resideInAPackage("io.fleetpredict.forecast..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fleetpredict.core..", "io.fleetpredict.cloud..")
                .check(main);
        noClasses().that().resideInAPackage("io.fleetpredict.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.fleetpredict.cloud.sim..", "io.fleetpredict.replay..",
                        "io.fleetpredict.cli..", "io.fleetpredict.prometheus..")
                .check(main);
        noClasses().that().resideOutsideOfPackage("io.fleetpredict.cli..")
                .should().dependOnClassesThat().resideInAPackage("io.fleetpredict.cli..")
                .check(main);
    }
}
