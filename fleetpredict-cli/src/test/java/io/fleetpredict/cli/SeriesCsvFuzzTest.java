package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fleetpredict.core.TextMutations;
import io.fleetpredict.forecast.GapPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CSV reader gives a series of finite values or an InvalidInputException naming the file, nothing
 * else (no NumberFormatException, ArithmeticException, DateTimeException or OutOfMemoryError), whether it reads
 * zone-less timestamps as UTC or in a zone whose clocks change.
 *
 * <p>{@code @FuzzTest} runs the inputs under {@code src/test/resources/.../SeriesCsvFuzzTestInputs} in a
 * normal build; {@code JAZZER_FUZZ=1 mvn -pl fleetpredict-cli -am test -Dtest=SeriesCsvFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false} fuzzes for real, for the test's {@code maxDuration}.
 */
class SeriesCsvFuzzTest {

    private static final List<String> TOKENS = List.of(",", "\n", "\"", "#", "NaN", "Infinity", "-1", "1e999", "0x1p4",
            "20.5d", "\uFEFF", "value", "timestamp", "2024-01-01T00:00:00Z", "2024-01-01 00:30:00", "2024-01-01",
            "+1000000000-01-01T00:00:00Z", "0001-01-01T00:00:00.000000001Z", "9999-12-31T23:59:59Z", "\r", " ",
            "\u00e9", "1,2,3", "", "2024-03-10 02:30:00", "2024-11-03 01:30:00", "2024-11-03 01:00", "2024-03-10");

    @FuzzTest(maxDuration = "60s")
    void read_fuzzedBytes_seriesOrInvalidInput(byte[] input) throws IOException {
        check(input);
    }

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void read_mutatedCsv_seriesOrInvalidInput(long seed) throws IOException {
        check(mutated(seed).getBytes(StandardCharsets.UTF_8));
    }

    /** Guards against a vacuous property: the mutations must be accepted sometimes and refused sometimes. */
    @Test
    void mutations_includeAcceptedAndRefusedFiles() throws IOException {
        int accepted = 0;
        for (long seed = 0; seed < 300; seed++) {
            accepted += check(mutated(seed).getBytes(StandardCharsets.UTF_8)) ? 1 : 0;
        }
        assertTrue(accepted > 5 && accepted < 295, "accepted " + accepted + " of 300");
    }

    /** Whether the input is read as UTC; read in New York time too, where it must hold the same property. */
    private static boolean check(byte[] input) throws IOException {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.write(file, input);
            read(file, NEW_YORK);
            return read(file, ZoneOffset.UTC);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static boolean read(Path file, ZoneId zone) {
        try {
            SeriesCsv.Input read = SeriesCsv.readInput(file, GapPolicy.LINEAR, zone);
            for (double v : read.series().values()) {
                assertTrue(Double.isFinite(v), "a non-finite value was accepted");
            }
            return true;
        } catch (InvalidInputException e) {
            assertTrue(e.getMessage().startsWith(file.toString()), e::getMessage);
            return false;
        }
    }

    static String mutated(long seed) {
        String valid = seed % 2 == 0
                ? "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T01:00:00Z,2.5\n2024-01-01T03:00:00Z,4\n"
                : "value\n1\n2\n3\n4\n";
        return TextMutations.mutate(valid, TOKENS, seed);
    }
}
