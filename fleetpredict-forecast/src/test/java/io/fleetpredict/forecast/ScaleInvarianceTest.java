package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forecast does not depend on the unit of the series: the same series in units a million million times
 * smaller or larger gets the same model and the same forecast, scaled.
 */
class ScaleInvarianceTest {

    private static final double[] SCALES = {1e-12, 1e-9, 1e-6, 1e6, 1e12};
    private static final int PERIOD = 12;
    private static final int HORIZON = 6;
    /**
     * The optimisers stop where the objective improves by less than a fraction of its value, and a likelihood
     * moves by {@code n log(scale^2)} with the unit, so they stop at slightly different points: R's ets does
     * the same. Tight enough to catch a lost season or a flat forecast by far.
     */
    private static final double RELATIVE_TOLERANCE = 1e-3;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String model : new String[] {"ets", "auto-arima", "theta", "fourier-arima", "mstl", "ets MNN",
            "arima(1,1,1)"}) {
            for (long seed = 1; seed <= 3; seed++) {
                cases.add(Arguments.of(model, seed));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @MethodSource("cases")
    void forecast_seriesInAnyUnit_sameModelAndScaledForecast(String model, long seed) {
        double[] unit = seasonal(seed);
        Forecast reference = forecaster(model).fit(Datasets.monthly(unit)).forecast(HORIZON, 95);
        String referenceModel = kind(reference.model());
        for (double scale : SCALES) {
            double[] scaled = new double[unit.length];
            for (int i = 0; i < unit.length; i++) {
                scaled[i] = unit[i] * scale;
            }
            FittedModel fitted = forecaster(model).fit(Datasets.monthly(scaled));
            Forecast f = fitted.forecast(HORIZON, 95);
            String where = model + " seed " + seed + " x" + scale + ": " + fitted.description();
            assertEquals(referenceModel, kind(f.model()), where);
            for (int h = 0; h < HORIZON; h++) {
                assertClose(reference.mean(h), f.mean(h) / scale, where + ", mean at step " + (h + 1));
                assertClose(reference.lower(95)[h], f.lower(95)[h] / scale, where + ", lower at step " + (h + 1));
                assertClose(reference.upper(95)[h], f.upper(95)[h] / scale, where + ", upper at step " + (h + 1));
            }
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        double width = Math.max(Math.abs(expected), 1e-300);
        assertTrue(Math.abs(expected - actual) <= RELATIVE_TOLERANCE * width,
                what + ": expected " + expected + ", got " + actual);
    }

    /** The model without its fitted numbers, which carry the unit: {@code alpha=0.1 sigma2=4} becomes {@code alpha= sigma2=}. */
    private static String kind(String model) {
        return model.replaceAll("=[^ ;,]+", "=");
    }

    private static Forecaster forecaster(String model) {
        if (model.startsWith("ets ")) {
            return Forecasters.ets(model.substring(4), PERIOD);
        }
        if (model.equals("arima(1,1,1)")) {
            return Forecasters.arima(1, 1, 1);
        }
        return Forecasters.byName(model, PERIOD);
    }

    /** A positive monthly series of five years around 100: level, season, noise. */
    private static double[] seasonal(long seed) {
        Random r = new Random(seed);
        double amplitude = 5 + 15 * r.nextDouble();
        double noise = 1 + 3 * r.nextDouble();
        double[] v = new double[60];
        for (int t = 0; t < v.length; t++) {
            v[t] = 100 + amplitude * Math.sin(2 * Math.PI * t / PERIOD) + noise * r.nextGaussian();
        }
        return v;
    }
}
