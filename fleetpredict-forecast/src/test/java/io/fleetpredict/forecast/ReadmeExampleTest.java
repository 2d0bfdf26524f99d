package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first forecast: a whole program, imports included, quoted verbatim and run here. */
class ReadmeExampleTest {

    @Test
    void firstForecast_runsAndPrintsTheNextHour() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            FirstForecast.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        Matcher next = Pattern.compile("next hour: (\\d+), 90th percentile (\\d+)").matcher(printed);
        assertTrue(printed.startsWith("ETS(") && next.find(), printed);
        // The series at hour 336 (a whole number of days in) is 1000 + 400 sin(0) + 336 % 7 = 1000.
        assertEquals(1000, Long.parseLong(next.group(1)), 30);
        assertTrue(Long.parseLong(next.group(2)) > Long.parseLong(next.group(1)), printed);
    }

    @Test
    void firstForecast_isQuotedWholeInTheReadme() throws IOException {
        String program = GuideSamples.assertQuoted(Path.of("src/test/java/io/fleetpredict/forecast/FirstForecast.java"),
                "first-forecast", Path.of("..", "README.md"));
        assertTrue(program.startsWith("import "), program);
    }
}
