package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Outliers against R's {@code forecast::tsoutliers} and the super smoother against {@code stats::supsmu}
 * (R 4.2.2, forecast 8.20; the tables and the calls that wrote them are in {@code reference/outliers-*.csv},
 * from make-references.R).
 *
 * <p>The outliers found are R's on every series. Replacements agree to 1e-9 where R interpolates linearly
 * (no season); on seasonal series they come from a robust STL, whose robustness weights use the exact
 * median of the remainders where R's partial sort can take a neighbouring order statistic (see
 * {@link StlTest}), so they agree to 1% there.
 */
class OutliersTest {

    static Stream<Arguments> references() {
        return Stream.of(
                Arguments.of("randomwalk", new int[0]),
                Arguments.of("nile", new int[0]),
                Arguments.of("lynx", new int[0]),
                Arguments.of("glitch", new int[0]),
                Arguments.of("short", new int[0]),
                Arguments.of("airpassengers", new int[] {12}),
                Arguments.of("airpassengers-pushed", new int[] {12}),
                Arguments.of("co2", new int[] {12}),
                Arguments.of("hourly", new int[] {24, 168}));
    }

    private static List<Integer> flagged(RReference ref) {
        double[] flag = ref.column("outlier");
        return IntStream.range(0, flag.length).filter(i -> flag[i] == 1).boxed().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void superSmoother_isRsSupsmu(String name, int[] periods) {
        RReference ref = RReference.load("outliers-" + name + ".csv");
        double[] r = ref.column("supsmu");
        double[] x = ref.column("x");
        double[] ours = SuperSmoother.smooth(x);
        // The running sums are updated as the window slides, so rounding is relative to the largest value.
        double scale = Math.max(1, Arrays.stream(x).map(Math::abs).max().orElseThrow());
        for (int t = 0; t < r.length; t++) {
            assertEquals(r[t], ours[t], 1e-9 * scale, name + " at " + t);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void find_isRsTsoutliers(String name, int[] periods) {
        RReference ref = RReference.load("outliers-" + name + ".csv");
        List<Outlier> found = Outliers.find(TimeSeries.ofValues(ref.column("x")), periods);

        assertEquals(flagged(ref), found.stream().map(Outlier::index).toList(), name);
        double[] replacement = ref.column("replacement");
        double tolerance = periods.length == 0 ? 1e-9 : 1e-2;
        for (Outlier o : found) {
            double r = replacement[o.index()];
            assertEquals(r, o.replacement(), tolerance * Math.max(1, Math.abs(r)), name + " at " + o.index());
            assertEquals(ref.column("x")[o.index()], o.value());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void find_ignoresTheScaleAndOriginOfTheValues(String name, int[] periods) {
        double[] x = RReference.load("outliers-" + name + ".csv").column("x");
        if (name.equals("glitch")) {
            return; // 1e12 times 3 loses the small values' digits
        }
        double[] scaled = Arrays.stream(x).map(v -> 3 * v - 7).toArray();
        List<Outlier> plain = Outliers.find(TimeSeries.ofValues(x), periods);
        List<Outlier> moved = Outliers.find(TimeSeries.ofValues(scaled), periods);

        assertEquals(plain.stream().map(Outlier::index).toList(), moved.stream().map(Outlier::index).toList());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(3 * plain.get(i).replacement() - 7, moved.get(i).replacement(),
                    1e-6 * Math.max(1, Math.abs(moved.get(i).replacement())));
        }
    }

    /** A spike of fifty times the series' spread, anywhere inside a seeded random walk, is found and undone. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aGrossSpike_isFoundAndReplacedWithinTheRange(long seed) {
        Random random = new Random(seed);
        int n = 20 + random.nextInt(280);
        double[] x = new double[n];
        for (int t = 1; t < n; t++) {
            x[t] = x[t - 1] + random.nextGaussian();
        }
        double min = Arrays.stream(x).min().orElseThrow();
        double max = Arrays.stream(x).max().orElseThrow();
        int at = 1 + random.nextInt(n - 2);
        double[] spiked = x.clone();
        spiked[at] += (random.nextBoolean() ? 1 : -1) * 50 * (max - min + 1);

        List<Outlier> found = Outliers.find(TimeSeries.ofValues(spiked));

        Outlier spike = found.stream().filter(o -> o.index() == at).findFirst()
                .orElseThrow(() -> new AssertionError("spike at " + at + " of " + n + " not found in " + found));
        assertTrue(spike.replacement() >= min && spike.replacement() <= max,
                () -> spike + " outside [" + min + ", " + max + "]");
    }

    static LongStream seeds() {
        return LongStream.range(1, 41);
    }

    @Test
    void aConstantSeries_hasNone() {
        assertEquals(List.of(), Outliers.find(TimeSeries.ofValues(5, 5, 5, 5, 5, 5, 5, 5), 4));
    }

    @Test
    void replace_givesTheSeriesWithTheReplacements_andRefusesAnIndexOutside() {
        TimeSeries s = TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(5),
                RReference.load("outliers-glitch.csv").column("x"));
        List<Outlier> found = Outliers.find(s);

        TimeSeries cleaned = Outliers.replace(s, found);

        assertEquals(1, found.size());
        assertEquals(Instant.parse("2024-01-01T00:40:00Z"), found.get(0).time());
        assertEquals(found.get(0).replacement(), cleaned.get(8));
        assertEquals(s.get(7), cleaned.get(7));
        Outlier outside = new Outlier(15, Instant.EPOCH, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Outliers.replace(s, List.of(outside)));
        assertEquals("outlier at index 15 is outside this series of 15 values", e.getMessage());
    }

    /** A metric glitch of 1e12 among values of 7 to 13: the model alone forecasts nonsense, cleaned it does not. */
    @Test
    void cleaned_forecastsAsIfTheGlitchWereNotThere() {
        double[] x = RReference.load("outliers-glitch.csv").column("x");
        TimeSeries s = TimeSeries.ofValues(x);

        Forecast alone = Forecasters.ets(1).fit(s).forecast(3, 95);
        FittedModel cleaned = Forecasters.cleaned(Forecasters.ets(1)).fit(s);
        Forecast f = cleaned.forecast(3, 95);

        assertTrue(alone.upper(95)[0] > 1e9, "the glitch alone makes the interval absurd: " + alone.upper(95)[0]);
        for (int h = 0; h < 3; h++) {
            assertTrue(f.mean(h) > 7 && f.mean(h) < 13, "mean " + f.mean(h));
            assertTrue(f.upper(95)[h] < 30, "upper " + f.upper(95)[h]);
        }
        assertEquals("cleaned(" + Forecasters.ets(1).name() + ")", cleaned.forecaster().name());
        assertTrue(cleaned.description().startsWith("1 outlier replaced; "), cleaned.description());
        assertTrue(cleaned.notes().stream().anyMatch(n -> n.contains("8 (1970-01-01T08:00:00Z): 1.0E12 -> ")),
                () -> cleaned.notes().toString());
        assertEquals(f.mean(0), Forecasters.ets(1).fit(Outliers.replace(s, Outliers.find(s))).forecast(3, 95).mean(0));
    }

    @Test
    void cleaned_update_screensTheNewValuesAgainstTheHistory() {
        double[] x = RReference.load("outliers-randomwalk.csv").column("x");
        TimeSeries history = TimeSeries.ofValues(Arrays.copyOf(x, 80));
        FittedModel fitted = Forecasters.cleaned(Forecasters.naive()).fit(history);
        double[] next = Arrays.copyOfRange(x, 80, 100);
        next[5] += 1000;

        FittedModel updated = fitted.update(TimeSeries.of(history.end(), history.step(), next));

        assertFalse(updated.history().values()[85] > 500, "the new spike replaced");
        assertEquals(next[19], updated.history().values()[99], "the other new values kept");
        List<String> notes = new ArrayList<>(updated.notes());
        assertTrue(notes.get(notes.size() - 1).contains("85 ("), notes::toString);
    }
}
