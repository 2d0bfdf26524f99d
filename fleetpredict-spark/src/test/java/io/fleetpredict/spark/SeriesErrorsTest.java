package io.fleetpredict.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** One series cross-validated without Spark, as a partition does: when it is long enough, and what else it says. */
class SeriesErrorsTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    /** Horizon 2, 2 origins 1 step apart: the first origin is n - 2 - 1, and must be at least 2. */
    private final CrossValidation plan = new CrossValidation(2, 2, 1);
    private final ForecastSpec spec = ForecastSpec.builder(ModelSource.of(Forecasters::naive), 2).build();
    private final SeriesErrors errors = new SeriesErrors(spec, new SeriesReader(Duration.ofHours(1), GapPolicy.LINEAR,
            List.of(), 0), null, false, plan);

    private static List<Row> hourly(double... values) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(RowFactory.create("s", Timestamp.from(T0.plus(Duration.ofHours(i))), values[i], null));
        }
        return rows;
    }

    private Row process(List<Row> rows) {
        Forecaster model = Forecasters.naive();
        List<Row> out = errors.process("s", rows, model, List.of());
        assertEquals(1, out.size());
        return out.get(0);
    }

    @Test
    void process_seriesOfFiveValues_isScoredAtOriginsTwoAndThree() {
        Row r = process(hourly(1, 2, 4, 7, 11));

        assertEquals(2, r.getInt(1), "origins");
        assertNull(r.get(6), "no error");
        // Naive forecasts: from origin 2 (values 1, 2) 2 and 2 against 4 and 7; from origin 3, 4 and 4 against
        // 7 and 11. Every forecast is below its actual, so sMAPE is 200 |a - f| / (a + f) averaged.
        double atTwo = (200.0 * 2 / 6 + 200.0 * 5 / 9) / 2;
        double atThree = (200.0 * 3 / 11 + 200.0 * 7 / 15) / 2;
        assertEquals((atTwo + atThree) / 2, r.getDouble(2), 1e-9);
    }

    @Test
    void process_seriesOfFourValues_isTooShortAndSaysHowManyItNeeds() {
        Row r = process(hourly(1, 2, 4, 7));

        assertNull(r.get(1));
        assertEquals("2 origins 1 steps apart with horizon 2 need more than 4 values; the series has 4", r.getString(6));
        // 3 origins 2 steps apart: 2 + (3 - 1) x 2 + 1 = 7 values needed, as the first origin must be at least 2.
        SeriesErrors wider = new SeriesErrors(spec, new SeriesReader(Duration.ofHours(1), GapPolicy.LINEAR, List.of(),
                0), null, false, new CrossValidation(2, 3, 2));
        Row six = wider.process("s", hourly(1, 2, 3, 4, 5, 6), Forecasters.naive(), List.of()).get(0);
        assertEquals("3 origins 2 steps apart with horizon 2 need more than 7 values; the series has 6",
                six.getString(6));
        assertEquals(3, wider.process("s", hourly(1, 2, 3, 4, 5, 6, 7, 8), Forecasters.naive(), List.of()).get(0)
                .getInt(1), "8 values: origins 2, 4 and 6");
    }

    @Test
    void process_unreadableSeries_isOneRowWithTheReadersMessage() {
        List<Row> rows = hourly(1, 2, 4, 7, 11);
        rows.set(3, rows.get(2));

        Row r = process(rows);

        assertNull(r.get(1));
        assertEquals("timestamp 2026-03-02T02:00:00Z appears more than once", r.getString(6));
    }

    @Test
    void describe_exceptionWithAndWithoutMessage_namesItsType() {
        assertEquals("IllegalStateException: no fit", PerSeries.describe(new IllegalStateException("no fit")));
        assertEquals("ArithmeticException", PerSeries.describe(new ArithmeticException()));
    }

    /**
     * With regressors the model is fitted on the regressors' past at each origin and forecast with their values
     * over the horizon, as one fits and forecasts it in process; without them it would miss the promotions.
     */
    @Test
    void process_withRegressors_scoresTheModelFittedWithThemAtEachOrigin() {
        int n = 24 * 8;
        double[] promo = new double[n];
        double[] y = new double[n];
        java.util.Random random = new java.util.Random(7);
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            promo[t] = (t / 24) % 3 == 0 ? 1 : 0;
            y[t] = 100 + 40 * promo[t] + random.nextGaussian();
            rows.add(RowFactory.create("s", Timestamp.from(T0.plus(Duration.ofHours(t))), y[t], null, promo[t]));
        }
        CrossValidation cv = new CrossValidation(24, 2, 24);
        ForecastSpec withPromo = ForecastSpec.builder(ModelSource.of(() -> Forecasters.arima(1, 0, 0)), 24)
                .regressors("promo").build();
        SeriesErrors errors = new SeriesErrors(withPromo, new SeriesReader(Duration.ofHours(1), GapPolicy.LINEAR,
                List.of("promo"), 0), null, false, cv);

        Row r = errors.process("s", rows, Forecasters.arima(1, 0, 0), List.of()).get(0);

        io.fleetpredict.forecast.TimeSeries history = io.fleetpredict.forecast.TimeSeries.of(T0, Duration.ofHours(1), y);
        io.fleetpredict.forecast.Regressors past = io.fleetpredict.forecast.Regressors.of(T0, Duration.ofHours(1),
                java.util.Map.of("promo", promo));
        double smape = 0;
        for (int origin : new int[] {n - 48, n - 24}) {
            io.fleetpredict.forecast.FittedModel m = Forecasters.arima(1, 0, 0).fit(history.head(origin),
                    past.head(origin));
            io.fleetpredict.forecast.Forecast fc = m.forecast(24, past.slice(origin, origin + 24),
                    withPromo.coverageLevel());
            smape += io.fleetpredict.forecast.Accuracy.of(history.head(origin),
                    history.slice(origin, origin + 24).values(), fc, 1, withPromo.coverageLevel()).smape();
        }
        assertNull(r.get(6), () -> r.getString(6));
        assertEquals(smape / 2, r.getDouble(2), 1e-9);
        assertTrue(r.getString(5).contains("promo"), r.getString(5));
    }
}
