package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {

    /** Wraps a forecaster and records every series it is asked to fit. */
    static final class Recording implements Forecaster {
        final Forecaster inner;
        final List<TimeSeries> seen = Collections.synchronizedList(new ArrayList<>());

        Recording(Forecaster inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            seen.add(series);
            return inner.fit(series);
        }
    }

    @Test
    void rollingOrigin_neverShowsTheModelValuesAtOrAfterTheOrigin() {
        TimeSeries s = Datasets.synthetic(3, 200, 24);
        Recording rec = new Recording(Forecasters.seasonalNaive(24));
        BacktestResult r = Backtest.rollingOrigin(s, rec, 12, 5, 7, 24);
        assertEquals(5, rec.seen.size());
        for (int k = 0; k < 5; k++) {
            int origin = r.folds().get(k).origin();
            TimeSeries given = rec.seen.get(k);
            assertEquals(s.head(origin), given, "fold " + k);
            assertTrue(given.end().compareTo(r.folds().get(k).time()) <= 0);
        }
    }

    @Test
    void rollingOrigin_originsEndAtTheLastHorizonAndStepBackByStride() {
        TimeSeries s = Datasets.synthetic(4, 100, 24);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.naive(), 10, 4, 5);
        assertEquals(List.of(75, 80, 85, 90), r.folds().stream().map(BacktestResult.Fold::origin).toList());
        assertEquals(s.timeAt(90), r.folds().get(3).time());
        assertEquals("naive", r.forecaster());
    }

    @Test
    void rollingOrigin_scoresEqualDirectComputation() {
        TimeSeries s = Datasets.synthetic(5, 150, 24);
        BacktestResult r = Backtest.rollingOrigin(s, Forecasters.seasonalNaive(24), 24, 3, 24, 24);
        double[] expected = new double[3];
        for (int k = 0; k < 3; k++) {
            int origin = 150 - 24 - (2 - k) * 24;
            double[] train = s.head(origin).values();
            double[] actual = s.slice(origin, origin + 24).values();
            double[] f = java.util.Arrays.copyOfRange(train, origin - 24, origin);
            expected[k] = Accuracy.mase(train, 24, actual, f);
        }
        assertArrayEquals(expected, r.perOrigin(Metric.MASE), 1e-12);
        assertEquals((expected[0] + expected[1] + expected[2]) / 3, r.mean(Metric.MASE), 1e-12);
        assertTrue(Double.isFinite(r.mean(Metric.MSIS)), "intervals are requested and scored");
    }

    @Test
    void rollingOrigin_tooShort_throwsInsufficientData() {
        TimeSeries s = TimeSeries.ofValues(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 5, 3, 2));
        assertTrue(e.getMessage().contains("10"), e.getMessage());
    }

    @Test
    void rollingOrigin_badArguments_areRejected() {
        TimeSeries s = Datasets.synthetic(6, 100, 24);
        assertThrows(IllegalArgumentException.class, () -> Backtest.rollingOrigin(s, Forecasters.naive(), 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Backtest.rollingOrigin(s, Forecasters.naive(), 1, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backtest.rollingOrigin(s, Forecasters.naive(), 1, 1, -2));
        assertTrue(e.getMessage().contains("stride") && e.getMessage().contains("-2"), e.getMessage());
    }
}
