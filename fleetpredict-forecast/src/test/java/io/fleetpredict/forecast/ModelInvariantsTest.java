package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every model here keeps, over seeded synthetic series. */
class ModelInvariantsTest {

    private static final int PERIOD = 24;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Forecaster> models = List.of(Forecasters.naive(), Forecasters.seasonalNaive(PERIOD),
                Forecasters.holtWinters(PERIOD), Forecasters.naive2(PERIOD));
        for (Forecaster f : models) {
            for (long seed = 1; seed <= 8; seed++) {
                out.add(Arguments.of(f, seed));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void forecast_seededSeries_hasHorizonFiniteOrderedNestedIntervals(Forecaster forecaster, long seed) {
        TimeSeries s = Datasets.synthetic(seed, 5 * PERIOD + (int) seed, PERIOD);
        FittedModel m = forecaster.fit(s);
        int horizon = 2 * PERIOD + 1;
        Forecast f = m.forecast(horizon, 80, 95);
        assertEquals(horizon, f.horizon());
        assertEquals(s.end(), f.start());
        assertEquals(s.step(), f.step());
        double[] lo80 = f.lower(80);
        double[] hi80 = f.upper(80);
        double[] lo95 = f.lower(95);
        double[] hi95 = f.upper(95);
        for (int h = 0; h < horizon; h++) {
            assertTrue(Double.isFinite(f.mean(h)));
            assertTrue(lo95[h] <= lo80[h] && lo80[h] <= f.mean(h) && f.mean(h) <= hi80[h] && hi80[h] <= hi95[h],
                    "step " + h + " of " + m.description());
            // Analytic Gaussian intervals: the 80% band is strictly narrower when the spread is positive.
            assertTrue(hi95[h] - lo95[h] > hi80[h] - lo80[h], "step " + h);
        }
        m.parameters().values().forEach(p -> assertTrue(Double.isFinite(p), m.description()));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void update_newPoints_equalsRecursionsOverTheExtendedSeries(Forecaster forecaster, long seed) {
        TimeSeries full = Datasets.synthetic(seed, 6 * PERIOD, PERIOD);
        int cut = 4 * PERIOD + 5;
        FittedModel fitted = forecaster.fit(full.head(cut));
        FittedModel updated = fitted.update(full.slice(cut, cut + 7)).update(full.slice(cut + 7, full.size()));
        FittedModel reference = sameParametersOn(fitted, full);
        assertEquals(full, updated.history());
        assertEquals(fitted.parameters().keySet(), updated.parameters().keySet());
        Forecast a = updated.forecast(30, 95);
        Forecast b = reference.forecast(30, 95);
        assertArrayEquals(b.mean(), a.mean(), 1e-9 * Math.abs(b.mean(0)));
        assertArrayEquals(b.lower(95), a.lower(95), 1e-8 * Math.abs(b.mean(0)));
        assertArrayEquals(b.upper(95), a.upper(95), 1e-8 * Math.abs(b.mean(0)));
    }

    /** The model with the fitted parameters, run over {@code series} from the start. */
    private static FittedModel sameParametersOn(FittedModel fitted, TimeSeries series) {
        if (fitted instanceof AdditiveHoltWinters) {
            AdditiveHoltWinters.Spec spec = (AdditiveHoltWinters.Spec) fitted.forecaster();
            return AdditiveHoltWinters.withParameters(spec, series,
                    AdditiveHoltWinters.Start.of(series.values(), spec.period(), spec.name()),
                    fitted.parameters().get("alpha"), fitted.parameters().get("beta"), fitted.parameters().get("gamma"));
        }
        if (fitted instanceof SeasonallyAdjustedNaive) {
            // Its parameters are the seasonal figures of the first fit: refit them on the same prefix.
            int cut = 4 * PERIOD + 5;
            return fitted.forecaster().fit(series.head(cut)).update(series.slice(cut, series.size()));
        }
        // Naive models have no estimated parameters: fitting the longer series is the same recursion.
        return fitted.forecaster().fit(series);
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void fit_sameSeriesTwice_isDeterministic(Forecaster forecaster, long seed) {
        TimeSeries s = Datasets.synthetic(seed, 4 * PERIOD, PERIOD);
        assertEquals(forecaster.fit(s).forecast(10, 95), forecaster.fit(s).forecast(10, 95));
    }
}
