package io.fleetpredict.core.build;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The build's nullness rule catches a planted violation: a project whose parent is this build's parent POM,
 * with one {@code @NullMarked} package whose method returns null, fails to compile with NullAway's error
 * on that line. The project inherits the compiler configuration as it stands, so removing or weakening the
 * rule in the parent POM makes this test fail.
 */
class NullnessRuleIT {

    @Test
    void aNullReturnedWhereNoneIsAllowed_failsTheBuild() throws Exception {
        Path target = Path.of(System.getProperty("fleetpredict.buildDirectory", "target"));
        Path project = target.resolve("nullness-fixture");
        Path sources = project.resolve("src/main/java/io/fleetpredict/fixture");
        Files.createDirectories(sources);
        // Maven takes relativePath from the project directory, so it is written relative.
        Path parentPom = Path.of(System.getProperty("fleetpredict.parentPom", "../pom.xml")).toAbsolutePath().normalize();
        Files.writeString(project.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>io.fleetpredict</groupId>
                    <artifactId>fleetpredict-parent</artifactId>
                    <version>%s</version>
                    <relativePath>%s</relativePath>
                  </parent>
                  <artifactId>nullness-fixture</artifactId>
                  <dependencies>
                    <dependency>
                      <groupId>org.jspecify</groupId>
                      <artifactId>jspecify</artifactId>
                    </dependency>
                  </dependencies>
                </project>
                """.formatted(System.getProperty("fleetpredict.version"), project.toAbsolutePath().relativize(parentPom)));
        Files.writeString(sources.resolve("package-info.java"), """
                /** A planted nullness violation. */
                @NullMarked
                package io.fleetpredict.fixture;

                import org.jspecify.annotations.NullMarked;
                """);
        Files.writeString(sources.resolve("Leaky.java"), """
                package io.fleetpredict.fixture;

                /** Returns null where the package says nothing is null. */
                public final class Leaky {
                    private Leaky() {
                    }

                    /** @return nothing, though it promises something */
                    public static String name() {
                        return null;
                    }
                }
                """);

        String mavenHome = System.getProperty("maven.home");
        String mvn = mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        String repository = System.getProperty("fleetpredict.localRepository");
        List<String> command = repository == null
                ? List.of(mvn, "-B", "-o", "-q", "compile")
                : List.of(mvn, "-B", "-o", "-q", "-Dmaven.repo.local=" + repository, "compile");
        Path log = target.resolve("nullness-fixture.log");
        // Maven finds the build's .mvn (which opens the compiler's internals to Error Prone) above the fixture.
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "the fixture's build did not finish in 10 minutes");
        String output = Files.readString(log);
        assertNotEquals(0, process.exitValue(), "the planted violation compiled:\n" + output);
        assertTrue(output.contains("Leaky.java:[10,") && output.contains("[NullAway] returning @Nullable expression"),
                "the build failed for another reason than the planted violation:\n" + output);
    }
}
