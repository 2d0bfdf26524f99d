package io.fleetpredict.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/** Classic monthly series from R's datasets package (R 4.2.2), and seeded synthetic series. */
final class Datasets {

    private Datasets() {
    }

    /** {@code datasets::USAccDeaths}: monthly accidental deaths in the USA, 1973-1978. */
    static final double[] US_ACC_DEATHS = {
        9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927,
        7750, 6981, 8038, 8422, 8714, 9512, 10120, 9823, 8743, 9129, 8710, 8680,
        8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466, 8160, 8034,
        7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874, 8647,
        7792, 6957, 7726, 8106, 8890, 9299, 10625, 9302, 8314, 8850, 8265, 8796,
        7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110, 9070, 8633, 9240,
    };

    /** {@code datasets::AirPassengers}: monthly airline passengers in thousands, 1949-1960. */
    static final double[] AIR_PASSENGERS = {
        112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118, 115, 126, 141, 135, 125, 149, 170, 170,
        158, 133, 114, 140, 145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166, 171, 180, 193, 181,
        183, 218, 230, 242, 209, 191, 172, 194, 196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
        204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229, 242, 233, 267, 269, 270, 315, 364, 347,
        312, 274, 237, 278, 284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306, 315, 301, 356, 348,
        355, 422, 465, 467, 404, 347, 305, 336, 340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
        360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405, 417, 391, 419, 461, 472, 535, 622, 606,
        508, 461, 390, 432,
    };

    /** {@code datasets::co2}: Mauna Loa CO2 in ppm, monthly 1959-1997 (see SOURCE.md). */
    static double[] co2() {
        try (InputStream in = Datasets.class.getResourceAsStream("co2.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TimeSeries monthly(double[] values) {
        return TimeSeries.of(Instant.parse("2000-01-01T00:00:00Z"), Duration.ofDays(30), values);
    }

    /**
     * A positive seeded series: level, trend, a sine season of the period plus noise.
     */
    static TimeSeries synthetic(long seed, int n, int period) {
        Random r = new Random(seed);
        double level = 100 + 50 * r.nextDouble();
        double trend = (r.nextDouble() - 0.5) * 0.1;
        double amplitude = 5 + 20 * r.nextDouble();
        double noise = 1 + 5 * r.nextDouble();
        double phase = r.nextDouble() * 2 * Math.PI;
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = level + trend * t + amplitude * Math.sin(2 * Math.PI * t / period + phase) + noise * r.nextGaussian();
        }
        return TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(5), v);
    }
}
