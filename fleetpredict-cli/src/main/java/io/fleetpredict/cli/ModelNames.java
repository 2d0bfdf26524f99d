package io.fleetpredict.cli;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.LstmConfig;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** The model names the command accepts, each with how it uses the seasonal periods given. */
final class ModelNames {

    private static final Map<String, Function<int[], Forecaster>> MODELS = new TreeMap<>();

    static {
        MODELS.put("auto", p -> Forecasters.auto(p.length == 0 ? new int[] {1} : p));
        MODELS.put("auto-arima", p -> Forecasters.autoArima(first(p)));
        MODELS.put("naive", p -> Forecasters.naive());
        MODELS.put("snaive", p -> Forecasters.seasonalNaive(first(p)));
        MODELS.put("naive2", p -> Forecasters.naive2(first(p)));
        MODELS.put("holt-winters", p -> Forecasters.holtWinters(first(p)));
        MODELS.put("theta", p -> Forecasters.theta(first(p)));
        MODELS.put("optimized-theta", p -> Forecasters.optimizedTheta(first(p)));
        MODELS.put("ets", p -> Forecasters.ets(first(p)));
        MODELS.put("mstl", p -> Forecasters.mstl(p.length == 0 ? new int[] {1} : p));
    }

    /**
     * Models trained once across all training series before any series is forecast, so only
     * {@code evaluate}, which holds the whole training set, offers them.
     */
    static final List<String> GLOBAL = List.of("auto+lstm", "lstm");

    private ModelNames() {
    }

    /** Whether the name is one of the {@link #GLOBAL} models. */
    static boolean isGlobal(String name) {
        return GLOBAL.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The LSTM settings of the M4 hourly evaluation that reached OWA 0.503 (fleetpredict-bench's
     * {@code M4HourlyLstmEvaluation}), scaled to the first period: a window of seven periods read one
     * period per step (56 values read 8 per step without seasonality), 48 cells, at most 20 epochs of
     * 40,000 windows, seed 42.
     */
    static LstmConfig lstmConfig(int period, int horizon, int hidden, int epochs, int windows) {
        return LstmConfig.builder()
                .inputWindow(period > 1 ? 7 * period : 56)
                .chunk(period > 1 ? period : 8)
                .seasonalPeriod(period)
                .horizon(horizon)
                .hiddenSize(hidden)
                .layers(1)
                .maxEpochs(epochs)
                .windowsPerEpoch(windows)
                .batchSize(64)
                .learningRate(0.003)
                .patience(4)
                .seed(42)
                .calendarFeatures(true)
                .build();
    }

    static Forecaster forecaster(String name, List<Integer> periods) {
        Function<int[], Forecaster> factory = MODELS.get(name.toLowerCase(Locale.ROOT));
        if (factory == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known: " + String.join(", ", MODELS.keySet()));
        }
        return factory.apply(periods.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * The forecaster for a name, knowing the horizon that will be forecast: {@code auto} cross-validates
     * at that horizon; the other models do not use it.
     */
    static Forecaster forecaster(String name, List<Integer> periods, int horizon) {
        Forecaster f = forecaster(name, periods);
        if (name.toLowerCase(Locale.ROOT).equals("auto")) {
            return Forecasters.auto(CrossValidation.of(horizon), periods.isEmpty() ? new int[] {1}
                    : periods.stream().mapToInt(Integer::intValue).toArray());
        }
        return f;
    }

    static List<String> names() {
        return List.copyOf(MODELS.keySet());
    }

    private static int first(int[] periods) {
        return periods.length == 0 ? 1 : periods[0];
    }

    /** Completion candidates of {@code evaluate}: every model name and the {@link #GLOBAL} ones. */
    static final class EvaluateCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> all = new java.util.ArrayList<>(names());
            all.addAll(GLOBAL);
            return all.iterator();
        }
    }

    /** Completion candidates for picocli's help text. */
    static final class Candidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
