package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LstmRegressorsTest {

    private static final Instant START = Instant.parse("2024-03-04T00:00:00Z");
    private static final double EPS = 1e-5;

    /**
     * Back-propagation with head inputs against central finite differences of the Huberised pinball loss
     * (differentiable, see {@link LstmNetworkTest}), for every parameter block; the head's weights are split
     * into the rows of the hidden state and the rows of the head inputs (the regressors' future values).
     */
    @Test
    void forward_headTakesInputsButNoneGiven_isRefusedByName() {
        SplittableRandom rng = new SplittableRandom(5);
        LstmNetwork net = LstmNetwork.initialised(3, 4, 1, 2, 6, rng);
        DMatrixRMaj[] inputs = {random(2, 3, rng), random(2, 3, rng)};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(inputs));
        assertTrue(e.getMessage().contains("6 inputs"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void backward_withHeadInputs_matchesFiniteDifferencesInEveryBlock(int layers) {
        SplittableRandom rng = new SplittableRandom(17 + layers);
        int input = 5;
        int hidden = 4;
        int horizon = 3;
        int headInputs = 6;
        double[] quantiles = {0.1, 0.5, 0.9};
        int batch = 4;
        LstmNetwork net = LstmNetwork.initialised(input, hidden, layers, horizon * quantiles.length, headInputs, rng);
        for (DMatrixRMaj p : net.parameters()) {
            for (int i = 0; i < p.data.length; i++) {
                p.data[i] += 0.3 * (rng.nextDouble() - 0.5);
            }
        }
        DMatrixRMaj[] inputs = new DMatrixRMaj[4];
        for (int t = 0; t < inputs.length; t++) {
            inputs[t] = random(batch, input, rng);
        }
        DMatrixRMaj head = random(batch, headInputs, rng);
        DMatrixRMaj targets = random(batch, horizon, rng);
        PinballLoss loss = new PinballLoss(quantiles, 0.1);
        LstmNetwork.Pass pass = net.forward(inputs, head);
        DMatrixRMaj dOut = new DMatrixRMaj(batch, horizon * quantiles.length);
        loss.evaluate(pass.output, targets, dOut);
        List<DMatrixRMaj> grads = net.zeroGradients();
        net.backward(pass, dOut, grads);
        List<DMatrixRMaj> params = net.parameters();
        for (int k = 0; k < params.size(); k++) {
            DMatrixRMaj p = params.get(k);
            boolean headWeights = k == 2 * layers;
            int[][] rowRanges = headWeights ? new int[][] {{0, hidden}, {hidden, hidden + headInputs}}
                    : new int[][] {{0, p.numRows}};
            for (int[] rows : rowRanges) {
                double diff = 0;
                double norm = 0;
                for (int i = rows[0] * p.numCols; i < rows[1] * p.numCols; i++) {
                    double saved = p.data[i];
                    p.data[i] = saved + EPS;
                    double up = loss.evaluate(net.forward(inputs, head).output, targets, null);
                    p.data[i] = saved - EPS;
                    double down = loss.evaluate(net.forward(inputs, head).output, targets, null);
                    p.data[i] = saved;
                    double numeric = (up - down) / (2 * EPS);
                    double analytic = grads.get(k).data[i];
                    diff += (numeric - analytic) * (numeric - analytic);
                    norm += numeric * numeric + analytic * analytic;
                }
                String block = String.format(Locale.ROOT, "layers=%d block=%d rows=%d..%d", layers, k, rows[0],
                        rows[1]);
                assertTrue(norm > 0, block + " has a zero gradient: the check would prove nothing");
                assertTrue(Math.sqrt(diff / norm) < 1e-5, block + " relative error " + Math.sqrt(diff / norm));
            }
        }
    }

    /** A daily cycle with a jump of +8 during events every few days; the events follow no calendar rule. */
    static double[] eventSeries(int n, boolean[] event, long seed) {
        Random rng = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 20 + 4 * Math.sin(2 * Math.PI * t / 24) + rng.nextGaussian() * 0.4 + (event[t] ? 8 : 0);
        }
        return v;
    }

    static boolean[] events(int n, long seed) {
        Random rng = new Random(seed);
        boolean[] e = new boolean[n];
        for (int t = 0; t < n; t++) {
            if (rng.nextDouble() < 0.02) {
                for (int k = 0; k < 4 && t + k < n; k++) {
                    e[t + k] = true;
                }
                t += 4;
            }
        }
        return e;
    }

    static Regressors indicator(boolean[] e) {
        double[] v = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            v[i] = e[i] ? 1 : 0;
        }
        return Regressors.builder(START, Duration.ofHours(1), e.length).column("event", v).build();
    }

    static LstmConfig config() {
        return LstmConfig.builder().inputWindow(48).chunk(6).seasonalPeriod(24).horizon(12).hiddenSize(12)
                .maxEpochs(25).batchSize(32).patience(25).learningRate(0.01).quantiles(0.1, 0.5, 0.9).seed(5)
                .build();
    }

    @Test
    void localLstm_withEventIndicator_forecastsEventStepsBetterThanWithout() {
        int n = 1400;
        int test = 400;
        boolean[] e = events(n, 3);
        double[] v = eventSeries(n, e, 4);
        TimeSeries all = TimeSeries.of(START, Duration.ofHours(1), v);
        Regressors regs = indicator(e);
        int train = n - test;
        FittedModel with = Forecasters.lstm(config()).fit(all.head(train), regs.head(train));
        FittedModel without = Forecasters.lstm(config()).fit(all.head(train));
        assertEquals(List.of("event"), with.regressorNames());
        double errWith = 0;
        double errWithout = 0;
        int count = 0;
        for (int o = train; o + 12 <= n; o += 12) {
            Forecast fw = with.update(all.slice(train, o), regs.slice(train, o)).forecast(12, regs.slice(o, o + 12));
            Forecast fo = without.update(all.slice(train, o)).forecast(12);
            for (int h = 0; h < 12; h++) {
                if (e[o + h]) {
                    errWith += Math.abs(fw.mean(h) - v[o + h]);
                    errWithout += Math.abs(fo.mean(h) - v[o + h]);
                    count++;
                }
            }
        }
        assertTrue(count > 20, "too few event steps in the test period: " + count);
        // Measured: MAE on the 40 event steps 1.03 with the indicator, 7.49 without (the jump is 8).
        assertTrue(errWith < 0.5 * errWithout, String.format(Locale.ROOT,
                "MAE on %d event steps: %.3f with the indicator, %.3f without", count, errWith / count,
                errWithout / count));
    }

    @Test
    void trainGlobal_withRegressors_roundTripsThroughVersion2AndForecastsIdentically() {
        List<TimeSeries> series = new ArrayList<>();
        List<Regressors> regs = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            boolean[] e = events(300, 10 + s);
            series.add(TimeSeries.of(START, Duration.ofHours(1), eventSeries(300, e, 20 + s)));
            regs.add(indicator(e));
        }
        LstmConfig c = LstmConfig.builder().inputWindow(24).chunk(6).seasonalPeriod(12).horizon(6).hiddenSize(4)
                .maxEpochs(2).quantiles(0.1, 0.5, 0.9).seed(1).build();
        LstmModel m = LstmModel.trainGlobal(series, regs, c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.save(out);
        LstmModel loaded = LstmModel.load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(m, loaded);
        assertEquals(List.of("event"), loaded.regressorNames());
        Regressors future = Regressors.builder(series.get(0).end(), Duration.ofHours(1), 6)
                .column("event", 0, 1, 1, 0, 0, 0).build();
        assertEquals(m.forecast(series.get(0), regs.get(0), future, 6, 80),
                loaded.forecast(series.get(0), regs.get(0), future, 6, 80));
        // The pretrained forecaster needs the regressors it was trained with.
        FittedModel fitted = m.forecaster().fit(series.get(0), regs.get(0));
        assertEquals(m.forecast(series.get(0), regs.get(0), future, 6), fitted.forecast(6, future));
        assertThrows(IllegalStateException.class, () -> m.forecaster().fit(series.get(0)));
        assertThrows(IllegalStateException.class, () -> m.forecast(series.get(0), 6));
        Regressors renamed = Regressors.builder(START, Duration.ofHours(1), 300)
                .column("other", regs.get(0).column("event")).build();
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> m.forecaster().fit(series.get(0), renamed));
        assertTrue(wrong.getMessage().contains("[other]"), wrong.getMessage());
    }

    @Test
    void trainGlobal_mismatchedRegressors_areRejected() {
        TimeSeries s = TimeSeries.of(START, Duration.ofHours(1), eventSeries(100, new boolean[100], 1));
        Regressors shortRegs = indicator(new boolean[99]);
        LstmConfig c = LstmConfig.builder().inputWindow(24).chunk(6).seasonalPeriod(12).horizon(6).build();
        assertThrows(IllegalArgumentException.class, () -> LstmModel.trainGlobal(List.of(s), List.of(shortRegs), c));
        assertThrows(IllegalArgumentException.class, () -> LstmModel.trainGlobal(List.of(s, s), List.of(
                indicator(new boolean[100])), c));
    }

    private static DMatrixRMaj random(int rows, int cols, SplittableRandom rng) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble() * 2 - 1;
        }
        return m;
    }
}
