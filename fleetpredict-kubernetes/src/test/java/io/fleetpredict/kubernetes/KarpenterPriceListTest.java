package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.Offer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The file is read without CSV quoting, and its text cells are label values: a quoted or space-padded cell,
     * kept as it is, would match no pool requirement and its offer never be sold, so it is refused as a
     * number that cannot be read is.
     */
    @Test
    void priceList_quotedOrSpacePaddedTextCell_isNamedByLineColumnAndValue() throws IOException {
        String rest = ",2,8,12.5,0,0.107,0.038,0.05,PT90S\n";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("\"m6i.large\",\"m6i\",\"eu-west-1\"" + rest, "column instance_type: '\"m6i.large\"'");
        refused.put("m6i.large ,m6i,eu-west-1" + rest, "column instance_type: 'm6i.large '");
        refused.put("m6i.large, m6i,eu-west-1" + rest, "column family: ' m6i'");
        refused.put("m6i.large,m6i,eu-west-1 " + rest.replace(",2,", "\t,2,"), "column region: 'eu-west-1 \t'");
        refused.put("m6i.large,,eu-west-1" + rest, "column family: ''");
        refused.put("m6i large,m6i,eu-west-1" + rest, "column instance_type: 'm6i large'");
        for (Map.Entry<String, String> row : refused.entrySet()) {
            Path file = write((HEADER + "m5.large,m5,eu-west-1" + rest + row.getKey())
                    .getBytes(StandardCharsets.UTF_8));

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KarpenterCloudFactory.priceList(file), row.getKey());

            assertEquals(file + ":3: " + row.getValue() + " is not a Kubernetes label value (1 to 63 letters,"
                    + " digits, '-', '_' or '.', beginning and ending with a letter or digit); write the cell bare,"
                    + " without quotes or spaces around it", e.getMessage());
        }
    }
}
