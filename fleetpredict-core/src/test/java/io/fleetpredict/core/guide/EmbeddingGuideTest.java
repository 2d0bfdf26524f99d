package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.forecast.GuideSamples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The programs of docs/guides/embedding.md: quoted whole, under their line budget, and they run; the builder
 * calls its tables name are the builder's.
 */
class EmbeddingGuideTest {

    static final Path GUIDE = Path.of("..", "docs", "guides", "embedding.md");
    static final Path SOURCES = Path.of("src", "test", "java", "io", "fleetpredict", "core", "guide");

    static String run(Runnable main) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        out.print(printed);
        return printed;
    }

    @Test
    void firstCycle_quotedWholeAndUnderThirtyLines() throws Exception {
        String program = GuideSamples.assertQuoted(SOURCES.resolve("FirstCycle.java"), "first-cycle", GUIDE);
        long lines = program.lines().count();
        assertTrue(lines < 30, "the first program has " + lines + " lines");
        assertTrue(program.startsWith("import "), program);
    }

    @Test
    void firstCycle_runsAWholeCycleAndLaunchesCapacity() {
        String printed = run(() -> FirstCycle.main(new String[0]));
        assertTrue(printed.startsWith("cycle 1 at 2025-03-08T00:00:00Z (apply)"), printed);
        assertTrue(printed.contains("predicted:   short_term CPU up to"), printed);
        assertTrue(printed.matches("(?s).*provisioned: [1-9][0-9]* instances \\(checkout .*"), printed);
    }

    @Test
    void everyProgram_quotedWhole() throws Exception {
        for (String[] p : new String[][] {{"WholeLoop.java", "whole-loop"}, {"CustomSteps.java", "custom-steps"}}) {
            String program = GuideSamples.assertQuoted(SOURCES.resolve(p[0]), p[1], GUIDE);
            assertTrue(program.startsWith("import "), program);
        }
    }

    @Test
    void wholeLoop_runsADayOfCyclesAndReports() throws Exception {
        String printed = run(() -> {
            try {
                WholeLoop.main(new String[0]);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(printed.startsWith("cycle 1 at 2025-03-07T00:30:00Z (apply)"), printed);
        assertTrue(printed.contains("cycle 37 at 2025-03-07T18:30:00Z (apply)"), printed);
        assertTrue(printed.contains("feedback:    checkout CPU short_term: MAPE"), printed);
        assertTrue(printed.contains("medium_term CPU up to"), printed);
    }

    /**
     * Each builder call the guide's tables name ({@code mapping(MetricMapping)}, {@code thresholds(perHour,
     * perCycle)}) is a public method of {@code FleetPredictor.Builder} with that many parameters, of the types
     * named where the guide names a type.
     */
    @Test
    void builderCallsInTheTables_areTheBuildersMethods() throws IOException {
        Pattern call = Pattern.compile("`([a-z][A-Za-z]*)\\(([^`]*)\\)`");
        List<String> wrong = new ArrayList<>();
        int calls = 0;
        for (String line : Files.readAllLines(GUIDE)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher m = call.matcher(line.substring(2, line.indexOf(" |", 2)));
            while (m.find()) {
                calls++;
                String name = m.group(1);
                List<String> params = m.group(2).equals("...") ? null
                        : Stream.of(m.group(2).split(",")).map(String::strip).map(p -> p.replaceAll("<.*", "")).toList();
                boolean found = Stream.of(FleetPredictor.Builder.class.getMethods()).anyMatch(method ->
                        method.getName().equals(name) && (params == null || matches(method, params)));
                if (!found) {
                    wrong.add(m.group());
                }
            }
        }
        assertTrue(calls >= 20, "builder calls found: " + calls);
        assertEquals(List.of(), wrong, "not methods of FleetPredictor.Builder");
    }

    private static boolean matches(Method method, List<String> params) {
        Class<?>[] types = method.getParameterTypes();
        if (types.length != params.size()) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            String p = params.get(i);
            if (Character.isUpperCase(p.charAt(0)) && !types[i].getSimpleName().equals(p)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void customSteps_launchesForTheAdaptedForecast() {
        String printed = run(() -> CustomSteps.main(new String[0]));
        assertTrue(printed.matches("(?s).* x [a-z]+\\.[a-z0-9]+ in [a-z-]+, [0-9.]+ per hour, ids \\[.*"), printed);
    }
}
