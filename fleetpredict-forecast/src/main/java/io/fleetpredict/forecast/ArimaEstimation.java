package io.fleetpredict.forecast;

import java.util.Arrays;
import java.util.Locale;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.jspecify.annotations.Nullable;

/**
 * Estimation of a regression with seasonal ARIMA errors, following R's {@code stats::arima}:
 * conditional sum of squares (CSS) for start values, then the exact Gaussian likelihood from the Kalman
 * filter (ML), with the AR parts mapped through the partial-autocorrelation (tanh) transform so that every
 * candidate is stationary, and MA roots reflected to invertibility afterwards.
 *
 * <p>The likelihood during optimisation is evaluated on the differenced series with the stationary ARMA
 * state only, which equals R's diffuse-prior likelihood on the undifferenced series (up to R's
 * {@code kappa = 1e6} approximation) and keeps the state small for seasonal models; it is computed by the
 * Chandrasekhar recursions. The final fit runs the full state space twice: with R's diffuse prior, for the
 * log-likelihood and the standardised residuals exactly as R reports them (forecast's innovation variance
 * sums their squares, the nearly-zero diffuse ones included), and conditioned exactly on the first
 * {@code d + D m} observations for the state that forecasts and updates start from.
 *
 * <p>Regression terms ({@code xreg}: intercept, drift, later exogenous regressors) are columns of a
 * design matrix, estimated jointly with the ARMA coefficients.
 */
final class ArimaEstimation {

    enum Method {
        /** CSS start values, then exact maximum likelihood (R's default {@code "CSS-ML"}). */
        CSS_ML,
        /** Exact maximum likelihood from zero start values. */
        ML,
        /** Conditional sum of squares only (auto.arima's approximation during the search). */
        CSS
    }

    /** auto.arima rejects models with an AR or MA root this close to the unit circle. */
    static final double ADMISSIBLE_ROOT = 1.01;
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final ArimaSpec spec;
    private final double[] y;
    private final double[][] xreg;
    private final double[] fixed;
    private final int n;
    private final int nd;
    private final double[] dy;
    private final double[][] dxreg;
    private final int[] free;
    private final double[] scale;
    private final boolean checks;

    private ArimaEstimation(ArimaSpec spec, double[] y, double[][] xreg, double @Nullable [] fixed, boolean checks) {
        this.spec = spec;
        this.checks = checks;
        this.y = y;
        this.xreg = xreg;
        this.n = y.length;
        this.nd = spec.order.differencingLoss();
        this.dy = difference(y, spec.order);
        this.dxreg = new double[xreg.length][];
        for (int j = 0; j < xreg.length; j++) {
            dxreg[j] = difference(xreg[j], spec.order);
        }
        this.fixed = fixed == null ? filled(spec.size(), Double.NaN) : fixed.clone();
        int count = 0;
        for (double v : this.fixed) {
            if (Double.isNaN(v)) {
                count++;
            }
        }
        this.free = new int[count];
        int k = 0;
        for (int i = 0; i < this.fixed.length; i++) {
            if (Double.isNaN(this.fixed[i])) {
                free[k++] = i;
            }
        }
        this.scale = filled(spec.size(), 1.0);
    }

    /**
     * Fits the model.
     *
     * @param xreg regressor columns, each of length {@code y.length}
     * @param fixed null, or one value per coefficient with NaN marking the free ones
     * @param withState whether to run the final full-state filter (needed to forecast)
     * @param checks whether to run auto.arima's admissibility check of the numerical Hessian (skipped, and
     *     reported as failed, when a root is already within 1.01 of the unit circle)
     * @throws InsufficientDataException if the differenced series is too short
     * @throws ModelFitException if estimation fails (as R's arima would stop)
     */
    static ArimaFit fit(ArimaSpec spec, double[] y, double[][] xreg, double @Nullable [] fixed, Method method,
            boolean withState, boolean checks) {
        if (xreg.length != spec.regressors()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "xreg has %d columns for %d regressor names", xreg.length, spec.regressors()));
        }
        int nUsed = y.length - spec.order.differencingLoss();
        if (nUsed <= 0) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs more than %d observations to difference, got %d",
                    spec.order, spec.order.differencingLoss(), y.length));
        }
        return new ArimaEstimation(spec, y, xreg, fixed, checks).run(method, withState);
    }

    private ArimaFit run(Method method, boolean withState) {
        int narma = spec.narma;
        double[] init = new double[spec.size()];
        initRegression(init);
        for (int i = 0; i < init.length; i++) {
            if (!Double.isNaN(fixed[i])) {
                init[i] = fixed[i];
            }
        }
        int ncond = nd + spec.p + spec.m * spec.sp;
        boolean converged = true;
        if (method == Method.CSS || method == Method.CSS_ML) {
            if (ncond >= n) {
                throw new InsufficientDataException(String.format(Locale.ROOT,
                        "%s needs more than %d observations for conditional sums of squares, got %d",
                        spec.order, ncond, n));
            }
            TrustRegionMinimizer.Result css = TrustRegionMinimizer.minimize(
                    x -> cssObjective(expand(x, init), ncond), pack(init), 0.1, 1e-4, 200 * (free.length + 2));
            converged = css.converged();
            double[] cssCoef = expand(css.point(), init);
            if (method == Method.CSS) {
                return cssFit(cssCoef, ncond, css.value(), converged, withState);
            }
            System.arraycopy(cssCoef, 0, init, 0, init.length);
            if (!PolynomialRoots.isStationary(Arrays.copyOfRange(init, 0, spec.p))) {
                throw new ModelFitException("non-stationary AR part from CSS in " + spec.order);
            }
            if (!PolynomialRoots.isStationary(Arrays.copyOfRange(init, spec.p + spec.q, spec.p + spec.q + spec.sp))) {
                throw new ModelFitException("non-stationary seasonal AR part from CSS in " + spec.order);
            }
        }
        boolean transform = true;
        for (int i = 0; i < spec.p; i++) {
            transform &= Double.isNaN(fixed[i]);
        }
        for (int i = 0; i < spec.sp; i++) {
            transform &= Double.isNaN(fixed[spec.p + spec.q + i]);
        }
        boolean trans = transform && free.length > 0;
        double[] start = init.clone();
        if (trans) {
            start = spec.inverseTransform(start);
            invertMaParts(start);
        }
        double[] base = start;
        TrustRegionMinimizer.Result ml = TrustRegionMinimizer.minimize(
                x -> mlObjective(expand(x, base), trans), pack(start), 0.1, 1e-5, 300 * (free.length + 2));
        converged &= ml.converged();
        double[] coef = expand(ml.point(), base);
        if (trans) {
            coef = spec.transform(coef);
        }
        boolean allMaFree = true;
        for (int i = spec.p; i < spec.p + spec.q; i++) {
            allMaFree &= Double.isNaN(fixed[i]);
        }
        boolean allSmaFree = true;
        for (int i = spec.p + spec.q + spec.sp; i < narma; i++) {
            allSmaFree &= Double.isNaN(fixed[i]);
        }
        if (allMaFree) {
            invertRange(coef, spec.p, spec.q);
        }
        if (allSmaFree) {
            invertRange(coef, spec.p + spec.q + spec.sp, spec.sq);
        }
        double[] finalCoef = coef;
        double[] hessianAt = trans ? spec.inverseTransform(coef) : coef;
        boolean hessianOk = !checks || ArimaFit.minRoot(spec, coef) >= ADMISSIBLE_ROOT
                && hessianPositive(x -> mlObjective(expand(x, hessianAt), trans), pack(hessianAt));
        return mlFit(finalCoef, method, hessianOk, converged, withState);
    }

    private ArimaFit mlFit(double[] coef, Method method, boolean hessianOk, boolean converged, boolean withState) {
        KalmanArima model;
        try {
            model = KalmanArima.of(spec.phi(coef), spec.theta(coef), spec.delta());
        } catch (ArithmeticException e) {
            throw new ModelFitException("no stationary state covariance for the fitted " + spec.order, e);
        }
        double[] e = residualSeries(coef);
        double[][] state = model.initialState();
        double[] std = new double[n];
        KalmanArima.Innovations inn = model.filter(e, state[0], state[1], true, std);
        if (inn.count() == 0 || !Double.isFinite(inn.ssq())) {
            throw new ModelFitException("the Kalman filter failed for the fitted " + spec.order + Overflow.hint(y));
        }
        ArimaFit.EndState end = null;
        if (withState) {
            if (nd > 0) {
                state = model.conditionedState(e);
                model.filter(Arrays.copyOfRange(e, nd, n), state[0], state[1], true, null);
            }
            end = new ArimaFit.EndState(model, state[0], state[1]);
        }
        int nUsed = n - nd;
        double s2 = inn.ssq() / inn.count();
        double value = 0.5 * (Math.log(s2) + inn.sumLog() / inn.count());
        double minus2LogLik = 2 * nUsed * value + nUsed + nUsed * LOG_2PI;
        double sigma2 = inn.ssq() / nUsed;
        double sumSq = 0;
        for (double v : std) {
            sumSq += v * v;
        }
        double aic = minus2LogLik + 2 * free.length + 2;
        return new ArimaFit(spec, coef, free.length, method, -0.5 * minus2LogLik, sigma2, sumSq, aic, nUsed,
                hessianOk, converged, end);
    }

    private ArimaFit cssFit(double[] coef, int ncond, double objective, boolean converged, boolean withState) {
        int nUsed = n - nd;
        double[] resid = new double[n];
        double ssqMean = cssResiduals(coef, ncond, resid);
        double sumSq = 0;
        for (double v : resid) {
            sumSq += v * v;
        }
        double minus2LogLik = 2 * nUsed * objective + nUsed + nUsed * LOG_2PI;
        boolean hessianOk = !checks || ArimaFit.minRoot(spec, coef) >= ADMISSIBLE_ROOT
                && hessianPositive(x -> cssObjective(expand(x, coef), ncond), pack(coef));
        ArimaFit.EndState end = null;
        if (withState) {
            KalmanArima model = KalmanArima.of(spec.phi(coef), spec.theta(coef), spec.delta());
            double[] e = residualSeries(coef);
            double[][] state = model.conditionedState(e);
            model.filter(Arrays.copyOfRange(e, nd, n), state[0], state[1], true, null);
            end = new ArimaFit.EndState(model, state[0], state[1]);
        }
        return new ArimaFit(spec, coef, free.length, Method.CSS, -0.5 * minus2LogLik, ssqMean, sumSq, Double.NaN,
                nUsed, hessianOk, converged, end);
    }

    /** R's armaCSS: half the log of the mean squared conditional residual. */
    private double cssObjective(double[] coef, int ncond) {
        double v = cssResiduals(coef, ncond, null);
        return v > 0 && Double.isFinite(v) ? 0.5 * Math.log(v) : TrustRegionMinimizer.PENALTY;
    }

    /** Conditional residuals of the differenced series (R's ARIMA_CSS); returns their mean square. */
    private double cssResiduals(double[] coef, int ncond, double @Nullable [] residOut) {
        double[] phi = spec.phi(coef);
        double[] theta = spec.theta(coef);
        double[] w = differencedResidualSeries(coef);
        int[] phiNz = KalmanArima.nonZero(phi);
        int[] thNz = KalmanArima.nonZero(theta);
        double[] resid = residOut != null ? residOut : new double[n];
        double ssq = 0;
        int nu = 0;
        for (int l = ncond; l < n; l++) {
            int wl = l - nd;
            double tmp = w[wl];
            for (int j : phiNz) {
                tmp -= phi[j] * w[wl - j - 1];
            }
            int lim = l - ncond;
            for (int j : thNz) {
                if (j >= lim) {
                    break;
                }
                tmp -= theta[j] * resid[l - j - 1];
            }
            resid[l] = tmp;
            ssq += tmp * tmp;
            nu++;
        }
        return ssq / nu;
    }

    /** R's armafn: the concentrated negative log-likelihood per observation, from the ARMA-only filter. */
    private double mlObjective(double[] par, boolean trans) {
        double[] coef = trans ? spec.transform(par) : par;
        KalmanArima model;
        try {
            model = KalmanArima.of(spec.phi(coef), spec.theta(coef), new double[0]);
        } catch (ArithmeticException e) {
            return TrustRegionMinimizer.PENALTY;
        }
        KalmanArima.Innovations inn = model.chandrasekhar(differencedResidualSeries(coef));
        if (inn.count() == 0 || !(inn.ssq() > 0)) {
            return TrustRegionMinimizer.PENALTY;
        }
        double s2 = inn.ssq() / inn.count();
        return 0.5 * (Math.log(s2) + inn.sumLog() / inn.count());
    }

    /** Whether the numerical Hessian (steps of 1e-3, as R's optimhess) has a finite, positive inverse diagonal. */
    private boolean hessianPositive(java.util.function.ToDoubleFunction<double[]> f, double[] x) {
        int k = x.length;
        if (k == 0) {
            return true;
        }
        double h = 1e-3;
        double f0 = f.applyAsDouble(x);
        double[][] hess = new double[k][k];
        double[] xp = x.clone();
        for (int i = 0; i < k; i++) {
            xp[i] = x[i] + h;
            double fp = f.applyAsDouble(xp);
            xp[i] = x[i] - h;
            double fm = f.applyAsDouble(xp);
            xp[i] = x[i];
            hess[i][i] = (fp - 2 * f0 + fm) / (h * h);
            for (int j = 0; j < i; j++) {
                xp[i] = x[i] + h;
                xp[j] = x[j] + h;
                double fpp = f.applyAsDouble(xp);
                xp[j] = x[j] - h;
                double fpm = f.applyAsDouble(xp);
                xp[i] = x[i] - h;
                double fmm = f.applyAsDouble(xp);
                xp[j] = x[j] + h;
                double fmp = f.applyAsDouble(xp);
                xp[i] = x[i];
                xp[j] = x[j];
                hess[i][j] = (fpp - fpm - fmp + fmm) / (4 * h * h);
                hess[j][i] = hess[i][j];
            }
        }
        for (double[] row : hess) {
            for (double v : row) {
                if (!Double.isFinite(v) || Math.abs(v) >= TrustRegionMinimizer.PENALTY / 10) {
                    return false;
                }
            }
        }
        DecompositionSolver solver = new LUDecomposition(new Array2DRowRealMatrix(hess, false)).getSolver();
        if (!solver.isNonSingular()) {
            return false;
        }
        RealMatrix inv = solver.getInverse();
        for (int i = 0; i < k; i++) {
            double v = inv.getEntry(i, i);
            if (!(v >= 0) || !Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Start values of the regression coefficients, by least squares on the differenced series, as R. */
    private void initRegression(double[] init) {
        int k = xreg.length;
        if (k == 0) {
            return;
        }
        double[][] fit = dy.length > k ? LeastSquares.fit(dxreg, dy) : null;
        if (fit == null) {
            fit = LeastSquares.fit(xreg, y);
            if (fit == null) {
                throw new ModelFitException("the regressors of " + spec.order + " are rank deficient");
            }
        }
        double[] coefs = fit[0];
        double[] ses = fit[1];
        for (int j = 0; j < k; j++) {
            init[spec.narma + j] = coefs[j];
            double s = 10 * ses[j];
            scale[spec.narma + j] = s > 0 && Double.isFinite(s) ? s : 1.0;
        }
    }

    private double[] residualSeries(double[] coef) {
        double[] e = y.clone();
        for (int j = 0; j < xreg.length; j++) {
            double b = coef[spec.narma + j];
            double[] col = xreg[j];
            for (int i = 0; i < n; i++) {
                e[i] -= b * col[i];
            }
        }
        return e;
    }

    private double[] differencedResidualSeries(double[] coef) {
        if (dxreg.length == 0) {
            return dy;
        }
        double[] w = dy.clone();
        for (int j = 0; j < dxreg.length; j++) {
            double b = coef[spec.narma + j];
            double[] col = dxreg[j];
            for (int i = 0; i < w.length; i++) {
                w[i] -= b * col[i];
            }
        }
        return w;
    }

    private double[] pack(double[] full) {
        double[] x = new double[free.length];
        for (int i = 0; i < free.length; i++) {
            x[i] = full[free[i]] / scale[free[i]];
        }
        return x;
    }

    private double[] expand(double[] x, double[] base) {
        double[] full = base.clone();
        for (int i = 0; i < free.length; i++) {
            full[free[i]] = x[i] * scale[free[i]];
        }
        return full;
    }

    private void invertMaParts(double[] coef) {
        invertRange(coef, spec.p, spec.q);
        invertRange(coef, spec.p + spec.q + spec.sp, spec.sq);
    }

    private static void invertRange(double[] coef, int from, int len) {
        if (len == 0) {
            return;
        }
        double[] inv = PolynomialRoots.invertMa(Arrays.copyOfRange(coef, from, from + len));
        System.arraycopy(inv, 0, coef, from, len);
    }

    /** Applies {@code (1-B)^d (1-B^m)^D}; the result is shorter by {@code d + D m}. */
    static double[] difference(double[] x, ArimaOrder order) {
        double[] w = x.clone();
        int len = w.length;
        for (int i = 0; i < order.d(); i++) {
            for (int t = len - 1; t > 0; t--) {
                w[t] -= w[t - 1];
            }
            w = Arrays.copyOfRange(w, 1, len);
            len--;
        }
        int m = order.period();
        for (int i = 0; i < order.seasonalD(); i++) {
            if (len <= m) {
                return new double[0];
            }
            for (int t = len - 1; t >= m; t--) {
                w[t] -= w[t - m];
            }
            w = Arrays.copyOfRange(w, m, len);
            len -= m;
        }
        return w;
    }

    private static double[] filled(int size, double v) {
        double[] a = new double[size];
        Arrays.fill(a, v);
        return a;
    }
}
