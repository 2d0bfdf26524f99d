package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stepwise order search of Hyndman and Khandakar (2008), as {@code forecast::auto.arima} with its
 * defaults: d by repeated KPSS tests, D by seasonal strength, four start models, then moves of one on
 * p, q, P, Q (and both at once) and the constant on/off while AICc improves. For long or highly seasonal
 * series ({@code n > 150} or {@code m > 12}) candidates are scored by CSS with auto.arima's likelihood
 * offset, and the best ones refitted by exact ML until one passes the root and Hessian checks.
 */
final class StepwiseArimaSearch {

    private static final Logger LOG = LoggerFactory.getLogger(StepwiseArimaSearch.class);
    /** Periods from which seasonal AR and MA terms are not searched (their state would have m dimensions). */
    static final int LONG_PERIOD = 100;
    private static final int MAX_MODELS = 94;

    /**
     * How far the search may go: the largest non-seasonal orders, the largest seasonal AR and MA orders, and
     * the most models fitted. {@link #DEFAULT} is auto.arima's; {@link #SHORT} keeps a seasonal model's state
     * small (no seasonal AR, at most one seasonal MA term, p and q at most 2, 16 models), so that a period
     * of 24 costs a few fits of a state of 27 instead of up to 94 fits of states up to 53.
     */
    record Limits(int maxP, int maxQ, int maxSeasonalP, int maxSeasonalQ, int maxModels) {
        static final Limits DEFAULT = new Limits(5, 5, 2, 2, MAX_MODELS);
        static final Limits SHORT = new Limits(2, 2, 0, 1, 16);
    }

    private final Forecaster owner;
    private final int period;
    private final Limits limits;
    private final List<String> notes = new ArrayList<>();

    private final TimeSeries series;
    private final double[] y;
    private final Regressors xreg;
    private final int n;
    private int m;
    private int d;
    private int bigD;
    private boolean approximation;
    private double offset;

    /** A search over {@code series} with {@code past} regressors; it keeps notes, so it runs once. */
    StepwiseArimaSearch(Forecaster owner, int period, Limits limits, TimeSeries series, Regressors past) {
        this.owner = owner;
        this.period = period;
        this.limits = limits;
        this.series = series;
        this.xreg = past;
        this.y = series.values();
        this.n = y.length;
    }

    /** A candidate model's score; {@code fit} is null when its estimation failed. */
    private record Candidate(int p, int q, int sp, int sq, boolean constant, double ic, @Nullable ArimaFit fit) {
    }

    FittedModel fit() {
        if (n < 3) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "auto ARIMA needs at least 3 observations, got %d", n));
        }
        if (Constancy.isConstant(y) && xreg.count() == 0) {
            return FittedArima.constant(owner, series, "constant series: flat forecast");
        }
        m = period;
        int maxP = Math.min(limits.maxP(), n / 3);
        int maxQ = Math.min(limits.maxQ(), n / 3);
        int maxSP = m > 1 ? Math.min(limits.maxSeasonalP(), n / 3 / m) : 0;
        int maxSQ = m > 1 ? Math.min(limits.maxSeasonalQ(), n / 3 / m) : 0;
        if (m >= LONG_PERIOD && maxSP + maxSQ > 0) {
            notes.add("period " + m + " too long for seasonal AR/MA terms: only seasonal differencing considered");
            maxSP = 0;
            maxSQ = 0;
        } else if (m > 1 && n / 3 / m == 0) {
            notes.add(String.format(Locale.ROOT, "%d observations are under three periods of %d: no seasonal AR/MA terms",
                    n, m));
        }
        // As auto.arima: with regressors the differencing tests look at the residuals of y ~ 1 + xreg.
        double[] tested = xreg.count() == 0 ? y : regressionResiduals();
        // Differences and residuals of y are judged constant against y's magnitude: what is left of an exact
        // straight line or an exact regression is rounding, whatever the unit.
        double magnitude = Constancy.magnitude(y);
        if (m == 1) {
            bigD = 0;
        } else if (n <= 2L * m) {
            bigD = 0;
            notes.add(String.format(Locale.ROOT, "%d observations are not more than two periods of %d: no seasonal difference",
                    n, m));
        } else {
            bigD = SeasonalStrength.differences(tested, m, magnitude);
        }
        double[] dx = bigD > 0 ? ArimaEstimation.difference(tested, ArimaOrder.of(0, 0, 0, 0, 1, 0, m)) : tested;
        d = Kpss.differences(dx, 2, magnitude);
        double[] ddx = ArimaEstimation.difference(dx, ArimaOrder.of(0, d, 0));
        if (ddx.length == 0) {
            throw new InsufficientDataException("not enough data to difference " + n + " observations");
        }
        if (Constancy.isConstant(ddx, magnitude)) {
            return differencedConstant();
        }
        if (m > 1) {
            if (maxSP > 0) {
                maxP = Math.min(maxP, m - 1);
            }
            if (maxSQ > 0) {
                maxQ = Math.min(maxQ, m - 1);
            }
        }
        approximation = n > 150 || m > 12;
        offset = 0;
        if (approximation) {
            try {
                ArimaOrder base = order(0, 0, 0, 0);
                List<TrendTerm> terms = d + bigD == 0 ? List.of(TrendTerm.INTERCEPT) : List.of();
                ArimaFit fit = ArimaEstimation.fit(new ArimaSpec(base, ArimaForecaster.names(terms, xreg)), y,
                        ArimaForecaster.design(terms, xreg, n), null, ArimaEstimation.Method.CSS_ML, false, false);
                offset = -2 * fit.loglik - n * Math.log(fit.sigma2);
            } catch (ForecastException | ArithmeticException e) {
                approximation = false;
            }
        }
        boolean allowDrift = d + bigD == 1;
        boolean allowMean = d + bigD == 0;
        boolean constant = allowDrift || allowMean;

        int p = Math.min(n < 10 ? 1 : 2, maxP);
        int q = Math.min(n < 10 ? 1 : 2, maxQ);
        int sp = Math.min(n < 10 ? 0 : 1, maxSP);
        int sq = Math.min(n < 10 ? 0 : 1, maxSQ);
        List<Candidate> results = new ArrayList<>();
        Candidate best = evaluate(p, q, sp, sq, constant, results);
        Candidate c = evaluate(0, 0, 0, 0, constant, results);
        if (c.ic < best.ic) {
            best = c;
            p = q = sp = sq = 0;
        }
        if (maxP > 0 || maxSP > 0) {
            int pp = maxP > 0 ? 1 : 0;
            int ss = m > 1 && maxSP > 0 ? 1 : 0;
            c = evaluate(pp, 0, ss, 0, constant, results);
            if (c.ic < best.ic) {
                best = c;
                p = pp;
                sp = ss;
                q = sq = 0;
            }
        }
        if (maxQ > 0 || maxSQ > 0) {
            int qq = maxQ > 0 ? 1 : 0;
            int ss = m > 1 && maxSQ > 0 ? 1 : 0;
            c = evaluate(0, qq, 0, ss, constant, results);
            if (c.ic < best.ic) {
                best = c;
                p = sp = 0;
                sq = ss;
                q = qq;
            }
        }
        if (constant) {
            c = evaluate(0, 0, 0, 0, false, results);
            if (c.ic < best.ic) {
                best = c;
                p = q = sp = sq = 0;
            }
        }
        int startk = 0;
        while (startk < results.size() && results.size() < limits.maxModels()) {
            startk = results.size();
            // The moves in auto.arima's order; the first improvement restarts the loop.
            int[][] seasonalMoves = {{-1, 0}, {0, -1}, {1, 0}, {0, 1}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
            boolean moved = false;
            for (int[] mv : seasonalMoves) {
                int nsp = sp + mv[0];
                int nsq = sq + mv[1];
                if (nsp < 0 || nsq < 0 || nsp > maxSP || nsq > maxSQ || !isNew(p, q, nsp, nsq, constant, results)) {
                    continue;
                }
                if (results.size() >= limits.maxModels()) {
                    break;
                }
                c = evaluate(p, q, nsp, nsq, constant, results);
                if (c.ic < best.ic) {
                    best = c;
                    sp = nsp;
                    sq = nsq;
                    moved = true;
                    break;
                }
            }
            if (moved) {
                continue;
            }
            int[][] moves = {{-1, 0}, {0, -1}, {1, 0}, {0, 1}, {-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
            for (int[] mv : moves) {
                int np = p + mv[0];
                int nq = q + mv[1];
                if (np < 0 || nq < 0 || np > maxP || nq > maxQ || !isNew(np, nq, sp, sq, constant, results)) {
                    continue;
                }
                if (results.size() >= limits.maxModels()) {
                    break;
                }
                c = evaluate(np, nq, sp, sq, constant, results);
                if (c.ic < best.ic) {
                    best = c;
                    p = np;
                    q = nq;
                    moved = true;
                    break;
                }
            }
            if (moved) {
                continue;
            }
            if ((allowDrift || allowMean) && isNew(p, q, sp, sq, !constant, results) && results.size() < limits.maxModels()) {
                c = evaluate(p, q, sp, sq, !constant, results);
                if (c.ic < best.ic) {
                    best = c;
                    constant = !constant;
                }
            }
        }
        Candidate chosen = best;
        if (approximation) {
            chosen = null;
            List<Candidate> ordered = new ArrayList<>(results);
            ordered.removeIf(x -> x.ic == Double.POSITIVE_INFINITY);
            ordered.sort(Comparator.comparingDouble(Candidate::ic));
            for (Candidate cand : ordered) {
                Candidate refit = fitCandidate(cand.p, cand.q, cand.sp, cand.sq, cand.constant, false);
                if (refit.ic < Double.POSITIVE_INFINITY) {
                    chosen = refit;
                    break;
                }
            }
            if (chosen == null) {
                chosen = best;
            }
        }
        LOG.debug("auto ARIMA on {} points, period {}: d={} D={}, {} models, approximation={}, chosen {}", n, m, d,
                bigD, results.size(), approximation, chosen.fit == null ? "none" : chosen.fit.spec.order);
        if (chosen.fit == null || chosen.ic == Double.POSITIVE_INFINITY) {
            return fallback();
        }
        ArimaFit fit = chosen.fit;
        if (fit.end == null) {
            fit = ArimaEstimation.fit(fit.spec, y, designFor(fit.spec), fit.coef, ArimaEstimation.Method.ML, true, false);
            notes.add("no model passed the exact-likelihood checks: coefficients from conditional sums of squares");
        }
        notes.add(0, String.format(Locale.ROOT, "chosen by stepwise %s search over %d models%s", byAic() ? "AIC" : "AICc",
                results.size(),
                approximation ? " (CSS approximation, refitted by ML)" : ""));
        return FittedArima.of(owner, fit, terms(fit.spec), series, String.join("; ", notes));
    }

    private Candidate evaluate(int p, int q, int sp, int sq, boolean constant, List<Candidate> results) {
        Candidate c = fitCandidate(p, q, sp, sq, constant, approximation);
        results.add(c);
        return c;
    }

    private Candidate fitCandidate(int p, int q, int sp, int sq, boolean constant, boolean approx) {
        ArimaOrder order = order(p, q, sp, sq);
        List<TrendTerm> terms = ArimaForecaster.terms(order, constant, new ArrayList<>());
        ArimaSpec spec = new ArimaSpec(order, ArimaForecaster.names(terms, xreg));
        double ic = Double.POSITIVE_INFINITY;
        ArimaFit fit = null;
        try {
            fit = ArimaEstimation.fit(spec, y, ArimaForecaster.design(terms, xreg, n), null,
                    approx ? ArimaEstimation.Method.CSS : ArimaEstimation.Method.CSS_ML, !approx, true);
            int nstar = n - order.differencingLoss();
            int npar = fit.freeParameters + 1;
            double aic = approx ? offset + nstar * Math.log(fit.sigma2) + 2 * npar : fit.aic;
            double aicc = approx ? aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1) : fit.aicc;
            // As auto.arima: on three values the AICc of any model with a mean is infinite, so the zero-mean
            // model would win whatever the data; AIC is used instead.
            double score = byAic() ? aic : aicc;
            boolean admissible = (byAic() || nstar - npar - 1 > 0) && Double.isFinite(score) && fit.hessianOk
                    && fit.minRoot() >= ArimaEstimation.ADMISSIBLE_ROOT;
            ic = admissible ? score : Double.POSITIVE_INFINITY;
        } catch (ForecastException | ArithmeticException e) {
            LOG.debug("{} skipped: {}", order, e.getMessage());
        }
        return new Candidate(p, q, sp, sq, constant, ic, fit);
    }

    /** Whether models are compared by AIC rather than AICc: on series of three values, as auto.arima does. */
    private boolean byAic() {
        return n <= 3;
    }

    private boolean isNew(int p, int q, int sp, int sq, boolean constant, List<Candidate> results) {
        for (Candidate c : results) {
            if (c.p == p && c.q == q && c.sp == sp && c.sq == sq && c.constant == constant) {
                return false;
            }
        }
        return true;
    }

    private ArimaOrder order(int p, int q, int sp, int sq) {
        if (sp + bigD + sq == 0) {
            return ArimaOrder.of(p, d, q);
        }
        return ArimaOrder.of(p, d, q, sp, bigD, sq, m);
    }

    private static List<TrendTerm> terms(ArimaSpec spec) {
        return spec.regressorNames.stream()
                .filter(name -> name.equals(TrendTerm.DRIFT.label) || name.equals(TrendTerm.INTERCEPT.label))
                .map(name -> name.equals(TrendTerm.DRIFT.label) ? TrendTerm.DRIFT : TrendTerm.INTERCEPT).toList();
    }

    private double[][] designFor(ArimaSpec spec) {
        return ArimaForecaster.design(terms(spec), xreg, n);
    }

    /** Residuals of the least-squares regression of the series on an intercept and the regressors. */
    private double[] regressionResiduals() {
        double[][] cols = new double[xreg.count() + 1][];
        cols[0] = TrendTerm.INTERCEPT.column(0, n);
        System.arraycopy(xreg.columnsView(), 0, cols, 1, xreg.count());
        double[][] fit = LeastSquares.fit(cols, y);
        if (fit == null) {
            throw new ModelFitException("the regressors are rank deficient together with an intercept");
        }
        double[] r = y.clone();
        for (int j = 0; j < cols.length; j++) {
            for (int i = 0; i < n; i++) {
                r[i] -= fit[0][j] * cols[j][i];
            }
        }
        return r;
    }

    /** After differencing the series is constant: a pure differencing model with its constant fixed. */
    private FittedModel differencedConstant() {
        notes.add("differenced series is constant");
        ArimaOrder order = order(0, 0, 0, 0);
        List<TrendTerm> terms = d + bigD == 1 ? List.of(TrendTerm.DRIFT) : List.of();
        ArimaSpec spec = new ArimaSpec(order, ArimaForecaster.names(terms, xreg));
        double[] fixed = null;
        if (!terms.isEmpty() && xreg.count() == 0) {
            double[] w = ArimaEstimation.difference(y, order);
            double mean = 0;
            for (double v : w) {
                mean += v;
            }
            fixed = new double[] {mean / w.length / (bigD > 0 ? m : 1)};
        }
        ArimaFit fit = ArimaEstimation.fit(spec, y, ArimaForecaster.design(terms, xreg, n), fixed,
                ArimaEstimation.Method.ML, true, false);
        return FittedArima.of(owner, fit, terms, series, String.join("; ", notes));
    }

    /** No candidate passed: the plain differencing model (a random walk when d = 1). */
    private FittedModel fallback() {
        notes.add("no candidate model passed the checks: fell back to pure differencing");
        ArimaOrder order = order(0, 0, 0, 0);
        if (order.differencingLoss() == 0) {
            order = ArimaOrder.of(0, 1, 0);
        }
        List<TrendTerm> terms = List.of();
        ArimaFit fit = ArimaEstimation.fit(new ArimaSpec(order, xreg.names()), y, ArimaForecaster.design(terms, xreg, n),
                null, ArimaEstimation.Method.ML, true, false);
        return FittedArima.of(owner, fit, terms, series, String.join("; ", notes));
    }
}
