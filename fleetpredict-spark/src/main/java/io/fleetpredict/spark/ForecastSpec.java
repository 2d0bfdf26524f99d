package io.fleetpredict.spark;

import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What to forecast for every series of a Dataset: the model and its fallbacks, the horizon, the quantiles,
 * the seasonal period that scales MASE, how the series are read (step, gaps, regressor columns) and how many
 * partitions the work is spread over. Immutable and serialisable; built with {@link #builder}.
 */
public final class ForecastSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ModelSource model;
    private final ModelSource[] fallbacks;
    private final int horizon;
    private final double[] quantiles;
    private final int period;
    /** Null: inferred per series. */
    private final @Nullable Duration step;
    private final GapPolicy gapPolicy;
    private final String[] regressors;
    private final int partitions;
    /** How a message tells its reader to set the step: {@link #STEP_ADVICE}, or the job's option. */
    private final String stepAdvice;

    /** How a message tells a user of this API to set the step. */
    static final String STEP_ADVICE = "set the step in the ForecastSpec";

    private ForecastSpec(Builder b) {
        this.stepAdvice = b.stepAdvice;
        this.model = b.model;
        this.horizon = b.horizon;
        this.quantiles = b.quantiles.clone();
        this.period = b.period;
        this.step = b.step;
        this.gapPolicy = b.gapPolicy;
        this.regressors = b.regressors.toArray(new String[0]);
        this.partitions = b.partitions;
        this.fallbacks = b.fallbacks != null ? b.fallbacks.toArray(new ModelSource[0]) : defaultFallbacks(period);
    }

    /**
     * Starts a spec for a model and a horizon. The defaults: quantiles 0.1 and 0.9 (the 80% interval),
     * seasonal period 1, the step inferred per series, gaps filled by {@link GapPolicy#LINEAR}, no regressors,
     * the fallbacks {@code snaive(period)} (when the period is above 1) then {@code naive}, and as many
     * partitions as the input has.
     *
     * @param model the model of every series
     * @param horizon the steps to forecast, at least 1
     * @return a builder
     */
    public static Builder builder(ModelSource model, int horizon) {
        return new Builder(model, horizon);
    }

    private static ModelSource[] defaultFallbacks(int period) {
        List<ModelSource> list = new ArrayList<>();
        if (period > 1) {
            list.add(ModelSource.of(() -> Forecasters.seasonalNaive(period)));
        }
        list.add(ModelSource.of(Forecasters::naive));
        return list.toArray(new ModelSource[0]);
    }

    /** @return the model of every series */
    public ModelSource model() {
        return model;
    }

    /** @return the models tried in order when the model fails on a series */
    public List<ModelSource> fallbacks() {
        return List.of(fallbacks);
    }

    /** @return how a message tells its reader to set the step */
    String stepAdvice() {
        return stepAdvice;
    }

    /** @return the steps forecast */
    public int horizon() {
        return horizon;
    }

    /** @return the quantiles in the output, ascending, each in (0, 1) */
    public List<Double> quantiles() {
        return Arrays.stream(quantiles).boxed().toList();
    }

    /** @return the seasonal period of the MASE scale (and of the default seasonal fallback) */
    public int period() {
        return period;
    }

    /** @return the time between observations, or empty when it is inferred per series */
    public Optional<Duration> step() {
        return Optional.ofNullable(step);
    }

    /** @return how missing observations inside a series are filled */
    public GapPolicy gapPolicy() {
        return gapPolicy;
    }

    /** @return the regressor columns, in order */
    public List<String> regressors() {
        return List.of(regressors);
    }

    /** @return the number of partitions the series are spread over; 0 for as many as the input has */
    public int partitions() {
        return partitions;
    }

    /**
     * The interval levels the quantiles need, in percent, ascending: {@code |200 p - 100|} for each quantile
     * other than the median.
     *
     * @return the levels
     */
    public double[] levels() {
        TreeSet<Double> levels = new TreeSet<>();
        for (double q : quantiles) {
            if (q != 0.5) {
                levels.add(Math.abs(200 * q - 100));
            }
        }
        return levels.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The interval whose coverage evaluation reports: the widest the quantiles give, or 95% when they give
     * none.
     *
     * @return the level in percent
     */
    public double coverageLevel() {
        double[] levels = levels();
        return levels.length == 0 ? 95 : levels[levels.length - 1];
    }

    /**
     * The output column of a quantile: {@code p} and the percentage, with an underscore for a decimal point
     * ({@code p10}, {@code p97_5}).
     *
     * @param quantile in (0, 1)
     * @return the column name
     */
    public static String quantileColumn(double quantile) {
        return "p" + BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros().toPlainString()
                .replace('.', '_');
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "ForecastSpec[model=%s, horizon=%d, quantiles=%s, period=%d, step=%s, gaps=%s, regressors=%s, "
                        + "fallbacks=%s, partitions=%d]",
                model, horizon, Arrays.toString(quantiles), period, step == null ? "inferred" : step, gapPolicy,
                Arrays.toString(regressors), Arrays.toString(fallbacks), partitions);
    }

    /** Collects the settings of a {@link ForecastSpec}. */
    public static final class Builder {
        private final ModelSource model;
        private final int horizon;
        private double[] quantiles = {0.1, 0.9};
        private int period = 1;
        private @Nullable Duration step;
        private String stepAdvice = STEP_ADVICE;
        private GapPolicy gapPolicy = GapPolicy.LINEAR;
        private List<String> regressors = List.of();
        private @Nullable List<ModelSource> fallbacks;
        private int partitions;

        private Builder(ModelSource model, int horizon) {
            this.model = Objects.requireNonNull(model, "model");
            if (horizon < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be at least 1, was %d",
                        horizon));
            }
            this.horizon = horizon;
        }

        /**
         * Sets the quantiles in the output; the median is the point forecast.
         *
         * @param values each in (0, 1), no duplicates
         * @return this builder
         */
        public Builder quantiles(double... values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < sorted.length; i++) {
                if (!(sorted[i] > 0 && sorted[i] < 1)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "quantiles must each be in (0, 1), was %s", sorted[i]));
                }
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "quantiles must differ, %s is given twice", sorted[i]));
                }
            }
            this.quantiles = sorted;
            return this;
        }

        /**
         * Sets the seasonal period of the MASE scale and of the default seasonal fallback.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder period(int value) {
            if (value < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d",
                        value));
            }
            this.period = value;
            return this;
        }

        /**
         * Sets the time between observations of every series, instead of inferring it per series as the
         * smallest gap between its timestamps.
         *
         * @param value positive
         * @return this builder
         */
        public Builder step(Duration value) {
            Objects.requireNonNull(value, "step");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("step must be positive, was " + value);
            }
            this.step = value;
            return this;
        }

        /** How a series' error row tells its reader to set the step; the job names its {@code --step}. */
        Builder stepAdvice(String advice) {
            this.stepAdvice = Objects.requireNonNull(advice, "advice");
            return this;
        }

        /**
         * Sets how missing observations (absent timestamps or null values inside a series) are filled.
         *
         * @param value the policy; {@link GapPolicy#REJECT} makes a series with a gap an error row
         * @return this builder
         */
        public Builder gapPolicy(GapPolicy value) {
            this.gapPolicy = Objects.requireNonNull(value, "gapPolicy");
            return this;
        }

        /**
         * Names the numeric regressor columns. The model must take regressors; a global model must be given
         * exactly those it was trained with, in the same order ({@link #build} checks). Each series then needs
         * their values over its history and over the {@code horizon} steps after it, given as rows after the last
         * observation whose {@code value} is null.
         *
         * @param columns the column names, distinct
         * @return this builder
         */
        public Builder regressors(String... columns) {
            LinkedHashSet<String> set = new LinkedHashSet<>(Arrays.asList(columns));
            if (set.size() != columns.length) {
                throw new IllegalArgumentException("regressors must be distinct, were " + Arrays.toString(columns));
            }
            for (String c : set) {
                if (c == null || c.isBlank() || SparkForecasting.INPUT_COLUMNS.contains(c)) {
                    throw new IllegalArgumentException("regressors must be other columns than "
                            + SparkForecasting.INPUT_COLUMNS + ", was '" + c + "'");
                }
            }
            this.regressors = List.copyOf(set);
            return this;
        }

        /**
         * Sets the models tried in order, without regressors, on a series where the model fails.
         *
         * @param values the fallbacks, possibly none
         * @return this builder
         */
        public Builder fallbacks(ModelSource... values) {
            this.fallbacks = List.of(values);
            return this;
        }

        /**
         * Sets how many partitions the series are spread over (hashed by series id).
         *
         * @param value at least 1, or 0 for as many as the input has
         * @return this builder
         */
        public Builder partitions(int value) {
            if (value < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "partitions must be 0 (as the input) or positive, was %d", value));
            }
            this.partitions = value;
            return this;
        }

        /**
         * Builds the spec.
         *
         * @return the spec
         * @throws IllegalArgumentException if regressors are named for a model that cannot take them, a global
         *     model was trained with other regressors than those named (or in another order), or a fallback is a
         *     global model trained with regressors, which a fallback is never given
         */
        public ForecastSpec build() {
            if (model.isGlobal()) {
                // A global LSTM reads its regressors by position and refuses any other list: with a mismatch
                // every series would go to a fallback, so the whole job is refused here instead.
                if (!regressors.equals(model.regressorNames())) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "%s was trained with regressors %s, the spec names %s: name the same columns in the "
                                    + "same order", model.name(), model.regressorNames(), regressors));
                }
            } else if (!regressors.isEmpty() && !model.create().acceptsRegressors()) {
                throw new IllegalArgumentException(model.name() + " cannot take regressors " + regressors);
            }
            if (fallbacks != null) {
                for (ModelSource f : fallbacks) {
                    if (!f.regressorNames().isEmpty()) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "fallback %s was trained with regressors %s, and fallbacks forecast without "
                                        + "regressors", f.name(), f.regressorNames()));
                    }
                }
            }
            return new ForecastSpec(this);
        }
    }
}
