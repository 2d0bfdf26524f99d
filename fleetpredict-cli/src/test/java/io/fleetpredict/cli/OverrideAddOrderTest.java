package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code override add} says what an action does not take before what another option would need with it. */
class OverrideAddOrderTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--action scale --factor 2 --quantity 3                                 | --quantity: not allowed for a scale override",
        "--action scale --factor 2 --quantity 3 --units cores --resource CPU    | --quantity: not allowed for a scale override",
        "--action disable --units cores                                         | --units: not allowed for a disable override",
        "--action disable --factor 2                                            | --factor: only allowed for a scale override",
        "--action floor --factor 2                                              | --factor: only allowed for a scale override"})
    void add_optionTheActionDoesNotTake_refusedFirstAndWhateverElseIsGiven(String options, String expected) {
        List<String> args = new ArrayList<>(List.of("override", "add", "--overrides", tmp.resolve("o.json").toString(),
                "--audit", tmp.resolve("a.jsonl").toString(), "--id", "x", "--expiry", "2099-01-01", "--author", "me",
                "--reason", "r"));
        args.addAll(List.of(options.strip().split("\\s+")));

        CommandRun r = CommandRun.of(args.toArray(String[]::new));

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict override add: " + expected + "\n")
                || r.err().startsWith("fleetpredict override add: " + expected + System.lineSeparator()), r::toString);
    }
}
