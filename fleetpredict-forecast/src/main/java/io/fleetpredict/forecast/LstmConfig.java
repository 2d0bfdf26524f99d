package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture and training settings of an LSTM forecaster.
 *
 * <p>The network reads the last {@code inputWindow} values of a series, {@code chunk} values per
 * recurrent step (so the recurrence runs {@code inputWindow / chunk} steps), through {@code layers}
 * stacked LSTM layers of {@code hiddenSize} cells, and a dense head outputs every quantile of every step
 * of the {@code horizon} at once. Each window is normalised on its own: values are divided by the mean
 * absolute value of the window's last {@code max(seasonalPeriod, chunk)} values (the level) and the average
 * within-cycle shape of the window's cycles is subtracted, so series of very different scales share one model; forecasts are mapped
 * back with the same level and shape.
 *
 * <p>Quantile levels come in symmetric pairs around the median, which must be present: the median is the
 * point forecast and a pair {@code (p, 1 - p)} gives the {@code 100 (1 - 2p)} percent interval.
 *
 * @param inputWindow values of recent history the network reads, a multiple of {@code chunk} and of
 *     {@code seasonalPeriod}
 * @param horizon steps forecast at once
 * @param seasonalPeriod the cycle used for the per-window level and shape, 1 for none
 * @param chunk consecutive values fed to the network per recurrent step
 * @param hiddenSize LSTM cells per layer
 * @param layers stacked LSTM layers, 1 or 2
 * @param quantiles the trained quantile probabilities, ascending, containing 0.5, symmetric around it
 * @param calendarFeatures whether each step also receives hour of day and day of week as sine and cosine
 * @param learningRate the Adam step size
 * @param batchSize windows per mini-batch
 * @param maxEpochs the most passes over the training windows
 * @param windowsPerEpoch windows drawn (without replacement, freshly shuffled) per epoch; 0 for all
 * @param patience epochs without a better validation loss before training stops
 * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it
 * @param validationShare share of each series' most recent windows held out for early stopping, in
 *     [0, 0.5)
 * @param seed the seed of the initial weights and of the shuffling; equal seeds give equal weights
 */
public record LstmConfig(
        int inputWindow,
        int horizon,
        int seasonalPeriod,
        int chunk,
        int hiddenSize,
        int layers,
        List<Double> quantiles,
        boolean calendarFeatures,
        double learningRate,
        int batchSize,
        int maxEpochs,
        int windowsPerEpoch,
        int patience,
        double clipNorm,
        double validationShare,
        long seed) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public LstmConfig {
        positive("inputWindow", inputWindow);
        positive("horizon", horizon);
        positive("seasonalPeriod", seasonalPeriod);
        positive("chunk", chunk);
        positive("hiddenSize", hiddenSize);
        if (layers < 1 || layers > 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "layers must be 1 or 2, was %d", layers));
        }
        if (inputWindow % chunk != 0 || inputWindow % seasonalPeriod != 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "inputWindow must be a multiple of chunk and of seasonalPeriod, was %d (chunk %d, seasonalPeriod %d)",
                    inputWindow, chunk, seasonalPeriod));
        }
        quantiles = List.copyOf(quantiles);
        checkQuantiles(quantiles);
        if (!(learningRate > 0 && learningRate < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "learningRate must be in (0, 1), was %s", learningRate));
        }
        positive("batchSize", batchSize);
        positive("maxEpochs", maxEpochs);
        if (windowsPerEpoch < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "windowsPerEpoch must be 0 (all) or positive, was %d", windowsPerEpoch));
        }
        positive("patience", patience);
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "clipNorm must be positive and finite, was %s", clipNorm));
        }
        if (!(validationShare >= 0 && validationShare < 0.5)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "validationShare must be in [0, 0.5), was %s", validationShare));
        }
    }

    /**
     * Starts from the defaults: an hourly window of one week read a day per step, a two-day horizon,
     * one layer of 48 cells, quantiles 0.025, 0.1, 0.5, 0.9 and 0.975 (the 80 and 95 percent intervals),
     * calendar features, Adam at 0.003, batches of 64, at most 30 epochs with patience 4, clipping at
     * norm 5, 10 percent validation, seed 42.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts from the settings that reached OWA 0.503 on the M4 hourly series (the benchmarks'
     * {@code M4HourlyLstmEvaluation}, {@code fleetpredict-bench/results/lstm.md}), scaled to a seasonal period: a window of seven
     * periods read one period per step (without seasonality, 56 values read 8 per step), one layer of 48 cells,
     * at most 20 epochs of 40,000 windows, batches of 64, Adam at 0.003, patience 4, calendar features, seed
     * 42. Any setting can still be changed on the builder.
     *
     * @param seasonalPeriod the seasonal period in steps, at least 1 (1 for none), at most a seventh of
     *     {@code Integer.MAX_VALUE} (the window holds seven periods)
     * @param horizon the steps forecast, at least 1
     * @return a builder holding those settings
     * @throws IllegalArgumentException if the period is below 1 or too long for a window of seven periods
     */
    public static Builder tuned(int seasonalPeriod, int horizon) {
        positive("seasonalPeriod", seasonalPeriod);
        if (seasonalPeriod > Integer.MAX_VALUE / 7) {
            // Seven periods would overflow the window's int and read as a negative window.
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seasonalPeriod %d is too long for a window of seven periods: at most %d", seasonalPeriod,
                    Integer.MAX_VALUE / 7));
        }
        return new Builder()
                .inputWindow(seasonalPeriod > 1 ? 7 * seasonalPeriod : 56)
                .chunk(seasonalPeriod > 1 ? seasonalPeriod : 8)
                .seasonalPeriod(seasonalPeriod)
                .horizon(horizon)
                .hiddenSize(48)
                .layers(1)
                .maxEpochs(20)
                .windowsPerEpoch(40_000)
                .batchSize(64)
                .learningRate(0.003)
                .patience(4)
                .seed(42)
                .calendarFeatures(true);
    }

    /**
     * The interval levels the quantiles provide, in percent, ascending.
     *
     * @return the levels
     */
    public List<Double> levels() {
        List<Double> levels = new ArrayList<>();
        for (int i = quantiles.size() / 2 - 1; i >= 0; i--) {
            levels.add(levelOf(quantiles.get(i)));
        }
        return List.copyOf(levels);
    }

    static double levelOf(double lowerQuantile) {
        return Math.round((100 - 200 * lowerQuantile) * 1e9) / 1e9;
    }

    private static void checkQuantiles(List<Double> q) {
        int n = q.size();
        if (n % 2 == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "quantiles must be the median and symmetric pairs around it, was %s", q));
        }
        for (int i = 0; i < n; i++) {
            double p = q.get(i);
            if (!(p > 0 && p < 1) || (i > 0 && !(p > q.get(i - 1)))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "quantiles must be ascending and in (0, 1), was %s", q));
            }
            if (Math.abs(p + q.get(n - 1 - i) - 1) > 1e-9) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "quantiles must be symmetric around 0.5 (%s has no partner %s), was %s", p, 1 - p, q));
            }
        }
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be at least 1, was %d", name, value));
        }
    }

    /** Collects the settings of an {@link LstmConfig}, starting from the defaults of {@link #builder()}. */
    public static final class Builder {
        private int inputWindow = 168;
        private int horizon = 48;
        private int seasonalPeriod = 24;
        private int chunk = 24;
        private int hiddenSize = 48;
        private int layers = 1;
        private List<Double> quantiles = List.of(0.025, 0.1, 0.5, 0.9, 0.975);
        private boolean calendarFeatures = true;
        private double learningRate = 0.003;
        private int batchSize = 64;
        private int maxEpochs = 30;
        private int windowsPerEpoch;
        private int patience = 4;
        private double clipNorm = 5;
        private double validationShare = 0.1;
        private long seed = 42;

        private Builder() {
        }

        /**
         * @param v values of history read
         * @return this builder
         */
        public Builder inputWindow(int v) {
            inputWindow = v;
            return this;
        }

        /**
         * @param v steps forecast
         * @return this builder
         */
        public Builder horizon(int v) {
            horizon = v;
            return this;
        }

        /**
         * @param v the normalisation cycle, 1 for none
         * @return this builder
         */
        public Builder seasonalPeriod(int v) {
            seasonalPeriod = v;
            return this;
        }

        /**
         * @param v values per recurrent step
         * @return this builder
         */
        public Builder chunk(int v) {
            chunk = v;
            return this;
        }

        /**
         * @param v cells per layer
         * @return this builder
         */
        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        /**
         * @param v layers, 1 or 2
         * @return this builder
         */
        public Builder layers(int v) {
            layers = v;
            return this;
        }

        /**
         * @param v the quantile probabilities: the median and symmetric pairs, ascending
         * @return this builder
         */
        public Builder quantiles(double... v) {
            List<Double> q = new ArrayList<>();
            for (double p : v) {
                q.add(p);
            }
            quantiles = q;
            return this;
        }

        /**
         * @param v whether to feed hour of day and day of week
         * @return this builder
         */
        public Builder calendarFeatures(boolean v) {
            calendarFeatures = v;
            return this;
        }

        /**
         * @param v the Adam step size
         * @return this builder
         */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /**
         * @param v windows per mini-batch
         * @return this builder
         */
        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        /**
         * @param v the most epochs
         * @return this builder
         */
        public Builder maxEpochs(int v) {
            maxEpochs = v;
            return this;
        }

        /**
         * @param v windows per epoch, 0 for all
         * @return this builder
         */
        public Builder windowsPerEpoch(int v) {
            windowsPerEpoch = v;
            return this;
        }

        /**
         * @param v epochs without improvement before stopping
         * @return this builder
         */
        public Builder patience(int v) {
            patience = v;
            return this;
        }

        /**
         * @param v the largest gradient norm
         * @return this builder
         */
        public Builder clipNorm(double v) {
            clipNorm = v;
            return this;
        }

        /**
         * @param v share of recent windows held out, in [0, 0.5)
         * @return this builder
         */
        public Builder validationShare(double v) {
            validationShare = v;
            return this;
        }

        /**
         * @param v the seed
         * @return this builder
         */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the first setting out of range
         */
        public LstmConfig build() {
            return new LstmConfig(inputWindow, horizon, seasonalPeriod, chunk, hiddenSize, layers, quantiles,
                    calendarFeatures, learningRate, batchSize, maxEpochs, windowsPerEpoch, patience, clipNorm,
                    validationShare, seed);
        }
    }
}
