package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Forecasters by name build exactly what the named factories build. */
class ForecastersByNameTest {

    @Test
    void eachName_buildsTheFactorysForecaster_inAnyCase() {
        Map<String, Supplier<Forecaster>> expected = Map.ofEntries(
                Map.entry("auto", () -> Forecasters.auto(24, 168)),
                Map.entry("auto-arima", () -> Forecasters.autoArima(24)),
                Map.entry("naive", Forecasters::naive),
                Map.entry("snaive", () -> Forecasters.seasonalNaive(24)),
                Map.entry("naive2", () -> Forecasters.naive2(24)),
                Map.entry("holt-winters", () -> Forecasters.holtWinters(24)),
                Map.entry("theta", () -> Forecasters.theta(24)),
                Map.entry("optimized-theta", () -> Forecasters.optimizedTheta(24)),
                Map.entry("ets", () -> Forecasters.ets(24)),
                Map.entry("fourier-arima", () -> Forecasters.fourierArima(24, 168)),
                Map.entry("mstl", () -> Forecasters.mstl(24, 168)));
        assertEquals(expected.keySet().stream().sorted().toList(), Forecasters.names());
        expected.forEach((name, factory) -> {
            assertEquals(factory.get().name(), Forecasters.byName(name, 24, 168).name(), name);
            assertEquals(factory.get().name(), Forecasters.byName(name.toUpperCase(java.util.Locale.ROOT), 24, 168).name(), name);
        });
    }

    @Test
    void noPeriod_meansNonSeasonal() {
        assertEquals(Forecasters.seasonalNaive(1).name(), Forecasters.byName("snaive").name());
        assertEquals(Forecasters.mstl(1).name(), Forecasters.byName("mstl").name());
        assertEquals(Forecasters.auto(1).name(), Forecasters.byName("auto").name());
    }

    @Test
    void auto_takesThePlan_othersIgnoreIt() {
        CrossValidation plan = CrossValidation.of(12);
        assertEquals(Forecasters.auto(plan, 24).name(), Forecasters.byName("auto", plan, 24).name());
        assertEquals(Forecasters.ets(24).name(), Forecasters.byName("ets", plan, 24).name());
    }

    /** Every named model, fitted, refuses a horizon past a million steps before allocating it. */
    @Test
    void everyModel_hugeHorizon_refusedNamingTheLimit() {
        TimeSeries series = Datasets.synthetic(3, 24 * 21, 24);
        for (String name : Forecasters.names()) {
            FittedModel fitted = Forecasters.byName(name, CrossValidation.of(24), 24).fit(series);
            for (int horizon : new int[] {1_000_001, Integer.MAX_VALUE, 0}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> fitted.forecast(horizon, 80), name);
                assertEquals("horizon must be from 1 to 1000000 steps, was " + horizon, e.getMessage(), name);
            }
        }
        assertEquals(1_000_000, Forecasters.naive().fit(series).forecast(1_000_000, 80).horizon());
    }

    @Test
    void unknownName_refusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Forecasters.byName("prophet", 24));
        assertTrue(e.getMessage().startsWith("unknown model 'prophet'; known: "), e.getMessage());
        for (String name : List.of("auto", "ets", "theta", "mstl")) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }
}
