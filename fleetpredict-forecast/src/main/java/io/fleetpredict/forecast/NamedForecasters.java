package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/** The models {@link Forecasters#byName(String, int...)} builds, each with how it uses the periods given. */
final class NamedForecasters {

    private static final SortedMap<String, BiFunction<@Nullable CrossValidation, int[], Forecaster>> BY_NAME =
            new TreeMap<>();

    static {
        BY_NAME.put("auto", (plan, p) -> plan == null ? Forecasters.auto(orNone(p)) : Forecasters.auto(plan, orNone(p)));
        BY_NAME.put("auto-arima", (plan, p) -> Forecasters.autoArima(first(p)));
        BY_NAME.put("naive", (plan, p) -> Forecasters.naive());
        BY_NAME.put("snaive", (plan, p) -> Forecasters.seasonalNaive(first(p)));
        BY_NAME.put("naive2", (plan, p) -> Forecasters.naive2(first(p)));
        BY_NAME.put("holt-winters", (plan, p) -> Forecasters.holtWinters(first(p)));
        BY_NAME.put("theta", (plan, p) -> Forecasters.theta(first(p)));
        BY_NAME.put("optimized-theta", (plan, p) -> Forecasters.optimizedTheta(first(p)));
        BY_NAME.put("ets", (plan, p) -> Forecasters.ets(first(p)));
        BY_NAME.put("mstl", (plan, p) -> Forecasters.mstl(orNone(p)));
        BY_NAME.put("fourier-arima", (plan, p) -> Forecasters.fourierArima(orNone(p)));
    }

    private NamedForecasters() {
    }

    static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** The named model; {@code plan} is {@code auto}'s cross-validation, or null for its default. */
    static Forecaster create(String name, @Nullable CrossValidation plan, int[] periods) {
        BiFunction<@Nullable CrossValidation, int[], Forecaster> factory = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", BY_NAME.keySet()));
        }
        return factory.apply(plan, periods);
    }

    private static int first(int[] periods) {
        return periods.length == 0 ? 1 : periods[0];
    }

    private static int[] orNone(int[] periods) {
        return periods.length == 0 ? new int[] {1} : periods;
    }
}
