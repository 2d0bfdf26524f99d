package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Multiple seasonal-trend decomposition by loess (Bandara, Hyndman and Bergmeir 2021, "MSTL: A
 * seasonal-trend decomposition algorithm for time series with multiple seasonal patterns"), as R's
 * {@code forecast::mstl} computes it, with forecasts composed as {@code forecast::forecast.stl} does.
 *
 * <p>Decomposition: periods ascending; two passes in which each period in turn is added back to the
 * deseasonalised series and re-estimated by {@link Stl} with seasonal window {@code 7 + 4i} for the
 * {@code i}-th period (1-based); the trend is that of the last STL fit. Periods with fewer than two full
 * cycles ({@code 2 * period >= n}) are dropped first, as R drops them; period 1 carries no seasonality
 * and is ignored.
 *
 * <p>Forecast: each seasonal component repeats its last cycle (seasonal naive); the seasonally adjusted
 * series (trend plus remainder) is forecast by the non-seasonal model, and its point forecasts and
 * interval bounds are shifted by the sum of the seasonal forecasts.
 */
final class Mstl implements Forecaster {

    static final int ITERATIONS = 2;

    private final Forecaster nonSeasonal;
    private final int[] periods;

    Mstl(Forecaster nonSeasonal, int... periods) {
        if (nonSeasonal == null) {
            throw new NullPointerException("nonSeasonal");
        }
        this.nonSeasonal = nonSeasonal;
        this.periods = distinctAscending(periods);
    }

    /** The periods given, each at least 1, without repeats and ascending; at least one is required. */
    static int[] distinctAscending(int[] periods) {
        if (periods.length == 0) {
            throw new IllegalArgumentException("periods must name at least one seasonal period, was empty");
        }
        TreeSet<Integer> sorted = new TreeSet<>();
        for (int p : periods) {
            sorted.add(Forecasters.requirePeriod(p));
        }
        return sorted.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String name() {
        return "mstl(" + join(periods) + ")+" + nonSeasonal.name();
    }

    @Override
    public String toString() {
        return name();
    }

    static int seasonalWindow(int oneBasedIndex) {
        return 7 + 4 * oneBasedIndex;
    }

    /**
     * Decomposes a series on the given periods (ascending, each with more than two cycles in the data).
     */
    static Components decompose(double[] y, int[] kept) {
        return decompose(y, kept, false);
    }

    /**
     * As {@link #decompose(double[], int[])}, each STL pass robust to outliers when {@code robust} (R's
     * {@code mstl(x, robust = TRUE)}).
     */
    static Components decompose(double[] y, int[] kept, boolean robust) {
        if (kept.length == 0) {
            throw new IllegalArgumentException("MSTL decomposes on at least one period, got none");
        }
        int n = y.length;
        double[][] seasonal = new double[kept.length][n];
        double[] deseasonalised = y.clone();
        double[] trend = new double[n]; // replaced by each STL pass: the last pass's trend is the one kept
        for (int pass = 0; pass < ITERATIONS; pass++) {
            for (int i = 0; i < kept.length; i++) {
                for (int t = 0; t < n; t++) {
                    deseasonalised[t] += seasonal[i][t];
                }
                Stl.Decomposition d = Stl.builder(kept[i]).seasonalWindow(seasonalWindow(i + 1)).robust(robust).build()
                        .decompose(deseasonalised);
                seasonal[i] = d.seasonal();
                for (int t = 0; t < n; t++) {
                    deseasonalised[t] -= seasonal[i][t];
                }
                trend = d.trend();
            }
        }
        double[] remainder = new double[n];
        for (int t = 0; t < n; t++) {
            remainder[t] = deseasonalised[t] - trend[t];
        }
        return new Components(kept.clone(), trend, seasonal, remainder, deseasonalised);
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
    private FittedModel fitInUnit(TimeSeries series) {
        int n = series.size();
        List<String> notes = new ArrayList<>();
        int[] keptPeriods = periodsWithTwoCycles(periods, n, notes);
        if (keptPeriods.length == 0) {
            FittedModel alone = nonSeasonal.fit(series);
            notes.add("no seasonal period kept: non-seasonal model alone");
            return new Fitted(this, series, new int[0], new double[0][], alone, notes);
        }
        Components c = decompose(series.values(), keptPeriods);
        FittedModel adjusted = nonSeasonal.fit(TimeSeries.of(series.start(), series.step(),
                finite(name(), "the seasonally adjusted series", c.adjusted)));
        double[][] lastCycles = new double[keptPeriods.length][];
        for (int i = 0; i < keptPeriods.length; i++) {
            lastCycles[i] = Arrays.copyOfRange(c.seasonal[i], n - keptPeriods[i], n);
        }
        return new Fitted(this, series, keptPeriods, lastCycles, adjusted, notes);
    }

    /**
     * The values derived from a series for a model to fit, checked finite: values near the largest double
     * overflow in a decomposition or a regression, and the series of what is left would otherwise be refused
     * as holding a gap the caller never gave.
     */
    static double[] finite(String model, String what, double[] values) {
        for (int t = 0; t < values.length; t++) {
            if (!Double.isFinite(values[t])) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "%s: %s is %s at index %d (the series' values overflow a double)", model, what, values[t], t));
            }
        }
        return values;
    }

    /**
     * The periods a decomposition can estimate from {@code n} values: at least 2 and with two full cycles in the
     * data, as R keeps them; each period left out is noted with the reason.
     */
    static int[] periodsWithTwoCycles(int[] periods, int n, List<String> notes) {
        List<Integer> kept = new ArrayList<>();
        for (int p : periods) {
            if (p < 2) {
                notes.add("period 1 ignored: no seasonality");
            } else if (2L * p >= n) {
                notes.add(String.format(Locale.ROOT, "period %d dropped: fewer than two full cycles in %d observations", p, n));
            } else {
                kept.add(p);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The values with commas between them, as the models' names list their periods. */
    static String join(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The components of an MSTL decomposition; package-private and only read by tests and the fit. */
    static final class Components {
        final int[] periods;
        final double[] trend;
        final double[][] seasonal;
        final double[] remainder;
        final double[] adjusted;

        Components(int[] periods, double[] trend, double[][] seasonal, double[] remainder, double[] adjusted) {
            this.periods = periods;
            this.trend = trend;
            this.seasonal = seasonal;
            this.remainder = remainder;
            this.adjusted = adjusted;
        }
    }

    /** A fitted MSTL model: the last cycle of each seasonal component and the adjusted series' model. */
    static final class Fitted extends AbstractFittedModel implements PowerOfTwoUnit.Likelihood {
        private final Mstl spec;
        private final int[] kept;
        private final double[][] lastCycles;
        private final FittedModel adjusted;
        private final List<String> notes;

        Fitted(Mstl spec, TimeSeries history, int[] kept, double[][] lastCycles, FittedModel adjusted,
                List<String> notes) {
            super(spec, history);
            this.spec = spec;
            this.kept = kept;
            this.lastCycles = lastCycles;
            this.adjusted = adjusted;
            this.notes = List.copyOf(notes);
        }

        @Override
        public String description() {
            StringBuilder sb = new StringBuilder();
            if (kept.length > 0) {
                int[] windows = new int[kept.length];
                for (int i = 0; i < kept.length; i++) {
                    windows[i] = seasonalWindow(i + 1);
                }
                sb.append(String.format(Locale.ROOT, "MSTL periods %s (s.window %s, %d iterations)",
                        join(kept), join(windows), ITERATIONS));
            } else {
                sb.append("MSTL without seasonal periods");
            }
            for (String note : notes) {
                sb.append("; ").append(note);
            }
            sb.append("; seasonally adjusted: ").append(adjusted.description());
            return sb.toString();
        }

        @Override
        public int likelihoodObservations(String key) {
            return key.startsWith("adjusted.") && adjusted instanceof PowerOfTwoUnit.Likelihood l
                    ? l.likelihoodObservations(key.substring("adjusted.".length())) : -1;
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            for (int i = 0; i < kept.length; i++) {
                p.put("s.window." + kept[i], (double) seasonalWindow(i + 1));
            }
            adjusted.parameters().forEach((k, v) -> p.put("adjusted." + k, v));
            return Collections.unmodifiableMap(p);
        }

        private double seasonalAhead(int h) {
            double s = 0;
            for (int i = 0; i < kept.length; i++) {
                s += lastCycles[i][h % kept[i]];
            }
            return s;
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            double[] seasonal = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                seasonal[h] = seasonalAhead(h);
            }
            return adjusted.forecast(horizon, levels).shifted(seasonal, description());
        }

        /**
         * Extends each seasonal component by its last cycle (the seasonal naive forecast, not a
         * re-estimate) and updates the adjusted model with the new observations minus those seasonal
         * values. The decomposition itself, and the periods kept, change only on a refit.
         */
        @Override
        public FittedModel update(TimeSeries next) {
            TimeSeries extended = history.append(next);
            int k = next.size();
            double[] adjustedNext = next.values();
            for (int j = 0; j < k; j++) {
                adjustedNext[j] -= seasonalAhead(j);
            }
            double[][] rolled = new double[kept.length][];
            for (int i = 0; i < kept.length; i++) {
                int p = kept[i];
                rolled[i] = new double[p];
                for (int j = 0; j < p; j++) {
                    rolled[i][j] = lastCycles[i][(j + k) % p];
                }
            }
            FittedModel updated = adjusted.update(TimeSeries.of(next.start(), next.step(), adjustedNext));
            return new Fitted(spec, extended, kept, rolled, updated, notes);
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
