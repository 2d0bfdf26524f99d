package io.fleetpredict.forecast;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one ARIMA estimation: coefficients in {@link ArimaSpec} order, the fit statistics as
 * R's {@code stats::arima} and {@code forecast::Arima} report them, and the Kalman state at the end of
 * the series (absent for the search-only conditional-sum-of-squares fits).
 */
final class ArimaFit {

    final ArimaSpec spec;
    final double[] coef;
    final int freeParameters;
    final ArimaEstimation.Method method;
    /** Log-likelihood: exact Gaussian for ML fits, R's CSS pseudo-likelihood for CSS fits. */
    final double loglik;
    /** Innovation variance as stats::arima reports it (ML: ssq / n.used; CSS: mean squared residual). */
    final double sigma2;
    /** Innovation variance as forecast::Arima reports it: sum of squared residuals / (nstar - npar + 1). */
    final double sigma2Unbiased;
    final double aic;
    final double aicc;
    final double bic;
    final int nUsed;
    final boolean hessianOk;
    final boolean converged;
    /** The fitted model's Kalman filter and its state after the last observation; null when not asked for. */
    final @Nullable EndState end;

    ArimaFit(ArimaSpec spec, double[] coef, int freeParameters, ArimaEstimation.Method method, double loglik,
            double sigma2, double sumSquaredResiduals, double aic, int nUsed, boolean hessianOk, boolean converged,
            @Nullable EndState end) {
        this.spec = spec;
        this.coef = coef;
        this.freeParameters = freeParameters;
        this.method = method;
        this.loglik = loglik;
        this.sigma2 = sigma2;
        this.nUsed = nUsed;
        this.hessianOk = hessianOk;
        this.converged = converged;
        this.end = end;
        int npar = freeParameters + 1;
        int nstar = nUsed;
        this.sigma2Unbiased = sumSquaredResiduals / (nstar - npar + 1);
        this.aic = aic;
        this.aicc = aic + 2.0 * npar * (npar + 1) / (nstar - npar - 1);
        this.bic = aic + npar * (Math.log(nstar) - 2);
    }

    /** The same fit with an information criterion computed by auto.arima's CSS approximation. */
    ArimaFit withAic(double newAic, double sumSquaredResiduals) {
        return new ArimaFit(spec, coef, freeParameters, method, loglik, sigma2, sumSquaredResiduals, newAic, nUsed,
                hessianOk, converged, end);
    }

    /** Smallest modulus of the roots of the AR and MA polynomials, seasonal factors included. */
    double minRoot() {
        return minRoot(spec, coef);
    }

    static double minRoot(ArimaSpec spec, double[] coef) {
        double min = Double.POSITIVE_INFINITY;
        int p = spec.p;
        int q = spec.q;
        int sp = spec.sp;
        int sq = spec.sq;
        double[] ar = new double[p];
        double[] ma = new double[q];
        double[] sar = new double[sp];
        double[] sma = new double[sq];
        for (int i = 0; i < p; i++) {
            ar[i] = -coef[i];
        }
        System.arraycopy(coef, p, ma, 0, q);
        for (int i = 0; i < sp; i++) {
            sar[i] = -coef[p + q + i];
        }
        System.arraycopy(coef, p + q + sp, sma, 0, sq);
        min = Math.min(min, PolynomialRoots.minModulus(trim(ar)));
        min = Math.min(min, PolynomialRoots.minModulus(trim(ma)));
        // Roots of Phi(B^m) are the m-th roots of those of Phi(x).
        min = Math.min(min, Math.pow(PolynomialRoots.minModulus(trim(sar)), 1.0 / spec.m));
        min = Math.min(min, Math.pow(PolynomialRoots.minModulus(trim(sma)), 1.0 / spec.m));
        return min;
    }

    private static double[] trim(double[] c) {
        int k = c.length;
        while (k > 0 && Math.abs(c[k - 1]) <= 1e-8) {
            k--;
        }
        return java.util.Arrays.copyOf(c, k);
    }

    /** A Kalman filter with its filtered state mean and covariance after the last observation. */
    static final class EndState {
        final KalmanArima model;
        final double[] mean;
        final double[] cov;

        EndState(KalmanArima model, double[] mean, double[] cov) {
            this.model = model;
            this.mean = mean;
            this.cov = cov;
        }
    }
}
