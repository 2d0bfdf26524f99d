package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Additive Holt-Winters against R's {@code stats::HoltWinters}.
 *
 * <p>Reference values from R 4.2.2 (Debian), {@code options(digits = 15)}:
 * {@code m <- HoltWinters(x); m$alpha; m$beta; m$gamma; m$SSE; m$coefficients;
 * predict(m, n.ahead = 25, prediction.interval = TRUE, level = 0.95); var(residuals(m))} for
 * {@code x} in {@code USAccDeaths}, {@code co2} and {@code AirPassengers} (all frequency 12).
 */
class AdditiveHoltWintersTest {

    /** One R fit: parameters, SSE, final states a, b, s1..s12, and rows 1, 12, 25 of predict(). */
    record RFit(String name, double[] x, double alpha, double beta, double gamma, double sse, double a, double b,
            double[] s, double[] fit, double[] upr, double[] lwr) {
    }

    static final RFit US_ACC = new RFit("USAccDeaths", RDatasets.USACCDEATHS,
            7.37719167562749e-01, 2.23183833225362e-02, 1.0, 8.63934723993199e+06,
            8798.5616693761767, -22.6785080518153,
            new double[] {-802.4510970840383, -1739.8415246528130, -960.3335545677455, -594.4152392505039,
                259.2990970805986, 673.5510546250862, 1770.7710990415071, 1030.9732009496220, 210.8889372185913,
                548.5510010502803, 127.6935436153799, 441.4383306238233},
            new double[] {7973.43206424032, 8967.85790337822, 7429.14787099676},
            new double[] {8713.55321375612, 11154.28773877469, 11047.43137305405},
            new double[] {7233.31091472452, 6781.42806798175, 3810.86436893946});

    static final RFit CO2 = new RFit("co2", Datasets.co2(),
            0.51264844356417949, 0.00949766904602902, 0.47288678799481837, 43.12986136769730905,
            364.761623668986942, 0.124743804250424,
            new double[] {0.221527459955157, 0.955280060451292, 1.598474394862250, 2.875802915198292,
                3.282008835347731, 2.440698989396283, 0.896943263584938, -1.379642761381644, -3.411237617243337,
                -3.257016264833655, -1.913485028617143, -0.584424985579845},
            new double[] {365.107894933193, 365.674124334412, 368.101746235203},
            new double[] {365.710471195963, 366.913787778797, 369.966893325226},
            new double[] {364.505318670422, 364.434460890027, 366.236599145179});

    static final RFit AIR = new RFit("AirPassengers", RDatasets.AIRPASSENGERS,
            2.47959489735621e-01, 3.45337296488465e-02, 1.0, 2.18601846218501e+04,
            477.82778054015040, 3.12762656581609,
            new double[] {-27.45768535464452, -54.69246441983319, -20.17460814885936, 12.91911985044510,
                18.87360679776924, 75.29442581459165, 152.88836849051597, 134.61346385062717, 33.77834931380573,
                -18.37906011210157, -87.77240750016637, -45.82778054015040},
            new double[] {453.497721751322, 469.531518789793, 528.560759330908},
            new double[] {478.580176537623, 504.947523932969, 592.260095990127},
            new double[] {428.415266965021, 434.115513646617, 464.861422671689});

    private static AdditiveHoltWinters withRParameters(RFit r) {
        TimeSeries series = Datasets.monthly(r.x());
        AdditiveHoltWinters.Spec spec = new AdditiveHoltWinters.Spec(12);
        return AdditiveHoltWinters.withParameters(spec, series,
                AdditiveHoltWinters.Start.of(r.x(), 12, spec.name()), r.alpha(), r.beta(), r.gamma());
    }

    private static void assertRecursionsMatch(RFit r) {
        AdditiveHoltWinters m = withRParameters(r);
        // R prints 15 significant digits of alpha, beta, gamma; that rounding bounds the agreement.
        double tol = 1e-8;
        assertEquals(r.sse(), m.sse(), tol * r.sse(), r.name() + " SSE");
        assertEquals(r.a(), m.level(), tol * Math.abs(r.a()), r.name() + " a");
        assertEquals(r.b(), m.trend(), tol * Math.abs(r.a()), r.name() + " b");
        assertArrayEquals(r.s(), m.seasonAhead(), tol * Math.abs(r.a()), r.name() + " s");
        Forecast f = m.forecast(25, 95);
        int[] rows = {0, 11, 24};
        for (int i = 0; i < rows.length; i++) {
            int h = rows[i];
            assertEquals(r.fit()[i], f.mean(h), tol * Math.abs(r.a()), r.name() + " fit h=" + (h + 1));
            assertEquals(r.upr()[i], f.upper(95)[h], tol * Math.abs(r.a()), r.name() + " upr h=" + (h + 1));
            assertEquals(r.lwr()[i], f.lower(95)[h], tol * Math.abs(r.a()), r.name() + " lwr h=" + (h + 1));
        }
    }

    @Test
    void recursions_usAccDeathsWithRParameters_matchR() {
        assertRecursionsMatch(US_ACC);
    }

    @Test
    void recursions_co2WithRParameters_matchR() {
        assertRecursionsMatch(CO2);
    }

    @Test
    void recursions_airPassengersWithRParameters_matchR() {
        assertRecursionsMatch(AIR);
    }

    @Test
    void fit_classicDatasets_sseNoWorseThanR() {
        for (RFit r : new RFit[] {US_ACC, CO2, AIR}) {
            AdditiveHoltWinters m = (AdditiveHoltWinters) Forecasters.holtWinters(12).fit(Datasets.monthly(r.x()));
            assertTrue(m.sse() <= r.sse() * (1 + 1e-6),
                    r.name() + ": SSE " + m.sse() + " worse than R's " + r.sse() + "; " + m.description());
        }
    }

    @Test
    void fit_co2_parametersCloseToR() {
        // co2's optimum is interior and well defined, so both optimisers should land on it.
        FittedModel m = Forecasters.holtWinters(12).fit(Datasets.monthly(CO2.x()));
        assertEquals(CO2.alpha(), m.parameters().get("alpha"), 0.01);
        assertEquals(CO2.beta(), m.parameters().get("beta"), 0.01);
        assertEquals(CO2.gamma(), m.parameters().get("gamma"), 0.01);
    }

    @Test
    void fit_shorterThanTwoPeriods_throwsInsufficientData() {
        TimeSeries s = Datasets.monthly(java.util.Arrays.copyOf(RDatasets.AIRPASSENGERS, 23));
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.holtWinters(12).fit(s));
        assertTrue(e.getMessage().contains("two full periods") && e.getMessage().contains("24")
                && e.getMessage().contains("23"), e.getMessage());
    }

    @Test
    void holtWinters_periodBelowTwo_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Forecasters.holtWinters(1));
        assertTrue(e.getMessage().contains("period") && e.getMessage().contains("1"), e.getMessage());
    }

    @Test
    void fit_constantSeries_forecastsTheConstantWithFiniteValues() {
        double[] v = new double[60];
        java.util.Arrays.fill(v, 42);
        FittedModel m = Forecasters.holtWinters(12).fit(Datasets.monthly(v));
        Forecast f = m.forecast(30, 80, 95);
        for (int h = 0; h < 30; h++) {
            assertEquals(42, f.mean(h), 1e-9);
            assertEquals(42, f.lower(95)[h], 1e-9);
            assertEquals(42, f.upper(95)[h], 1e-9);
        }
        m.parameters().values().forEach(p -> assertTrue(Double.isFinite(p), m.description()));
    }

    @Test
    void fit_longPeriods_work() {
        for (int period : new int[] {24, 48, 168, 288}) {
            TimeSeries s = Datasets.synthetic(period, 3 * period, period);
            FittedModel m = Forecasters.holtWinters(period).fit(s);
            Forecast f = m.forecast(period, 95);
            assertEquals(period, f.horizon());
            for (int h = 0; h < period; h++) {
                assertTrue(Double.isFinite(f.mean(h)) && f.lower(95)[h] <= f.upper(95)[h], m.description());
            }
        }
    }

    @Test
    void fit_exactlyTwoPeriods_works() {
        TimeSeries s = Datasets.monthly(java.util.Arrays.copyOf(RDatasets.AIRPASSENGERS, 24));
        Forecast f = Forecasters.holtWinters(12).fit(s).forecast(12, 95);
        assertEquals(12, f.horizon());
    }
}
