package io.fleetpredict.forecast;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The naive forecast at a lag: the value one lag back repeats. Lag 1 is the random walk, lag m the
 * seasonal naive. Intervals are those of R's {@code forecast::naive} and {@code forecast::snaive}:
 * {@code sigma * sqrt(k + 1)} with {@code k = floor((h - 1) / lag)}, where {@code sigma^2} is the mean
 * of the squared in-sample residuals {@code y_t - y_{t-lag}}.
 */
final class LagWalk extends AbstractFittedModel {

    /** The specification: naive at a lag. */
    record Spec(int lag) implements Forecaster {
        Spec {
            if (lag < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "lag must be at least 1, was %d", lag));
            }
        }

        @Override
        public String name() {
            return lag == 1 ? "naive" : "snaive(" + lag + ")";
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
        }

        /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
        private FittedModel fitInUnit(TimeSeries series) {
            if (series.size() <= lag) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "%s needs at least %d observations (one lag plus one, to estimate the residual spread), got %d",
                        name(), lag + 1L, series.size()));
            }
            return new LagWalk(this, series.head(0), new double[0], 0, 1, 0).absorb(series);
        }
    }

    private final Spec spec;
    /** The last {@code lag} observations, oldest first (fewer while the history is shorter). */
    private final double[] lastLag;
    /**
     * The sum of squared residuals in units of {@code scale^2}: {@code scale} is a power of two, 1 unless a residual
     * is so large that its square could overflow a double, so that the sum stays finite for any finite spread.
     */
    private final double sumSquares;
    private final double scale;
    private final long residuals;

    private LagWalk(Spec spec, TimeSeries history, double[] lastLag, double sumSquares, double scale, long residuals) {
        super(spec, history);
        this.spec = spec;
        this.lastLag = lastLag;
        this.sumSquares = sumSquares;
        this.scale = scale;
        this.residuals = residuals;
    }

    private LagWalk absorb(TimeSeries next) {
        int lag = spec.lag();
        TimeSeries extended = history.isEmpty() ? next : history.append(next);
        double[] all = extended.values();
        double ss = sumSquares;
        double sc = scale;
        long count = residuals;
        for (int t = Math.max(history.size(), lag); t < all.length; t++) {
            double r = all[t] - all[t - lag];
            if (Math.abs(r) / sc > 0x1p500 && Double.isFinite(r)) {
                // Rescaling by powers of two is exact; a square up to 2^1000 leaves room for 2^20 more.
                double wider = Math.scalb(1.0, Math.getExponent(r));
                ss *= (sc / wider) * (sc / wider);
                sc = wider;
            }
            ss += (r / sc) * (r / sc);
            count++;
        }
        double[] last = Arrays.copyOfRange(all, Math.max(0, all.length - lag), all.length);
        return new LagWalk(spec, extended, last, ss, sc, count);
    }

    double sigma() {
        return Math.sqrt(sumSquares / residuals) * scale;
    }

    @Override
    public String description() {
        return String.format(Locale.ROOT, "%s sigma=%.6g", spec.name(), sigma());
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("sigma", sigma());
        return java.util.Collections.unmodifiableMap(p);
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        int lag = spec.lag();
        double sigma = sigma();
        double[] mean = new double[horizon];
        double[] sd = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            mean[h] = lastLag[h % lag];
            sd[h] = sigma * Math.sqrt(h / lag + 1);
        }
        return NormalIntervals.build(spec.name(), history, mean, sd, levels);
    }

    @Override
    public FittedModel update(TimeSeries next) {
        return next.isEmpty() ? this : absorb(next);
    }
}
