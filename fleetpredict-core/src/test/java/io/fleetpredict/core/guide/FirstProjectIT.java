package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A new Maven project made only of the text of docs/guides/embedding.md (its {@code pom.xml}, which imports
 * the BOM, and its first program), built and run by the command the guide gives, as a new user would.
 *
 * <p>Runs by failsafe after the jar is packaged. The nested Maven gets a private local repository under
 * {@code target/}: fleetpredict's artifacts are written into it from this reactor (the poms from the source
 * tree, the jars just built), and everything else (third-party jars, plugins) is read from the build's own
 * local repository, declared as a read-only file repository, or downloaded as a user's build would. Nothing
 * is installed in the build's local repository.
 */
class FirstProjectIT {

    static final Path GUIDE = Path.of("..", "docs", "guides", "embedding.md");
    /** The command the guide tells the reader to run. */
    static final String COMMAND = "mvn -q compile exec:java";
    static final List<String> ARTIFACTS = List.of("cloud-spi", "forecast", "core", "cloud-sim");

    @Test
    void guideProject_importsTheBomBuildsAndRunsAWholeCycle() throws Exception {
        String guide = Files.readString(GUIDE);
        assertTrue(guide.contains(COMMAND), "the guide must say how to run the program: " + COMMAND);
        Map<String, String> files = filesOf(guide);
        assertTrue(files.containsKey("pom.xml") && files.containsKey("src/main/java/FirstCycle.java"),
                "the guide must give pom.xml and src/main/java/FirstCycle.java, gave " + files.keySet());
        String version = System.getProperty("fleetpredict.version");
        assertTrue(files.get("pom.xml").contains("<artifactId>fleetpredict-bom</artifactId>\n        <version>"
                + version + "</version>"), "the guide's pom.xml must import the BOM at " + version);

        Path target = Path.of("target").toAbsolutePath();
        Path project = target.resolve("first-project");
        delete(project);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = project.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        Path repository = target.resolve("first-project-repository");
        publish(repository, version);
        Path settings = target.resolve("first-project-settings.xml");
        Files.writeString(settings, settings(Path.of(System.getProperty("fleetpredict.localRepository"))));

        List<String> command = new ArrayList<>();
        // The Maven running this build (maven.home, set by the pom), or the one on the PATH from an IDE.
        String mavenHome = System.getProperty("maven.home");
        command.add(mavenHome == null || mavenHome.isBlank() ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString());
        command.addAll(List.of("-B", "-s", settings.toString(), "-Dmaven.repo.local=" + repository));
        command.addAll(List.of(COMMAND.substring("mvn ".length()).split(" ")));
        Path log = target.resolve("first-project.log");
        Process process = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = process.waitFor(10, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertTrue(done, "the guide's project did not finish in 10 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "the guide's project failed:\n" + output);
        assertTrue(output.contains("cycle 1 at 2025-03-08T00:00:00Z (apply)"), output);
        assertTrue(output.matches("(?s).*provisioned: [1-9][0-9]* instances \\(checkout .*"), output);
        // What the guide says the program prints, it prints, line for line.
        for (String line : printedBlock(guide).lines().toList()) {
            assertTrue(output.contains(line + "\n"), () -> "the program did not print the guide's line: " + line
                    + "\n" + output);
        }
    }

    /** The fenced block after the guide's "It prints:". */
    static String printedBlock(String guide) {
        int at = guide.indexOf("It prints:");
        assertTrue(at >= 0, "the guide must show what the program prints after \"It prints:\"");
        int open = guide.indexOf("```\n", at) + 4;
        return guide.substring(open, guide.indexOf("```", open));
    }

    /** Each fenced block whose text before it ends with a file name in backticks and a colon. */
    static Map<String, String> filesOf(String markdown) {
        Map<String, String> files = new LinkedHashMap<>();
        List<String> lines = markdown.lines().toList();
        String before = "";
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                before = lines.get(i).isBlank() ? before : lines.get(i).strip();
                continue;
            }
            if (before.endsWith("`:") && before.lastIndexOf('`', before.length() - 3) >= 0) {
                String name = before.substring(before.lastIndexOf('`', before.length() - 3) + 1, before.length() - 2);
                StringBuilder text = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    text.append(lines.get(i)).append('\n');
                }
                files.put(name, text.toString());
            } else {
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    // another block: skipped whole
                }
            }
            before = "";
        }
        return files;
    }

    /** Writes fleetpredict's poms and jars into a local repository, as an install would. */
    static void publish(Path repository, String version) throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        copy(root.resolve("pom.xml"), repository, "parent", version, "pom");
        copy(root.resolve("fleetpredict-bom/pom.xml"), repository, "bom", version, "pom");
        for (String a : ARTIFACTS) {
            copy(root.resolve("fleetpredict-" + a).resolve("pom.xml"), repository, a, version, "pom");
            copy(jar(a, version), repository, a, version, "jar");
        }
    }

    /** The artifact's jar as this build sees it: this module's own, the others' from the test class path. */
    static Path jar(String artifact, String version) {
        if (artifact.equals("core")) {
            return Path.of(System.getProperty("fleetpredict.coreJar"));
        }
        String name = "fleetpredict-" + artifact + "-" + version + ".jar";
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not on the test class path"));
    }

    static void copy(Path from, Path repository, String artifact, String version, String extension)
            throws IOException {
        Path dir = repository.resolve("io/fleetpredict/fleetpredict-" + artifact + "/" + version);
        Files.createDirectories(dir);
        Files.copy(from, dir.resolve("fleetpredict-" + artifact + "-" + version + "." + extension),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Settings that read releases from the build's own local repository before the remote ones. */
    static String settings(Path buildRepository) {
        String repository = """
                <id>build-repository</id><url>%s</url>
                <releases><enabled>true</enabled></releases><snapshots><enabled>false</enabled></snapshots>"""
                .formatted(buildRepository.toAbsolutePath().toUri());
        return """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-repository</id>
                      <repositories><repository>%s</repository></repositories>
                      <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(repository, repository);
    }

    static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
