package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seasonal period longer than the series, however long, is refused or treated by every model as it treats
 * any period longer than the series: refused at fit time with an {@link InsufficientDataException} naming the
 * period and the series' length, or dropped as the model documents (the fit is then the one with a period
 * just longer than the series). Periods from 2^30 up used to overflow in the models' arithmetic.
 */
class LongPeriodTest {

    private static final int N = 120;

    /** Periods whose doubles and successors pass {@link Integer#MAX_VALUE}. */
    private static final int[] HUGE = {1 << 30, (1 << 30) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        List<Named> models = new ArrayList<>();
        for (String name : Forecasters.names()) {
            // One plan for auto whatever the period: its default plan, two periods, is halved to fit the series.
            models.add(new Named(name, p -> Forecasters.byName(name, CrossValidation.of(8), p)));
        }
        models.add(new Named("ets-AAA", p -> Forecasters.ets("AAA", p)));
        models.add(new Named("ets-MNM", p -> Forecasters.ets("MNM", p)));
        models.add(new Named("auto-arima-short", Forecasters::autoArimaShort));
        models.add(new Named("boxcox-guerrero", p -> Forecasters.boxCoxGuerrero(Forecasters.naive(), p)));
        models.add(new Named("cleaned", p -> Forecasters.cleaned(Forecasters.theta(1), p)));
        models.add(new Named("mstl-two-periods", p -> Forecasters.mstl(24, p)));
        models.add(new Named("fourier-arima-two-periods", p -> Forecasters.fourierArima(24, p)));
        for (Named m : models) {
            for (int p : HUGE) {
                out.add(Arguments.of(m, p));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} period {1}")
    @MethodSource("cases")
    void fit_periodLongerThanTheSeries_refusedOrAsAnyPeriodLongerThanTheSeries(Named model, int period) {
        TimeSeries series = Datasets.synthetic(3, N, 24);
        Forecaster huge = model.factory().apply(period);
        Forecaster justLonger = model.factory().apply(N + 1);
        FittedModel reference;
        try {
            reference = justLonger.fit(series);
        } catch (InsufficientDataException refused) {
            InsufficientDataException e = assertThrows(InsufficientDataException.class, () -> huge.fit(series));
            assertTrue(e.getMessage().contains(Integer.toString(period)) && e.getMessage().contains(Integer.toString(N)),
                    e.getMessage());
            return;
        }
        Forecast f = huge.fit(series).forecast(3, 80, 95);
        Forecast expected = reference.forecast(3, 80, 95);
        assertEquals(3, f.horizon());
        assertArrayEquals(expected.mean(), f.mean(), 1e-9 * Math.abs(expected.mean(0)));
        assertArrayEquals(expected.upper(95), f.upper(95), 1e-9 * Math.abs(expected.mean(0)));
    }

    @ParameterizedTest(name = "period {0}")
    @MethodSource("hugePeriods")
    void auto_defaultPlanOfTwoHugePeriods_fitsAsOnAnyShortSeries(int period) {
        TimeSeries series = Datasets.synthetic(3, N, 24);
        FittedModel m = Forecasters.auto(period).fit(series);
        assertEquals(3, m.forecast(3, 95).horizon());
    }

    @ParameterizedTest(name = "period {0}")
    @MethodSource("hugePeriods")
    void firstOrigin_planOfTwoHugePeriods_isNegativeNotWrappedRound(int period) {
        assertTrue(CrossValidation.of(period).firstOrigin(N) < 0);
    }

    static int[] hugePeriods() {
        return HUGE.clone();
    }

    /** A model factory by period, named for the test's display. */
    record Named(String name, IntFunction<Forecaster> factory) {
        @Override
        public String toString() {
            return name;
        }
    }
}
