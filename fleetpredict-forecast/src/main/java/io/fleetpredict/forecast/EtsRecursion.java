package io.fleetpredict.forecast;

import org.jspecify.annotations.Nullable;

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
    // Bounds of the running product of |f| before its log is taken, far from overflow and underflow.
    private static final double PRODUCT_MAX = 1e100;
    private static final double PRODUCT_MIN = 1e-100;

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
    private double @Nullable [] gramRing; // the three seasonal rings of additiveGram, allocated on first use

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
     * @param residuals out, or null: the innovations, from index {@code offset}
     * @return false if the forecast became non-finite (the parameters are unusable)
     */
    boolean filter(double[] y, int from, int to, EtsParameters p, double[] sums, double @Nullable [] residuals,
            int offset) {
        // The likelihood loop of the optimiser: oneStep and absorb inlined by hand with the state in locals,
        // beta / alpha divided once, and log|f| summed as the log of a running product (one log every few
        // dozen steps instead of one a step; the product is renormalised long before it could overflow).
        final double alpha = p.alpha();
        final double phi = p.phi();
        final double gamma = p.gamma();
        final double betaOverAlpha = trend ? p.beta() / alpha : 0;
        final double[] s = ring;
        final int last = m - 1;
        double l = level;
        double b = slope;
        int h = head;
        double sse = 0;
        double logf = 0;
        double product = 1;
        for (int i = from; i < to; i++) {
            double phib = trend ? phi * b : 0;
            double q = l + phib;
            int slot = 0;
            double sOld = 0;
            double f = q;
            if (season) {
                slot = h + last;
                if (slot >= m) {
                    slot -= m;
                }
                sOld = s[slot];
                f = multSeason ? q * sOld : q + sOld;
            }
            double yi = y[i];
            double e = multError ? (yi - f) / f : yi - f;
            if (!Double.isFinite(e)) {
                level = l;
                slope = b;
                head = h;
                return false;
            }
            if (residuals != null) {
                residuals[offset + i - from] = e;
            }
            sse += e * e;
            if (multError) {
                double absF = Math.abs(f);
                double next = product * absF;
                if (next < PRODUCT_MAX && next > PRODUCT_MIN) {
                    product = next;
                } else {
                    logf += Math.log(product) + Math.log(absF);
                    product = 1;
                }
            }
            // absorb(yi, p), as R's update
            double pp;
            if (!season) {
                pp = yi;
            } else if (!multSeason) {
                pp = yi - sOld;
            } else {
                pp = Math.abs(sOld) < TOL ? HUGEN : yi / sOld;
            }
            double oldl = l;
            l = q + alpha * (pp - q);
            if (trend) {
                b = phib + betaOverAlpha * (l - oldl - phib);
            }
            if (season) {
                double t;
                if (!multSeason) {
                    t = yi - q;
                } else {
                    t = Math.abs(q) < TOL ? HUGEN : yi / q;
                }
                s[slot] = sOld + gamma * (t - sOld);
                h = slot;
            }
        }
        if (multError) {
            logf += Math.log(product);
        }
        level = l;
        slope = b;
        head = h;
        sums[0] += sse;
        sums[1] += logf;
        return true;
    }

    /**
     * For a model with additive errors (whose one-step errors are affine in the initial state): runs the
     * recursion over {@code y} from {@code state} (R's layout), and beside it the responses of the errors to
     * a unit initial level and a unit initial slope, and sums the products of the three error series
     * {@code a} (from the state), {@code u} (level) and {@code v} (slope) into
     * {@code gram = [aa, au, av, uu, uv, vv]}. The state loaded is not used or changed.
     *
     * @return false if the errors became non-finite
     */
    boolean additiveGram(double[] y, double[] state, EtsParameters p, double[] gram) {
        if (multError || multSeason) {
            throw new IllegalStateException(spec.label() + " has multiplicative parts; its errors are not affine");
        }
        final double alpha = p.alpha();
        final double beta = p.beta();
        final double gamma = p.gamma();
        final double phi = trend ? p.phi() : 0;
        double la = state[0];
        double ba = trend ? state[1] : 0;
        double lu = 1;
        double bu = 0;
        double lv = 0;
        double bv = trend ? 1 : 0;
        double[] r = gramRing;
        if (r == null) {
            r = new double[3 * m];
            gramRing = r;
        }
        if (season) {
            System.arraycopy(state, trend ? 2 : 1, r, 0, m);
            java.util.Arrays.fill(r, m, 3 * m, 0);
        }
        double aa = 0;
        double au = 0;
        double av = 0;
        double uu = 0;
        double uv = 0;
        double vv = 0;
        int h = 0;
        for (int i = 0; i < y.length; i++) {
            double qa = la + phi * ba;
            double qu = lu + phi * bu;
            double qv = lv + phi * bv;
            double ea = y[i] - qa;
            double eu = -qu;
            double ev = -qv;
            int slot = 0;
            if (season) {
                slot = h + m - 1;
                if (slot >= m) {
                    slot -= m;
                }
                ea -= r[slot];
                eu -= r[m + slot];
                ev -= r[2 * m + slot];
                r[slot] += gamma * ea;
                r[m + slot] += gamma * eu;
                r[2 * m + slot] += gamma * ev;
                h = slot;
            }
            aa += ea * ea;
            au += ea * eu;
            av += ea * ev;
            uu += eu * eu;
            uv += eu * ev;
            vv += ev * ev;
            la = qa + alpha * ea;
            lu = qu + alpha * eu;
            lv = qv + alpha * ev;
            if (trend) {
                ba = phi * ba + beta * ea;
                bu = phi * bu + beta * eu;
                bv = phi * bv + beta * ev;
            }
        }
        gram[0] = aa;
        gram[1] = au;
        gram[2] = av;
        gram[3] = uu;
        gram[4] = uv;
        gram[5] = vv;
        return Double.isFinite(aa) && Double.isFinite(uu) && Double.isFinite(vv);
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
