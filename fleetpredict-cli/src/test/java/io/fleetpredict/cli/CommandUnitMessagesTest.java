package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Units, and the other figures of a row, are refused from the command line in the words the document reader
 * uses: the case meant, the units the resource accepts, the column and the value.
 */
class CommandUnitMessagesTest {

    private static final String MEMORY_UNITS = "Memory accepts MB, GB, TB, MiB, GiB, TiB";

    @TempDir
    Path tmp;

    private static String predicted() {
        return CommandRun.examples().resolve("predicted-fleet-state.json").toString();
    }

    @Test
    void predict_historyFileWithAUnitInTheWrongCase_suggestsTheCaseAndListsTheUnits() throws IOException {
        Path history = CommandRun.smallHistory(tmp.resolve("h"));
        Files.move(history.resolve("web.memory.GiB.csv"), history.resolve("web.memory.gib.csv"));

        CommandRun r = CommandRun.of("predict", "--history", history.toString(), "--fleet-id", "shop",
                "--out", tmp.resolve("out").toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("web.memory.gib.csv: unknown unit \"gib\" (units are case-sensitive: did you mean"
                + " \"GiB\"?); " + MEMORY_UNITS), r::toString);
    }

    @Test
    void accuracy_unitInTheWrongCase_suggestsTheCaseAndListsTheUnits() throws IOException {
        Path file = Files.writeString(tmp.resolve("actuals.csv"), "timestamp,service,resource_type,actual,units\n"
                + "2024-11-29T18:00:00Z,checkout,Memory,360,gib\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":2: unknown unit \"gib\" (units are case-sensitive: did you mean \"GiB\"?); "
                + MEMORY_UNITS), r::toString);
    }

    @Test
    void overrideAdd_unitInTheWrongCase_suggestsTheCaseAndListsTheUnits() {
        CommandRun r = CommandRun.of("override", "add", "--overrides", tmp.resolve("o.json").toString(), "--audit",
                tmp.resolve("a.jsonl").toString(), "--id", "m", "--action", "floor", "--service", "checkout",
                "--resource", "Memory", "--quantity", "500", "--units", "gb", "--expiry", "2099-01-01",
                "--author", "me", "--reason", "r");

        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("--units gb: unknown unit \"gb\" (units are case-sensitive: did you mean \"GB\"?); "
                + MEMORY_UNITS), r::toString);
    }

    @ParameterizedTest
    @CsvSource({"-96, 0.04, provisioned \"-96\"", "96, -0.04, price_per_unit_hour \"-0.04\""})
    void accuracy_negativeProvisionedOrPrice_namesTheColumnAndValue(String provisioned, String price,
            String named) throws IOException {
        Path file = Files.writeString(tmp.resolve("actuals.csv"),
                "timestamp,service,resource_type,actual,units,provisioned,price_per_unit_hour\n"
                        + "2024-11-29T18:00:00Z,checkout,CPU,100,cores,96,0.04\n"
                        + "2024-11-29T18:00:00Z,checkout,Memory,360,GiB,384,0.005\n"
                        + "2024-11-29T18:00:00Z,fleet,CPU,420,cores," + provisioned + "," + price + "\n");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predicted(), "--actuals", file.toString());

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains(file + ":4: " + named + " must be finite and not negative"), r::toString);
    }
}
