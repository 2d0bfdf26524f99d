package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ETS likelihood loop: the hand-inlined filter against the step-by-step recursion it replaces, and
 * the least-squares level and slope of the additive-error models against filtering at those states.
 */
class EtsRecursionTest {

    private static final String[] ALL = {"ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA", "MNN", "MAN", "MAdN", "MNA",
        "MAA", "MAdA", "MNM", "MAM", "MAdM"};
    private static final String[] ADDITIVE = {"ANN", "AAN", "AAdN", "ANA", "AAA", "AAdA"};

    static Stream<Arguments> allSpecs() {
        return Stream.of(ALL).flatMap(s -> Stream.of(1L, 2L, 3L).flatMap(seed ->
                Stream.of(Arguments.of(s, seed, 4), Arguments.of(s, seed, 24))));
    }

    static Stream<Arguments> additiveSpecs() {
        return Stream.of(ADDITIVE).flatMap(s -> Stream.of(1L, 2L, 3L, 4L).flatMap(seed ->
                Stream.of(Arguments.of(s, seed, 4), Arguments.of(s, seed, 24))));
    }

    /** A positive seasonal series with trend and noise, 10 periods long. */
    private static double[] series(long seed, int m) {
        Random r = new Random(seed);
        double[] y = new double[10 * m + 7];
        for (int t = 0; t < y.length; t++) {
            y[t] = 100 + 0.3 * t + 20 * Math.sin(2 * Math.PI * t / m) + 5 * r.nextGaussian();
        }
        return y;
    }

    private static EtsParameters parameters(EtsSpec spec, Random r) {
        double alpha = 0.05 + 0.5 * r.nextDouble();
        double beta = spec.trended() ? alpha * (0.01 + 0.3 * r.nextDouble()) : 0;
        double gamma = spec.seasonal() ? (1 - alpha) * (0.01 + 0.3 * r.nextDouble()) : 0;
        double phi = spec.damped() ? 0.8 + 0.18 * r.nextDouble() : 1;
        return new EtsParameters(alpha, beta, gamma, phi);
    }

    /**
     * The inlined filter (state in locals, log|f| summed as the log of a running product) gives what one
     * {@code oneStep} and {@code absorb} a step with a log a step give: the same residuals and final state
     * bit for bit, and the same sums up to rounding.
     */
    @ParameterizedTest(name = "{0} seed {1} m {2}")
    @MethodSource("allSpecs")
    void filter_inlinedLoop_matchesTheStepByStepRecursion(String code, long seed, int m) {
        EtsSpec spec = EtsSpec.parse(code);
        double[] y = series(seed, m);
        EtsParameters p = parameters(spec, new Random(seed * 31 + m));
        double[] state = EtsInitialState.of(y, spec, m);

        EtsRecursion inlined = new EtsRecursion(spec, m);
        inlined.load(state);
        double[] sums = new double[2];
        double[] residuals = new double[y.length];
        assertTrue(inlined.filter(y, 0, y.length, p, sums, residuals, 0));

        EtsRecursion stepwise = new EtsRecursion(spec, m);
        stepwise.load(state);
        double sse = 0;
        double logf = 0;
        double[] expected = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double f = stepwise.oneStep(p);
            double e = spec.multiplicativeError() ? (y[i] - f) / f : y[i] - f;
            expected[i] = e;
            sse += e * e;
            logf += Math.log(Math.abs(f));
            stepwise.absorb(y[i], p);
        }
        assertArrayEquals(expected, residuals, 0);
        assertArrayEquals(stepwise.save(), inlined.save(), 0);
        assertEquals(sse, sums[0], 1e-12 * sse);
        assertEquals(spec.multiplicativeError() ? logf : 0, sums[1], 1e-10 * Math.abs(logf));
    }

    /** A diverging recursion is reported, not summed. */
    @Test
    void filter_zeroForecastWithMultiplicativeError_reportsDivergence() {
        EtsSpec spec = EtsSpec.parse("MNN");
        EtsRecursion r = new EtsRecursion(spec, 1);
        r.load(new double[] {0});
        double[] sums = new double[2];
        assertTrue(!r.filter(new double[] {1, 2, 3}, 0, 3, new EtsParameters(0.5, 0, 0, 1), sums, null, 0));
        assertArrayEquals(new double[2], sums, 0);
    }

    /**
     * The additive-error errors are affine in the initial level and slope: the minimum of the quadratic
     * built from the Gram sums equals the sum of squares filtered at the solved states (within 1e-9), and
     * moving either state away from its solution only increases it.
     */
    @ParameterizedTest(name = "{0} seed {1} m {2}")
    @MethodSource("additiveSpecs")
    void additiveGram_solvedLevelAndSlope_minimiseTheFilteredSumOfSquares(String code, long seed, int m) {
        EtsSpec spec = EtsSpec.parse(code);
        double[] y = series(seed, m);
        EtsParameters p = parameters(spec, new Random(seed * 17 + m));
        double[] state = EtsInitialState.of(y, spec, m);
        EtsRecursion r = new EtsRecursion(spec, m);
        double[] g = new double[6];
        assertTrue(r.additiveGram(y, state, p, g));
        // Minimise aa + 2 l au + 2 b av + l^2 uu + 2 l b uv + b^2 vv (Cramer's rule; l alone without trend).
        double l;
        double b = 0;
        if (spec.trended()) {
            double det = g[3] * g[5] - g[4] * g[4];
            l = (-g[1] * g[5] + g[2] * g[4]) / det;
            b = (-g[2] * g[3] + g[1] * g[4]) / det;
        } else {
            l = -g[1] / g[3];
        }
        double predicted = g[0] + l * g[1] + b * g[2];
        double[] solved = state.clone();
        solved[0] += l;
        if (spec.trended()) {
            solved[1] += b;
        }
        double atSolution = sse(spec, m, y, p, solved);
        assertEquals(atSolution, predicted, 1e-9 * atSolution);
        assertTrue(atSolution <= sse(spec, m, y, p, state) * (1 + 1e-12));
        for (double d : new double[] {-1, 1}) {
            double[] moved = solved.clone();
            moved[0] += d;
            assertTrue(sse(spec, m, y, p, moved) > atSolution);
            if (spec.trended()) {
                moved = solved.clone();
                moved[1] += 0.01 * d;
                assertTrue(sse(spec, m, y, p, moved) > atSolution);
            }
        }
    }

    private static double sse(EtsSpec spec, int m, double[] y, EtsParameters p, double[] state) {
        EtsRecursion r = new EtsRecursion(spec, m);
        r.load(state);
        double[] sums = new double[2];
        assertTrue(r.filter(y, 0, y.length, p, sums, null, 0));
        return sums[0];
    }

    /** The Gram sums are for additive errors only. */
    @Test
    void additiveGram_multiplicativeModel_isRefused() {
        EtsRecursion r = new EtsRecursion(EtsSpec.parse("MNN"), 1);
        assertThrows(IllegalStateException.class,
                () -> r.additiveGram(new double[] {1, 2, 3}, new double[] {1}, new EtsParameters(0.5, 0, 0, 1),
                        new double[6]));
    }
}
