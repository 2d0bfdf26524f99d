package io.fleetpredict.forecast;

import java.util.Arrays;

/**
 * The stationary covariance of an ARMA model's state, from which {@link KalmanArima}'s filter starts: a
 * kernel of its own because it solves a linear system once per model, apart from the filter's per-step
 * recursions.
 */
final class StationaryCovariance {

    private StationaryCovariance() {
    }

    /**
     * The stationary covariance of the ARMA state (R's {@code Q0}), computed exactly from the process
     * autocovariances and the cross-covariances of the process with its innovations. Row-major r x r.
     */
    static double[] of(double[] phiPadded, double[] rVec, int r, int p) {
        double[] psi = new double[r];
        for (int j = 0; j < r; j++) {
            double v = rVec[j];
            for (int k = 1; k <= Math.min(j, p); k++) {
                v += phiPadded[k - 1] * psi[j - k];
            }
            psi[j] = v;
        }
        int len = Math.max(p + 1, r);
        double[] c = new double[len];
        for (int s = 0; s < r; s++) {
            double v = 0;
            for (int j = s; j < r; j++) {
                v += rVec[j] * psi[j - s];
            }
            c[s] = v;
        }
        double[] gamma = new double[len];
        if (p == 0) {
            System.arraycopy(c, 0, gamma, 0, r);
        } else {
            int n = p + 1;
            double[] mat = new double[n * n];
            for (int s = 0; s < n; s++) {
                mat[s * n + s] += 1.0;
                for (int k = 1; k <= p; k++) {
                    mat[s * n + Math.abs(s - k)] -= phiPadded[k - 1];
                }
            }
            double[] g = solve(mat, Arrays.copyOf(c, n), n);
            System.arraycopy(g, 0, gamma, 0, n);
            for (int s = n; s < len; s++) {
                double v = c[s];
                for (int k = 1; k <= p; k++) {
                    v += phiPadded[k - 1] * gamma[s - k];
                }
                gamma[s] = v;
            }
        }
        if (!(gamma[0] > 0) || !Double.isFinite(gamma[0])) {
            throw new ArithmeticException("AR part has no stationary covariance");
        }
        int[] phiIdx = new int[p];
        int np = 0;
        for (int k = 1; k <= p; k++) {
            if (phiPadded[k - 1] != 0) {
                phiIdx[np++] = k;
            }
        }
        int[] thIdx = KalmanArima.nonZero(rVec);
        double[] q0 = new double[r * r];
        for (int i = 0; i < r; i++) {
            for (int j = i; j < r; j++) {
                double v = 0;
                for (int a = 0; a < np; a++) {
                    int k = phiIdx[a];
                    if (k <= i) {
                        continue;
                    }
                    double fk = phiPadded[k - 1];
                    int lagK = k - i;
                    for (int b = 0; b < np; b++) {
                        int l = phiIdx[b];
                        if (l <= j) {
                            continue;
                        }
                        v += fk * phiPadded[l - 1] * gamma[Math.abs(lagK - (l - j))];
                    }
                    for (int l : thIdx) {
                        if (l < j) {
                            continue;
                        }
                        int diff = (l - j) - lagK;
                        if (diff >= 0) {
                            v += fk * rVec[l] * psi[diff];
                        }
                    }
                }
                for (int k : thIdx) {
                    if (k < i) {
                        continue;
                    }
                    double tk = rVec[k];
                    int lagK = k - i;
                    for (int b = 0; b < np; b++) {
                        int l = phiIdx[b];
                        if (l <= j) {
                            continue;
                        }
                        int diff = lagK - (l - j);
                        if (diff >= 0) {
                            v += tk * phiPadded[l - 1] * psi[diff];
                        }
                    }
                    int l = lagK + j;
                    if (l < r) {
                        v += tk * rVec[l];
                    }
                }
                q0[i * r + j] = v;
                q0[j * r + i] = v;
            }
        }
        return q0;
    }

    /** Gaussian elimination with partial pivoting; throws if singular. */
    private static double[] solve(double[] a, double[] b, int n) {
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i * n + col]) > Math.abs(a[piv * n + col])) {
                    piv = i;
                }
            }
            if (Math.abs(a[piv * n + col]) < 1e-14) {
                throw new ArithmeticException("singular autocovariance system");
            }
            if (piv != col) {
                for (int j = 0; j < n; j++) {
                    double t = a[col * n + j];
                    a[col * n + j] = a[piv * n + j];
                    a[piv * n + j] = t;
                }
                double t = b[col];
                b[col] = b[piv];
                b[piv] = t;
            }
            for (int i = col + 1; i < n; i++) {
                double f = a[i * n + col] / a[col * n + col];
                if (f != 0) {
                    for (int j = col; j < n; j++) {
                        a[i * n + j] -= f * a[col * n + j];
                    }
                    b[i] -= f * b[col];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = b[i];
            for (int j = i + 1; j < n; j++) {
                v -= a[i * n + j] * x[j];
            }
            x[i] = v / a[i * n + i];
        }
        return x;
    }
}
