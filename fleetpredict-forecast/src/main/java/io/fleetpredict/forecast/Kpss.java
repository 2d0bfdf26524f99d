package io.fleetpredict.forecast;

/**
 * The KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt and Shin 1992) as computed by
 * {@code urca::ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(n) / 13))}, the call forecast's
 * {@code ndiffs} makes: residuals from the mean, their partial sums, and a Bartlett-weighted long-run
 * variance.
 */
final class Kpss {

    /** urca's 5% critical value for the level ("mu") test; a larger statistic rejects stationarity. */
    static final double CRITICAL_5PCT = 0.463;

    private Kpss() {
    }

    /** The lag truncation ndiffs uses. */
    static int lags(int n) {
        return (int) (3 * Math.sqrt(n) / 13);
    }

    static double statistic(double[] x) {
        return statistic(x, lags(x.length));
    }

    static double statistic(double[] x, int lags) {
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double[] e = new double[n];
        double s = 0;
        double numerator = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            e[i] = x[i] - mean;
            s += e[i];
            numerator += s * s;
            s2 += e[i] * e[i];
        }
        numerator /= (double) n * n;
        s2 /= n;
        double longRun = s2;
        for (int l = 1; l <= lags; l++) {
            double cov = 0;
            for (int t = l; t < n; t++) {
                cov += e[t] * e[t - l];
            }
            longRun += 2.0 / n * (1 - l / (lags + 1.0)) * cov;
        }
        return numerator / longRun;
    }

    /** Whether the test rejects level stationarity at 5%, i.e. the series wants a difference. */
    static boolean rejectsStationarity(double[] x) {
        return statistic(x) > CRITICAL_5PCT;
    }

    /**
     * The number of first differences (0 to {@code maxD}) after which KPSS no longer rejects, as forecast's
     * {@code ndiffs(x, test = "kpss")}.
     */
    static int differences(double[] x, int maxD) {
        return differences(x, maxD, 0);
    }

    /**
     * As {@link #differences(double[], int)} for a series derived from one of mean absolute value
     * {@code magnitude} (see {@link Constancy#isConstant(double[], double)}); the differences are judged
     * against the larger of that and the magnitude of {@code x}, as rounding in them is rounding of {@code x}.
     */
    static int differences(double[] x, int maxD, double magnitude) {
        double reference = Math.max(magnitude, Constancy.magnitude(x));
        if (Constancy.isConstant(x, magnitude)) {
            return 0;
        }
        int d = 0;
        double[] w = x;
        boolean diff = rejectsStationarity(w);
        while (diff && d < maxD) {
            d++;
            double[] next = new double[w.length - 1];
            for (int i = 0; i < next.length; i++) {
                next[i] = w[i + 1] - w[i];
            }
            w = next;
            if (w.length < 2 || Constancy.isConstant(w, reference)) {
                return d;
            }
            diff = rejectsStationarity(w);
        }
        return d;
    }
}
