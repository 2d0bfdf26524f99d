package io.fleetpredict.forecast;

/**
 * The admissible (forecastable) parameter region of ETS models, the conditions of R's
 * {@code forecast:::admissible} (Hyndman, Akram and Archibald 2008): linear inequalities plus all
 * roots of the characteristic polynomial of the discount matrix inside the unit circle. R finds the
 * roots with {@code polyroot}; here the Schur-Cohn step-down test decides the same question in
 * O(m^2) without finding them, which keeps the check cheap for long periods.
 */
final class StabilityRegion {

    private StabilityRegion() {
    }

    /**
     * Whether the parameters are admissible. Pass {@code Double.NaN} for a component the model lacks
     * (beta without trend, gamma without season, phi without damping).
     */
    static boolean admissible(double alpha, double beta, double gamma, double phi, int m) {
        boolean hasGamma = !Double.isNaN(gamma);
        boolean hasBeta = !Double.isNaN(beta);
        double ph = Double.isNaN(phi) ? 1 : phi;
        if (ph < 0 || ph > 1 + 1e-8) {
            return false;
        }
        if (!hasGamma) {
            if (alpha < 1 - 1 / ph || alpha > 1 + 1 / ph) {
                return false;
            }
            return !hasBeta || !(beta < alpha * (ph - 1) || beta > (1 + ph) * (2 - alpha));
        }
        if (m <= 1) {
            return true;
        }
        double b = hasBeta ? beta : 0;
        if (gamma < Math.max(1 - 1 / ph - alpha, 0) || gamma > 1 + 1 / ph - alpha) {
            return false;
        }
        if (alpha < 1 - 1 / ph - gamma * (1 - m + ph + ph * m) / (2 * ph * m)) {
            return false;
        }
        if (b < -(1 - ph) * (gamma / m + alpha)) {
            return false;
        }
        // P(z) = phi(1-a-g) + (a+b-a*phi+g-1) z + (a+b-a*phi)(z^2..z^(m-1)) + (a+b-phi) z^m + z^(m+1)
        double[] p = new double[m + 2];
        p[0] = ph * (1 - alpha - gamma);
        p[1] = alpha + b - alpha * ph + gamma - 1;
        for (int i = 2; i <= m - 1; i++) {
            p[i] = alpha + b - alpha * ph;
        }
        p[m] = alpha + b - ph;
        p[m + 1] = 1;
        // Without trend and damping, z = 1 is always a root (the seasonal normalisation); R accepts it
        // through its 1e-10 tolerance. Divide it out and test the rest strictly.
        double atOne = 0;
        for (double c : p) {
            atOne += c;
        }
        if (Math.abs(atOne) < 1e-12) {
            p = divideByZMinusOne(p);
        }
        return rootsInsideUnitCircle(p);
    }

    private static double[] divideByZMinusOne(double[] p) {
        int n = p.length - 1;
        double[] q = new double[n];
        double carry = 0;
        for (int i = n; i >= 1; i--) {
            carry = p[i] + carry;
            q[i - 1] = carry;
        }
        return q;
    }

    /**
     * Schur-Cohn: all roots of sum p[i] z^i strictly inside the unit circle (up to 1e-10). The optimiser
     * asks this at every trial point, so the step-down alternates between two arrays allocated once and
     * divides once per step.
     */
    static boolean rootsInsideUnitCircle(double[] coefficients) {
        int n = coefficients.length - 1;
        double[] a = new double[n + 1];
        double[] next = new double[n + 1];
        // A small radial slack, like R's 1 + 1e-10 on the root moduli: test p(z * (1 + eps)).
        double r = 1 + 1e-10;
        double pow = 1;
        for (int i = 0; i <= n; i++) {
            a[i] = coefficients[i] * pow;
            pow *= r;
        }
        while (n > 0) {
            double lead = a[n];
            double k = a[0] / lead;
            if (!(Math.abs(k) < 1)) {
                return false;
            }
            double scale = 1 / ((1 - k * k) * lead);
            for (int i = 0; i < n; i++) {
                next[i] = (a[i + 1] - k * a[n - 1 - i]) * scale;
            }
            double[] t = a;
            a = next;
            next = t;
            n--;
        }
        return true;
    }
}
