package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Models that cannot use regressors say so, naming themselves, instead of ignoring them. */
class RegressorsSupportTest {

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    static Stream<Forecaster> withoutRegressors() {
        return Stream.of(Forecasters.ets(24), Forecasters.ets("ANN", 1), Forecasters.theta(24),
                Forecasters.optimizedTheta(24), Forecasters.mstl(24), Forecasters.holtWinters(24),
                Forecasters.naive(), Forecasters.seasonalNaive(24), Forecasters.naive2(24));
    }

    static TimeSeries series() {
        double[] v = new double[24 * 6];
        for (int t = 0; t < v.length; t++) {
            v[t] = 10 + 3 * Math.sin(2 * Math.PI * t / 24) + (t % 7) * 0.1;
        }
        return TimeSeries.of(START, HOUR, v);
    }

    static Regressors event(int n) {
        double[] v = new double[n];
        v[n / 2] = 1;
        return Regressors.builder(START, HOUR, n).column("event", v).build();
    }

    @ParameterizedTest
    @MethodSource("withoutRegressors")
    void fit_modelWithoutRegressors_saysItCannotTakeThem(Forecaster f) {
        TimeSeries s = series();
        assertFalse(f.acceptsRegressors());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> f.fit(s, event(s.size())));
        assertEquals(f.name() + " cannot take regressors [event]", e.getMessage());
        // A fitted model of such a forecaster refuses future values too.
        FittedModel m = f.fit(s);
        Regressors future = Regressors.builder(s.end(), HOUR, 4).column("event", 0, 1, 0, 0).build();
        assertThrows(UnsupportedOperationException.class, () -> m.forecast(4, future));
        assertThrows(UnsupportedOperationException.class, () -> m.update(TimeSeries.of(s.end(), HOUR, 1.0),
                Regressors.builder(s.end(), HOUR, 1).column("event", 0).build()));
    }

    @ParameterizedTest
    @MethodSource("withoutRegressors")
    void fit_regressorsWithoutColumns_fitTheSeriesAlone(Forecaster f) {
        TimeSeries s = series();
        Regressors none = Regressors.builder(START, HOUR, s.size()).build();
        assertEquals(f.fit(s).forecast(4).mean(0), f.fit(s, none).forecast(4, Regressors.builder(s.end(), HOUR, 4)
                .build()).mean(0), 1e-12);
    }

    @Test
    void acceptsRegressors_arimaAndLstm_areTrue() {
        assertTrue(Forecasters.arima(1, 0, 0).acceptsRegressors());
        assertTrue(Forecasters.autoArima(24).acceptsRegressors());
        assertTrue(Forecasters.lstm(LstmConfig.builder().build()).acceptsRegressors());
    }
}
