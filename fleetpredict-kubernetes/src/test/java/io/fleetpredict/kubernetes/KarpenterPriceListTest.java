package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.Offer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The price list as spreadsheet programs write it, and its cells named when they cannot be read. */
class KarpenterPriceListTest {

    private static final String HEADER = "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
            + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n";

    @TempDir
    Path dir;

    private Path write(byte[] bytes) throws IOException {
        Path file = dir.resolve("prices.csv");
        Files.write(file, bytes);
        return file;
    }

    @Test
    void priceList_withAUtf8ByteOrderMark_isRead() throws IOException {
        byte[] text = (HEADER + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] bom = new byte[text.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, bom, 3, text.length);

        List<Offer> offers = KarpenterCloudFactory.priceList(write(bom));

        assertEquals(1, offers.size());
        assertEquals("m6i.large", offers.get(0).instanceType());
        assertEquals(Duration.ofSeconds(90), offers.get(0).bootTime());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,90s | column boot_time: '90s' is not an ISO-8601 duration such as PT90S",
        "m6i.large,m6i,eu-west-1,two,8,12.5,0,0.107,0.038,0.05,PT90S | column cpu_cores: 'two' is not a whole number",
        "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,cheap,0.05,PT90S | column spot_per_hour: 'cheap' is not a number"})
    void priceList_cellThatCannotBeRead_isNamedByLineColumnAndValue(String row, String expected) throws IOException {
        Path file = write((HEADER + row + "\n").getBytes(StandardCharsets.UTF_8));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(file));

        assertEquals(file + ":2: " + expected, e.getMessage());
    }
}
