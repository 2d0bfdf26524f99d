package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} refuses series ids that the training and hold-out files do not share, whichever file holds them. */
class EvaluateUnpairedIdsTest {

    @TempDir
    Path tmp;

    private Path m4(String name, int from, int to) throws IOException {
        String rows = IntStream.rangeClosed(from, to).mapToObj(i -> "\"H" + i + "\",1,2,3,4,5,6,7,8")
                .collect(Collectors.joining("\n"));
        return Files.writeString(tmp.resolve(name), "\"V1\",\"V2\"\n" + rows + "\n");
    }

    private static CommandRun evaluate(Path train, Path test) {
        return CommandRun.of("evaluate", "--train", train.toString(), "--test", test.toString(), "--horizon", "2",
                "--period", "1");
    }

    @Test
    void evaluate_holdOutRowsWithoutTraining_refusedNamingTheFirstFiveAndTheCount() throws IOException {
        Path train = m4("train.csv", 1, 2);
        Path test = m4("test.csv", 1, 9);

        CommandRun r = evaluate(train, test);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("7 series of " + test + " have no row in " + train + ": H3, H4, H5, H6, H7 and 2"
                + " more"), r::toString);
    }

    @Test
    void evaluate_trainingRowWithoutHoldOut_refusedNamingIt() throws IOException {
        Path train = m4("train.csv", 1, 3);
        Path test = m4("test.csv", 1, 2);

        CommandRun r = evaluate(train, test);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().contains("series H3 of " + train + " has no row in " + test), r::toString);
    }
}
