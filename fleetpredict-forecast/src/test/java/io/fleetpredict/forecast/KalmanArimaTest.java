package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KalmanArimaTest {

    @Test
    void stationaryCovariance_ar1_isClosedForm() {
        // Var of AR(1) with unit innovations is 1 / (1 - phi^2).
        KalmanArima model = KalmanArima.of(new double[] {0.7}, new double[0], new double[0]);
        assertEquals(1 / (1 - 0.49), model.initialState()[1][0], 1e-12);
    }

    @Test
    void stationaryCovariance_ma1_isClosedForm() {
        // State (y_t, theta e_t): Var y = 1 + theta^2, Cov = theta, Var = theta^2.
        double th = -0.4;
        KalmanArima model = KalmanArima.of(new double[0], new double[] {th}, new double[0]);
        double[] p = model.initialState()[1];
        assertEquals(1 + th * th, p[0], 1e-12);
        assertEquals(th, p[1], 1e-12);
        assertEquals(th * th, p[3], 1e-12);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void stationaryCovariance_randomSeasonalArma_solvesLyapunovEquation(long seed) {
        Random rnd = new Random(seed);
        ArimaSpec spec = new ArimaSpec(ArimaOrder.of(2, 0, 2, 1, 0, 1, 4), java.util.List.of());
        double[] coef = randomStationary(rnd, spec);
        double[] phi = spec.phi(coef);
        double[] theta = spec.theta(coef);
        int r = Math.max(phi.length, theta.length + 1);
        double[] rv = new double[r];
        rv[0] = 1;
        System.arraycopy(theta, 0, rv, 1, theta.length);
        double[] phiPadded = java.util.Arrays.copyOf(phi, r);
        double[] q0 = StationaryCovariance.of(phiPadded, rv, r, phi.length);
        // Q0 = T Q0 T' + R R' with T the companion matrix (first column phi, ones above the diagonal).
        double[][] t = new double[r][r];
        for (int i = 0; i < r; i++) {
            t[i][0] = phiPadded[i];
            if (i + 1 < r) {
                t[i][i + 1] = 1;
            }
        }
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                double v = rv[i] * rv[j];
                for (int k = 0; k < r; k++) {
                    for (int l = 0; l < r; l++) {
                        v += t[i][k] * q0[k * r + l] * t[j][l];
                    }
                }
                assertEquals(q0[i * r + j], v, 1e-9 * (1 + Math.abs(v)), "entry " + i + "," + j);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16})
    void chandrasekhar_randomModel_equalsFullKalmanFilter(long seed) {
        Random rnd = new Random(seed);
        ArimaSpec spec = new ArimaSpec(ArimaOrder.of(1, 0, 2, 1, 0, 1, 6), java.util.List.of());
        double[] coef = randomStationary(rnd, spec);
        KalmanArima model = KalmanArima.of(spec.phi(coef), spec.theta(coef), new double[0]);
        double[] w = new double[200];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian() + (i > 0 ? 0.5 * w[i - 1] : 0);
        }
        double[][] state = model.initialState();
        KalmanArima.Innovations full = model.filter(w, state[0], state[1], true, null);
        KalmanArima.Innovations fast = model.chandrasekhar(w);
        assertEquals(full.ssq(), fast.ssq(), 1e-8 * full.ssq());
        assertEquals(full.sumLog(), fast.sumLog(), 1e-8);
        assertEquals(full.count(), fast.count());
    }

    @Test
    void transform_roundTrip_recoversCoefficients() {
        ArimaSpec spec = new ArimaSpec(ArimaOrder.of(3, 0, 0, 2, 0, 0, 12), java.util.List.of());
        double[] raw = {0.3, -1.2, 0.8, 0.5, -0.4};
        double[] back = spec.inverseTransform(spec.transform(raw));
        for (int i = 0; i < raw.length; i++) {
            assertEquals(raw[i], back[i], 1e-10);
        }
        double[] ar = java.util.Arrays.copyOf(spec.transform(raw), 3);
        assertEquals(true, PolynomialRoots.isStationary(ar));
    }

    @Test
    void invertMa_nonInvertibleMa1_isReciprocal() {
        assertEquals(0.5, PolynomialRoots.invertMa(new double[] {2.0})[0], 1e-12);
        // 1 + 2.5x + x^2 = (1 + 2x)(1 + 0.5x): the root -0.5 reflects to -2, giving (1 + 0.5x)^2.
        double[] inv = PolynomialRoots.invertMa(new double[] {2.5, 1.0});
        assertEquals(1.0, inv[0], 1e-9);
        assertEquals(0.25, inv[1], 1e-9);
    }

    private static double[] randomStationary(Random rnd, ArimaSpec spec) {
        double[] raw = new double[spec.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = rnd.nextDouble() * 1.6 - 0.8;
        }
        double[] coef = spec.transform(raw);
        double[] ma = java.util.Arrays.copyOfRange(coef, spec.p, spec.p + spec.q);
        System.arraycopy(PolynomialRoots.invertMa(ma), 0, coef, spec.p, spec.q);
        return coef;
    }
}
