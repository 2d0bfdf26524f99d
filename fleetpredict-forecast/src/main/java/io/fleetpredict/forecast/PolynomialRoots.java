package io.fleetpredict.forecast;

import org.apache.commons.math3.analysis.solvers.LaguerreSolver;
import org.apache.commons.math3.complex.Complex;

/** Roots of the lag polynomials {@code 1 + c_1 x + ... + c_k x^k}, by Laguerre's method with deflation. */
final class PolynomialRoots {

    private PolynomialRoots() {
    }

    /** Roots of 1 + c[0] x + ... ; empty when the polynomial is constant. */
    static Complex[] roots(double[] c) {
        int k = c.length;
        while (k > 0 && c[k - 1] == 0) {
            k--;
        }
        if (k == 0) {
            return new Complex[0];
        }
        double[] coeff = new double[k + 1];
        coeff[0] = 1.0;
        System.arraycopy(c, 0, coeff, 1, k);
        if (k == 1) {
            return new Complex[] {new Complex(-1.0 / c[0], 0)};
        }
        return new LaguerreSolver(1e-14, 1e-14).solveAllComplex(coeff, 0.0, 100_000);
    }

    /** Smallest root modulus of 1 + c[0] x + ..., or +infinity for a constant polynomial. */
    static double minModulus(double[] c) {
        double min = Double.POSITIVE_INFINITY;
        for (Complex z : roots(c)) {
            min = Math.min(min, z.abs());
        }
        return min;
    }

    /** Whether AR coefficients ar (as 1 - ar_1 x - ...) are stationary: all roots outside the unit circle. */
    static boolean isStationary(double[] ar) {
        double[] c = new double[ar.length];
        for (int i = 0; i < ar.length; i++) {
            c[i] = -ar[i];
        }
        return minModulus(c) > 1.0;
    }

    /**
     * Reflects roots of the MA polynomial 1 + ma_1 x + ... inside the unit circle to the outside, giving the
     * invertible MA with the same autocovariances (R's {@code maInvert}).
     */
    static double[] invertMa(double[] ma) {
        int q0 = ma.length;
        while (q0 > 0 && ma[q0 - 1] == 0) {
            q0--;
        }
        if (q0 == 0) {
            return ma.clone();
        }
        double[] trimmed = java.util.Arrays.copyOf(ma, q0);
        Complex[] roots = roots(trimmed);
        boolean any = false;
        for (Complex z : roots) {
            if (z.abs() < 1) {
                any = true;
                break;
            }
        }
        if (!any) {
            return ma.clone();
        }
        double[] out = new double[ma.length];
        if (q0 == 1) {
            out[0] = 1.0 / ma[0];
            return out;
        }
        Complex[] x = {Complex.ONE};
        for (Complex z : roots) {
            Complex root = z.abs() < 1 ? Complex.ONE.divide(z) : z;
            Complex[] next = new Complex[x.length + 1];
            for (int i = 0; i < next.length; i++) {
                Complex v = i < x.length ? x[i] : Complex.ZERO;
                if (i > 0) {
                    v = v.subtract(x[i - 1].divide(root));
                }
                next[i] = v;
            }
            x = next;
        }
        for (int i = 0; i < q0; i++) {
            out[i] = x[i + 1].getReal();
        }
        return out;
    }
}
