package io.fleetpredict.forecast;

import java.util.Locale;
import org.apache.commons.math3.special.Erf;

/** Symmetric Gaussian prediction intervals around point forecasts, as most analytic models give them. */
final class NormalIntervals {

    private NormalIntervals() {
    }

    /**
     * The standard normal quantile for a two-sided interval of the given coverage.
     *
     * @param level coverage in percent, in (0, 100)
     */
    static double z(double level) {
        if (!(level > 0 && level < 100)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "level must be in (0, 100) percent, was %s", level));
        }
        // Phi^{-1}((1 + p) / 2) = sqrt(2) * erfinv(p)
        return Math.sqrt(2) * Erf.erfInv(level / 100);
    }

    static Forecast build(String model, TimeSeries history, double[] mean, double[] sd, double... levels) {
        Forecast.Builder b = Forecast.builder(model, history.end(), history.step(), mean);
        for (double level : levels) {
            double z = z(level);
            double[] lo = new double[mean.length];
            double[] hi = new double[mean.length];
            for (int h = 0; h < mean.length; h++) {
                lo[h] = mean[h] - z * sd[h];
                hi[h] = mean[h] + z * sd[h];
            }
            b.interval(level, lo, hi);
        }
        return b.build();
    }

    /**
     * The standard deviation per step that a forecast's widest interval implies if it is normal, as R's
     * {@code InvBoxCox} reads the forecast variance from an interval.
     */
    static double[] impliedSd(Forecast f) {
        double[] levels = f.levels();
        double widest = levels[levels.length - 1];
        double z = z(widest);
        double[] lo = f.lower(widest);
        double[] hi = f.upper(widest);
        double[] sd = new double[lo.length];
        for (int t = 0; t < sd.length; t++) {
            sd[t] = (hi[t] - lo[t]) / (2 * z);
        }
        return sd;
    }

    static int requireHorizon(int horizon) {
        if (horizon < 1 || horizon > Forecast.MAX_HORIZON) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "horizon must be from 1 to %d steps, was %d",
                    Forecast.MAX_HORIZON, horizon));
        }
        return horizon;
    }
}
