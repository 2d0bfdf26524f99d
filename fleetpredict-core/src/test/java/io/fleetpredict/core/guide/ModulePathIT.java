package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.GuideSamples;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * README.md's module-path recipe holds: a module declared as the README's {@code module-info.java} block says,
 * holding the embedding guide's first program, compiles against the jars just packaged on the module path and
 * runs a cycle there, with no {@code --add-modules}. The library jars are automatic modules, which declare no
 * dependencies; slf4j-api and jackson-databind are explicit modules, so they are resolved only when a module
 * requires them, which is why the block names them.
 *
 * <p>Runs by failsafe after the jar is packaged. Alone, without the unit tests:
 * {@code mvn -B -o -pl fleetpredict-core verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=io.fleetpredict.core.guide.ModulePathIT}.
 */
class ModulePathIT {

    /** The jars of the first program's modules and of what they use, by file name. */
    private static final Pattern NEEDED = Pattern.compile("(fleetpredict-(forecast|cloud-spi|cloud-sim)|commons-math3"
            + "|jackson-(databind|core|annotations)|slf4j-api|jspecify)-[0-9][^/\\\\]*(?<!-tests)\\.jar");

    @Test
    void readmeModule_compilesAndRunsACycleOnTheModulePath() throws Exception {
        Path build = Path.of(System.getProperty("fleetpredict.buildDirectory", "target"));
        Path work = Files.createDirectories(build.resolve("module-path-it"));
        Path src = work.resolve("src");
        Path out = work.resolve("out");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), readmeModuleInfo());
        String program = GuideSamples.sample(EmbeddingGuideTest.SOURCES.resolve("FirstCycle.java"), "first-cycle");
        Files.writeString(src.resolve("app").resolve("FirstCycle.java"), "package app;\n\n" + program + "\n");

        String modulePath = String.join(File.pathSeparator, modulePath());
        StringWriter log = new StringWriter();
        int compiled = ToolProvider.getSystemJavaCompiler().getTask(new PrintWriter(log), null, null,
                List.of("-d", out.toString(), "--module-path", modulePath),
                null, ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8)
                        .getJavaFileObjects(src.resolve("module-info.java").toFile(),
                                src.resolve("app").resolve("FirstCycle.java").toFile())).call() ? 0 : 1;
        assertEquals(0, compiled, log.toString());

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process run = new ProcessBuilder(java.toString(), "--module-path", out + File.pathSeparator + modulePath,
                "-m", "first/app.FirstCycle").redirectErrorStream(true).start();
        String printed = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the program did not end");
        assertEquals(0, run.exitValue(), printed);
        assertTrue(printed.contains("cycle 1 at 2025-03-08T00:00:00Z (apply)"), printed);
        assertTrue(printed.contains("provisioned: 6 instances"), printed);
    }

    /** The README's {@code module-info.java} block, with the module named {@code first}. */
    static String readmeModuleInfo() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("```java\n(module [a-z.]+ \\{\n.*?\n})\n```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README.md must show a host's module-info.java in a java block");
        return block.group(1).replaceFirst("module [a-z.]+", "module first");
    }

    /** The packaged core jar and, from this test's class path, the jars it and the simulated cloud need. */
    private static List<String> modulePath() {
        List<String> path = new ArrayList<>();
        path.add(Path.of(System.getProperty("fleetpredict.coreJar")).toAbsolutePath().toString());
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) && p.endsWith(Path.of("target", "classes"))) {
                // A module of this reactor, given as its classes: its jar beside them, packaged before this runs.
                String module = p.getParent().getParent().getFileName().toString();
                p = p.getParent().resolve(module + "-" + System.getProperty("fleetpredict.version") + ".jar");
            }
            if (NEEDED.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                path.add(p.toAbsolutePath().toString());
            }
        }
        return path;
    }
}
