package io.fleetpredict.forecast;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/** The co2 series from R's datasets package (R 4.2.2), and seeded synthetic series; see {@link RDatasets} for the rest. */
final class Datasets {

    private Datasets() {
    }

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
