package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class M4DataTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void read_quotedPaddedRows_pairsTrainAndTestById() throws IOException {
        Path train = write("train.csv", "\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",\"1\",\"2.5\",\"3\"\n\"H2\",\"10\",\"20\",,\n");
        Path test = write("test.csv", "\"V1\",\"V2\",\"V3\"\n\"H2\",\"30\",\"40\"\n\"H1\",\"4\",\"5\"\n");
        List<M4Series> s = M4Data.read(train, test);
        assertEquals(2, s.size());
        assertEquals("H1", s.get(0).id());
        assertArrayEquals(new double[] {1, 2.5, 3}, s.get(0).train().values(), 0);
        assertArrayEquals(new double[] {4, 5}, s.get(0).test().values(), 0);
        assertArrayEquals(new double[] {10, 20}, s.get(1).train().values(), 0);
        assertArrayEquals(new double[] {30, 40}, s.get(1).test().values(), 0);
        assertEquals(s.get(1).train().end(), s.get(1).test().start());
    }

    @Test
    void read_badNumber_namesFileLineAndColumn() throws IOException {
        Path train = write("train.csv", "\"V1\",\"V2\",\"V3\"\n\"H1\",\"1\",\"x\"\n");
        Path test = write("test.csv", "\"V1\",\"V2\"\n\"H1\",\"4\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> M4Data.read(train, test));
        assertTrue(e.getMessage().contains("train.csv:2: column 3: value 'x' is not a number"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12d", "0x1p3", "NaN", "Infinity", "1_000"})
    void read_javaOnlyNumberSyntax_isNotANumber(String cell) throws IOException {
        // Double.parseDouble reads the first four; no CSV writer means them as numbers.
        Path train = write("train.csv", "\"V1\",\"V2\",\"V3\"\n\"H1\",\"1\",\"" + cell + "\"\n");
        Path test = write("test.csv", "\"V1\",\"V2\"\n\"H1\",\"4\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> M4Data.read(train, test));
        assertTrue(e.getMessage().contains("train.csv:2: column 3: value '" + cell + "' is not a number"), e.getMessage());
    }

    @Test
    void read_missingTestRow_isAnError() throws IOException {
        Path train = write("train.csv", "\"V1\",\"V2\"\n\"H1\",\"1\"\n\"H2\",\"1\"\n");
        Path test = write("test.csv", "\"V1\",\"V2\"\n\"H1\",\"4\"\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> M4Data.read(train, test));
        assertTrue(e.getMessage().contains("H2"), e.getMessage());
    }

    @Test
    void read_valueAfterGap_isAnError() throws IOException {
        Path train = write("train.csv", "\"V1\",\"V2\",\"V3\",\"V4\"\n\"H1\",\"1\",,\"3\"\n");
        Path test = write("test.csv", "\"V1\",\"V2\"\n\"H1\",\"4\"\n");
        assertThrows(IllegalArgumentException.class, () -> M4Data.read(train, test));
    }
}
