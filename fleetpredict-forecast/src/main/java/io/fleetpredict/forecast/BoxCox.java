package io.fleetpredict.forecast;

import java.util.Locale;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * The Box-Cox power transformation {@code (x^lambda - 1) / lambda} ({@code log x} at {@code lambda = 0}),
 * its inverse with R's bias adjustment, and Guerrero's (1993) choice of {@code lambda}, all as R's
 * {@code forecast::BoxCox}, {@code InvBoxCox} and {@code BoxCox.lambda(method = "guerrero")} compute them.
 */
final class BoxCox {

    /** R's {@code optimize} tolerance, {@code .Machine$double.eps^0.25}; its C code uses a third of it absolutely. */
    private static final double R_OPTIMIZE_TOLERANCE = Math.pow(Math.ulp(1.0), 0.25);

    private static final double BRENT_RELATIVE = Math.sqrt(Math.ulp(1.0));
    private static final double BRENT_ABSOLUTE = R_OPTIMIZE_TOLERANCE / 3;

    private BoxCox() {
    }

    /** The transformed value; {@code x} must be positive, or at least 0 when {@code lambda > 0}. */
    static double forward(double x, double lambda) {
        return lambda == 0 ? Math.log(x) : (Math.signum(x) * Math.pow(Math.abs(x), lambda) - 1) / lambda;
    }

    /**
     * The inverse of {@link #forward}, without bias adjustment: the back-transformed median (and, applied
     * to a quantile of the transformed forecast, the same quantile on the original scale). Beyond the
     * pole of a negative {@code lambda} ({@code y >= -1 / lambda}) the result is infinite.
     */
    static double inverse(double y, double lambda) {
        if (lambda == 0) {
            return Math.exp(y);
        }
        double xx = y * lambda + 1;
        if (lambda < 0 && xx <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.signum(xx) * Math.pow(Math.abs(xx), 1 / lambda);
    }

    /**
     * The back-transformed mean, as R's {@code InvBoxCox(y, lambda, biasadj = TRUE, fvar)}: the median
     * {@code x} times {@code 1 + fvar (1 - lambda) / (2 x^(2 lambda))}, a second-order Taylor expansion of
     * the inverse about the transformed mean, whose variance on the transformed scale is {@code fvar}.
     * Where the median is negative (a forecast below {@code -1/lambda}, {@code lambda > 0}) the same
     * expansion of the sign-preserving {@link #inverse} has {@code |x|^(2 lambda)} in the denominator; R's
     * formula takes a negative number to a fractional power there and gives NaN.
     *
     * <p>At a median of exactly 0 the mean is 0: for {@code lambda > 0} that is the pole {@code y = -1/lambda},
     * about which the sign-preserving inverse is odd, so a transformed distribution symmetric about it has
     * mean 0 on the original scale (and the expansion's term {@code sign(x) |x|^(1 - 2 lambda)} is 0 there);
     * for {@code lambda <= 0} it is an underflow of a mean below the smallest double. The formula itself would
     * give {@code 0 * (0/0)} or {@code 0 * infinity}.
     */
    static double inverseMean(double y, double fvar, double lambda) {
        double x = inverse(y, lambda);
        if (x == 0) {
            return 0;
        }
        return x * (1 + 0.5 * fvar * (1 - lambda) / Math.pow(Math.abs(x), 2 * lambda));
    }

    /**
     * Whether a {@code lambda} found by {@link #guerrero} with its search raised to a lower limit of 0 is that
     * limit, the logarithm, at the search's resolution: within the absolute tolerance Brent's method works to
     * there. Such a lambda stands for the log, whose domain holds no 0, though its value is a hair above 0.
     */
    static boolean atLogResolution(double lambda) {
        // Brent's method stops once its bracket is within twice its tolerance of the point; at 0 the relative
        // part of the tolerance vanishes and the absolute part is left.
        return lambda < 2 * BRENT_ABSOLUTE;
    }

    /**
     * Guerrero's {@code lambda}: the value in {@code [lower, upper]} that minimises the coefficient of
     * variation of {@code sd_i / mean_i^(1 - lambda)} over the consecutive non-overlapping subseries of
     * length {@code max(2, period)} that end at the last observation, found by Brent's method with R's
     * {@code optimize} tolerance. As R, the lower limit is raised to 0 when a value is not positive.
     *
     * @throws IllegalArgumentException if fewer than two subseries fit in the data
     */
    static double guerrero(double[] x, int period, double lower, double upper) {
        int length = Math.max(2, period);
        int groups = x.length / length;
        if (groups < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "Guerrero's lambda needs two subseries of %d values, had %d values", length, x.length));
        }
        double lo = lower;
        for (double v : x) {
            if (v <= 0) {
                lo = Math.max(lower, 0);
                break;
            }
        }
        double[] means = new double[groups];
        double[] sds = new double[groups];
        int offset = x.length - groups * length;
        for (int g = 0; g < groups; g++) {
            double m = 0;
            for (int i = 0; i < length; i++) {
                m += x[offset + g * length + i];
            }
            m /= length;
            double ss = 0;
            for (int i = 0; i < length; i++) {
                double d = x[offset + g * length + i] - m;
                ss += d * d;
            }
            means[g] = m;
            sds[g] = Math.sqrt(ss / (length - 1));
        }
        if (lo >= upper) {
            return lo;
        }
        BrentOptimizer brent = new BrentOptimizer(BRENT_RELATIVE, BRENT_ABSOLUTE);
        return brent.optimize(new MaxEval(1000), GoalType.MINIMIZE, new SearchInterval(lo, upper),
                new UnivariateObjectiveFunction(lambda -> variation(means, sds, lambda))).getPoint();
    }

    /** The coefficient of variation of {@code sd / mean^(1 - lambda)}; NaN ratios are left out, as R does. */
    private static double variation(double[] means, double[] sds, double lambda) {
        double sum = 0;
        int k = 0;
        double[] ratio = new double[means.length];
        for (int g = 0; g < means.length; g++) {
            double r = sds[g] / Math.pow(means[g], 1 - lambda);
            if (!Double.isNaN(r)) {
                ratio[k++] = r;
                sum += r;
            }
        }
        if (k < 2) {
            return Double.MAX_VALUE;
        }
        double mean = sum / k;
        double ss = 0;
        for (int i = 0; i < k; i++) {
            ss += (ratio[i] - mean) * (ratio[i] - mean);
        }
        double cv = Math.sqrt(ss / (k - 1)) / mean;
        return Double.isNaN(cv) ? Double.MAX_VALUE : cv;
    }
}
