package io.fleetpredict.cli;

import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The model names the command accepts: the library's ({@link Forecasters#byName}) and the global ones (the LSTM
 * and the pooled autoregression).
 */
final class ModelNames {

    /**
     * Models trained once across all training series before any series is forecast, so only
     * {@code evaluate}, which holds the whole training set, offers them.
     */
    static final List<String> GLOBAL = List.of("auto+lstm", "lstm", "auto+ar", "auto+lstm+ar", "global-ar");

    private ModelNames() {
    }

    /** Whether the name is one of the {@link #GLOBAL} models. */
    static boolean isGlobal(String name) {
        return GLOBAL.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The forecaster for a name, knowing the horizon that will be forecast: {@code auto} cross-validates
     * at that horizon; the other models do not use it.
     */
    static Forecaster forecaster(String name, List<Integer> periods, int horizon) {
        return Forecasters.byName(name, CrossValidation.of(horizon), periods.stream().mapToInt(Integer::intValue).toArray());
    }

    static List<String> names() {
        return Forecasters.names();
    }

    /** The models {@code evaluate} takes: every model name, then the {@link #GLOBAL} ones. */
    static List<String> evaluateNames() {
        List<String> all = new java.util.ArrayList<>(names());
        all.addAll(GLOBAL);
        return all;
    }

    /** Completion candidates of {@code evaluate}: {@link #evaluateNames()}. */
    static final class EvaluateCandidates implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return evaluateNames().iterator();
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
