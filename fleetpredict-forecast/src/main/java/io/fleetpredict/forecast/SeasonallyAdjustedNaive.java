package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The M4 competition's Naive2 benchmark: when a 90% one-sided autocorrelation test finds seasonality
 * at the period, the series is divided by the figures of a classical multiplicative decomposition, the
 * adjusted series is forecast by the random walk, and the forecasts are multiplied back. Otherwise it
 * is the random walk. The intervals are the random walk's on the adjusted series, scaled the same way.
 */
final class SeasonallyAdjustedNaive extends AbstractFittedModel {

    /** The specification: Naive2 with a seasonal period. */
    record Spec(int period) implements Forecaster {
        Spec {
            Forecasters.requirePeriod(period);
        }

        @Override
        public String name() {
            return "naive2(" + period + ")";
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
        }

        /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
        private FittedModel fitInUnit(TimeSeries series) {
            if (series.size() < 2) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "%s needs at least 2 observations, got %d", name(), series.size()));
            }
            double[] x = series.values();
            String note;
            double[] figure = null;
            if (period == 1) {
                note = "no period";
            } else if (x.length < 3L * period) {
                note = "not tested for seasonality: fewer than three periods";
            } else if (!ClassicalDecomposition.isSeasonal(x, period, ClassicalDecomposition.M4_CRITICAL_VALUE)) {
                note = "not seasonal at lag " + period;
            } else if (!allPositive(x)) {
                note = "seasonal but not adjusted: a multiplicative decomposition needs positive values";
            } else {
                figure = ClassicalDecomposition.of(x, period, true).figure();
                note = "seasonally adjusted, classical multiplicative decomposition";
            }
            if (figure == null) {
                figure = new double[] {1};
            }
            double[] adjusted = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                adjusted[i] = x[i] / figure[i % figure.length];
            }
            double ss = 0;
            for (int i = 1; i < x.length; i++) {
                double r = adjusted[i] - adjusted[i - 1];
                ss += r * r;
            }
            return new SeasonallyAdjustedNaive(this, series, figure, adjusted[x.length - 1], ss, x.length - 1, note);
        }
    }

    private static boolean allPositive(double[] x) {
        for (double v : x) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    private final Spec spec;
    /** Seasonal indices by position {@code i mod figure.length} from the start; {@code {1}} if none. */
    private final double[] figure;
    private final double lastAdjusted;
    private final double sumSquares;
    private final long residuals;
    private final String note;

    private SeasonallyAdjustedNaive(Spec spec, TimeSeries history, double[] figure, double lastAdjusted,
            double sumSquares, long residuals, String note) {
        super(spec, history);
        this.spec = spec;
        this.figure = figure;
        this.lastAdjusted = lastAdjusted;
        this.sumSquares = sumSquares;
        this.residuals = residuals;
        this.note = note;
    }

    boolean seasonallyAdjusted() {
        return figure.length > 1;
    }

    private double sigma() {
        return Math.sqrt(sumSquares / residuals);
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%s (%s) sigma=%.6g", spec.name(), note, sigma());
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("seasonal", seasonallyAdjusted() ? 1.0 : 0.0);
        p.put("sigma", sigma());
        return Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        int n = history.size();
        double sigma = sigma();
        Forecast.Builder b;
        double[] mean = new double[horizon];
        double[] index = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            index[h] = figure[(n + h) % figure.length];
            mean[h] = lastAdjusted * index[h];
        }
        b = Forecast.builder(spec.name(), history.end(), history.step(), mean);
        for (double level : levels) {
            double z = NormalIntervals.z(level);
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                double half = z * sigma * Math.sqrt(h + 1);
                lo[h] = (lastAdjusted - half) * index[h];
                hi[h] = (lastAdjusted + half) * index[h];
            }
            b.interval(level, lo, hi);
        }
        return b.build();
    }

    @Override
    public FittedModel update(TimeSeries next) {
        if (next.isEmpty()) {
            return this;
        }
        TimeSeries extended = history.append(next);
        double last = lastAdjusted;
        double ss = sumSquares;
        long count = residuals;
        for (int i = history.size(); i < extended.size(); i++) {
            double adjusted = extended.get(i) / figure[i % figure.length];
            ss += (adjusted - last) * (adjusted - last);
            count++;
            last = adjusted;
        }
        return new SeasonallyAdjustedNaive(spec, extended, figure, last, ss, count, note);
    }
}
