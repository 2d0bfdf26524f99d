package io.fleetpredict.forecast;

/**
 * The innovations state-space recursions of ETS in error-correction form, exactly as R's
 * {@code forecast} package computes them ({@code etscalc}, {@code etsforecast}, {@code etssimulate}):
 * the state update given an observation is the same for additive and multiplicative errors; the error
 * type only changes the innovation and the likelihood.
 *
 * <p>States are laid out as R lays them out: {@code [l, b, s0, ..., s(m-1)]}, with {@code b} present
 * only for a trended model and {@code s0} the most recent seasonal state. Internally the seasonal
 * states live in a ring buffer, so one step costs O(1) whatever the period.
 */
final class EtsRecursion {

    private static final double TOL = 1.0e-10;
    private static final double HUGEN = 1.0e10;

    private final EtsSpec spec;
    private final int m;
    private final boolean trend;
    private final boolean season;
    private final boolean multSeason;
    private final boolean multError;

    // Working state; an instance is confined to one thread.
    private double level;
    private double slope;
    private final double[] ring;
    private int head;

    EtsRecursion(EtsSpec spec, int period) {
        this.spec = spec;
        this.m = spec.seasonal() ? period : 1;
        this.trend = spec.trended();
        this.season = spec.seasonal();
        this.multSeason = spec.season() == EtsSpec.Season.MULTIPLICATIVE;
        this.multError = spec.multiplicativeError();
        this.ring = new double[m];
    }

    static int stateSize(EtsSpec spec, int period) {
        return 1 + (spec.trended() ? 1 : 0) + (spec.seasonal() ? period : 0);
    }

    int period() {
        return m;
    }

    EtsSpec spec() {
        return spec;
    }

    void load(double[] state) {
        level = state[0];
        int k = 1;
        if (trend) {
            slope = state[k++];
        }
        if (season) {
            System.arraycopy(state, k, ring, 0, m);
            head = 0;
        }
    }

    double[] save() {
        double[] out = new double[1 + (trend ? 1 : 0) + (season ? m : 0)];
        out[0] = level;
        int k = 1;
        if (trend) {
            out[k++] = slope;
        }
        if (season) {
            for (int j = 0; j < m; j++) {
                out[k + j] = ring[(head + j) % m];
            }
        }
        return out;
    }

    /** The seasonal state {@code s(j)} of R's layout, {@code j} in [0, m). */
    private double seasonal(int j) {
        int idx = head + j;
        return ring[idx >= m ? idx - m : idx];
    }

    /**
     * The one-step-ahead point forecast from the current state.
     */
    double oneStep(EtsParameters p) {
        double q = trend ? level + p.phi() * slope : level;
        if (!season) {
            return q;
        }
        double s = seasonal(m - 1);
        return multSeason ? q * s : q + s;
    }

    /** Absorbs one observation: R's {@code update}. */
    void absorb(double y, EtsParameters p) {
        double alpha = p.alpha();
        double oldl = level;
        double phib = trend ? p.phi() * slope : 0;
        double q = oldl + phib;
        double sOld = season ? seasonal(m - 1) : 0;
        double pp;
        if (!season) {
            pp = y;
        } else if (!multSeason) {
            pp = y - sOld;
        } else {
            pp = Math.abs(sOld) < TOL ? HUGEN : y / sOld;
        }
        level = q + alpha * (pp - q);
        if (trend) {
            double r = level - oldl;
            slope = phib + (p.beta() / alpha) * (r - phib);
        }
        if (season) {
            double t;
            if (!multSeason) {
                t = y - q;
            } else {
                t = Math.abs(q) < TOL ? HUGEN : y / q;
            }
            // s(m-1) is the oldest; the new s0 takes its slot in the ring.
            int slot = head + m - 1;
            if (slot >= m) {
                slot -= m;
            }
            ring[slot] = sOld + p.gamma() * (t - sOld);
            head = slot;
        }
    }

    /**
     * Filters observations from the loaded state, accumulating the sum of squared innovations and of
     * {@code log|one-step forecast|}. Leaves the state after the last observation loaded.
     *
     * @param sums out: {@code [sum e^2, sum log|f|]} added to what it holds
     * @param residuals out, nullable: the innovations, from index {@code offset}
     * @return false if the forecast became non-finite (the parameters are unusable)
     */
    boolean filter(double[] y, int from, int to, EtsParameters p, double[] sums, double[] residuals, int offset) {
        double sse = 0;
        double logf = 0;
        for (int i = from; i < to; i++) {
            double f = oneStep(p);
            double e = multError ? (y[i] - f) / f : y[i] - f;
            if (!Double.isFinite(e)) {
                return false;
            }
            if (residuals != null) {
                residuals[offset + i - from] = e;
            }
            sse += e * e;
            if (multError) {
                logf += Math.log(Math.abs(f));
            }
            absorb(y[i], p);
        }
        sums[0] += sse;
        sums[1] += logf;
        return true;
    }

    /** R's concentrated likelihood criterion, {@code -2 loglik}: n log(sse) (+ 2 sum log|f|). */
    static double criterion(int n, double sse, double sumLogF, boolean multiplicativeError) {
        double lik = n * Math.log(sse);
        if (multiplicativeError) {
            lik += 2 * sumLogF;
        }
        return lik;
    }

    /**
     * Point forecasts from the loaded state (R's {@code etsforecast}): the state is not changed.
     */
    double[] pointForecasts(int h, EtsParameters p) {
        double[] f = new double[h];
        double phi = p.phi();
        double phistar = phi;
        double phiPow = phi;
        for (int i = 0; i < h; i++) {
            double v = trend ? level + phistar * slope : level;
            if (season) {
                int j = Math.floorMod(m - 1 - i, m);
                double s = seasonal(j);
                v = multSeason ? v * s : v + s;
            }
            f[i] = v;
            phiPow *= phi;
            phistar += phiPow;
        }
        return f;
    }
}
