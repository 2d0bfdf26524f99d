package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link LstmNetwork} on the windows of one or many series: mini-batches drawn from a seeded
 * shuffle, back-propagation through time, global-norm clipping, Adam, and early stopping on each
 * series' most recent windows.
 *
 * <p>A mini-batch of at least 32 windows is split into two fixed halves whose gradients are computed on
 * two threads (the caller and the common fork-join pool) and added in a fixed order, so equal inputs and
 * seeds give bit-identical weights on any number of cores.
 */
final class LstmTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LstmTrainer.class);
    /** Validation is a forward pass only, but there is no need to score every held-out window. */
    private static final int MAX_VALIDATION_WINDOWS = 8192;
    /** Below this many windows per half, splitting a mini-batch over two threads costs more than it saves. */
    private static final int MIN_PARTITION_ROWS = 16;

    /** The trained network and how training went. */
    record Result(LstmNetwork network, int epochs, double validationLoss) {
    }

    /** One series prepared for window extraction. */
    static final class Prepared {
        private final double[] values;
        private final double startSeconds;
        private final double stepSeconds;
        private final double[][] xreg;

        private Prepared(TimeSeries s, @Nullable Regressors r) {
            values = s.values();
            xreg = r == null ? new double[0][] : r.columnsView();
            startSeconds = WindowEncoder.seconds(s.start());
            stepSeconds = WindowEncoder.seconds(s.step());
        }

        static Prepared of(TimeSeries s) {
            return new Prepared(s, null);
        }

        static Prepared of(TimeSeries s, @Nullable Regressors r) {
            return new Prepared(s, r);
        }

        /** The regressor columns, shared: callers only read them. */
        double[][] xreg() {
            return xreg;
        }

        /** The values, shared without copying: callers only read them. */
        double[] values() {
            return values;
        }

        double startSeconds() {
            return startSeconds;
        }

        double stepSeconds() {
            return stepSeconds;
        }
    }

    private final LstmConfig config;
    private final WindowEncoder encoder;
    private final double[] quantiles;

    LstmTrainer(LstmConfig config) {
        this(config, 0);
    }

    LstmTrainer(LstmConfig config, int regressors) {
        this.config = config;
        this.encoder = new WindowEncoder(config, regressors);
        this.quantiles = config.quantiles().stream().mapToDouble(Double::doubleValue).toArray();
    }

    Result train(List<TimeSeries> series) {
        return train(series, null, FitProgress.NONE);
    }

    /** Trains on the series with their regressors ({@code regressors} null, or aligned one to one). */
    Result train(List<TimeSeries> series, List<Regressors> regressors) {
        return train(series, regressors, FitProgress.NONE);
    }

    /**
     * Trains as {@link #train(List, List)} does, reporting each epoch done against {@code maxEpochs}; an early
     * stop reports the last epoch as the whole.
     */
    Result train(List<TimeSeries> series, @Nullable List<Regressors> regressors, FitProgress progress) {
        int need = config.inputWindow() + config.horizon();
        List<Prepared> data = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            TimeSeries s = series.get(i);
            if (s.size() >= need) {
                data.add(Prepared.of(s, regressors == null ? null : regressors.get(i)));
            }
        }
        if (data.isEmpty()) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "LSTM training needs a series of at least inputWindow + horizon = %d + %d = %d values; "
                            + "the longest of %d given has %d",
                    config.inputWindow(), config.horizon(), need, series.size(),
                    series.stream().mapToInt(TimeSeries::size).max().orElse(0)));
        }
        if (data.size() < series.size()) {
            LOG.warn("LSTM training skips {} of {} series shorter than {} values", series.size() - data.size(),
                    series.size(), need);
        }
        List<Long> trainList = new ArrayList<>();
        List<Long> validationList = new ArrayList<>();
        for (int s = 0; s < data.size(); s++) {
            int n = data.get(s).values().length;
            int first = config.inputWindow();
            int last = n - config.horizon();
            int count = last - first + 1;
            int nVal = config.validationShare() > 0 && count >= 2
                    ? Math.max(1, (int) Math.ceil(config.validationShare() * count)) : 0;
            int firstVal = last - nVal + 1;
            // Training targets end before the validation targets start, unless that leaves nothing.
            int lastTrain = firstVal - config.horizon() - 1 >= first ? firstVal - config.horizon() - 1 : firstVal - 1;
            for (int o = first; o <= lastTrain; o++) {
                trainList.add(key(s, o));
            }
            for (int o = firstVal; o <= last; o++) {
                validationList.add(key(s, o));
            }
        }
        long[] train = trainList.stream().mapToLong(Long::longValue).toArray();
        long[] validation = evenlySpaced(validationList, MAX_VALIDATION_WINDOWS);

        SplittableRandom rng = new SplittableRandom(config.seed());
        int outputs = config.horizon() * quantiles.length;
        LstmNetwork net = LstmNetwork.initialised(encoder.inputSize, config.hiddenSize(), config.layers(), outputs,
                encoder.headInputs, rng);
        Adam adam = new Adam(net.parameters(), config.learningRate());
        PinballLoss loss = new PinballLoss(quantiles, 0);
        List<DMatrixRMaj> grads = net.zeroGradients();
        List<DMatrixRMaj> gradsFirst = net.zeroGradients();

        LstmNetwork best = net.copy();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        int perEpoch = config.windowsPerEpoch() == 0 ? train.length : Math.min(config.windowsPerEpoch(), train.length);
        while (epoch < config.maxEpochs() && epoch - bestEpoch < config.patience()) {
            epoch++;
            shuffle(train, rng);
            double trainSum = 0;
            int batches = 0;
            for (int b0 = 0; b0 < perEpoch; b0 += config.batchSize()) {
                int b1 = Math.min(perEpoch, b0 + config.batchSize());
                int rows = b1 - b0;
                if (rows >= 2 * MIN_PARTITION_ROWS) {
                    // Two fixed halves, each summed by one thread, then added in a fixed order: the
                    // result does not depend on scheduling or on how many cores run it.
                    int mid = b0 + rows / 2;
                    int from = b0;
                    CompletableFuture<Double> first = CompletableFuture.supplyAsync(
                            () -> gradient(net, data, train, from, mid, rows, loss, gradsFirst));
                    double second = gradient(net, data, train, mid, b1, rows, loss, grads);
                    trainSum += first.join() + second;
                    for (int k = 0; k < grads.size(); k++) {
                        double[] g = grads.get(k).data;
                        double[] a = gradsFirst.get(k).data;
                        for (int i = 0; i < g.length; i++) {
                            g[i] = a[i] + g[i];
                        }
                    }
                } else {
                    trainSum += gradient(net, data, train, b0, b1, rows, loss, grads);
                }
                batches++;
                Adam.clip(grads, config.clipNorm());
                adam.step(grads);
            }
            double trainLoss = trainSum / batches;
            double score = validation.length > 0 ? evaluate(net, data, validation, loss) : trainLoss;
            if (!Double.isFinite(score)) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "LSTM training diverged at epoch %d (loss %s); lower the learning rate", epoch, score));
            }
            LOG.debug("LSTM epoch {}: training loss {}, validation loss {}", epoch, trainLoss, score);
            if (score < bestLoss) {
                bestLoss = score;
                bestEpoch = epoch;
                best = net.copy();
            }
            progress.fitted(epoch, config.maxEpochs());
        }
        if (epoch < config.maxEpochs()) {
            progress.fitted(config.maxEpochs(), config.maxEpochs());
        }
        return new Result(best, bestEpoch, bestLoss);
    }

    /**
     * Sets {@code grads} to the gradient of the batch loss contributed by windows {@code [from, to)} of a
     * batch of {@code batchRows}, and returns their share of the batch loss.
     */
    private double gradient(LstmNetwork net, List<Prepared> data, long[] windows, int from, int to, int batchRows,
            PinballLoss loss, List<DMatrixRMaj> grads) {
        Batch batch = batch(data, windows, from, to);
        LstmNetwork.Pass pass = net.forward(batch.inputs, batch.head);
        DMatrixRMaj dOut = new DMatrixRMaj(pass.output.numRows, pass.output.numCols);
        double share = (double) (to - from) / batchRows;
        double value = loss.evaluate(pass.output, batch.targets, dOut) * share;
        CommonOps_DDRM.scale(share, dOut);
        for (DMatrixRMaj g : grads) {
            g.zero();
        }
        net.backward(pass, dOut, grads);
        return value;
    }

    private double evaluate(LstmNetwork net, List<Prepared> data, long[] windows, PinballLoss loss) {
        double sum = 0;
        int batchSize = Math.max(config.batchSize(), 256);
        for (int b0 = 0; b0 < windows.length; b0 += batchSize) {
            int b1 = Math.min(windows.length, b0 + batchSize);
            Batch batch = batch(data, windows, b0, b1);
            sum += loss.evaluate(net.forward(batch.inputs, batch.head).output, batch.targets, null) * (b1 - b0);
        }
        return sum / windows.length;
    }

    /** Encoded inputs and targets of a run of windows. */
    /** {@code head} is null when the network's head takes no inputs. */
    record Batch(DMatrixRMaj[] inputs, @Nullable DMatrixRMaj head, DMatrixRMaj targets) {
    }

    Batch batch(List<Prepared> data, long[] windows, int from, int to) {
        int size = to - from;
        DMatrixRMaj[] inputs = encoder.newInputs(size);
        DMatrixRMaj targets = new DMatrixRMaj(size, config.horizon());
        DMatrixRMaj head = encoder.newHead(size);
        double[] shape = new double[config.seasonalPeriod()];
        for (int r = 0; r < size; r++) {
            long k = windows[from + r];
            Prepared p = data.get((int) (k >>> 32));
            int origin = (int) k;
            double level = encoder.encode(p.values(), p.xreg(), p.startSeconds(), p.stepSeconds(), origin, inputs, r,
                    shape);
            encoder.targets(p.values(), origin, level, shape, targets, r);
            if (head != null) {
                encoder.head(p.xreg(), origin, head, r);
            }
        }
        return new Batch(inputs, head, targets);
    }

    static long key(int series, int origin) {
        return ((long) series << 32) | origin;
    }

    private static long[] evenlySpaced(List<Long> all, int max) {
        int n = Math.min(all.size(), max);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = all.get((int) ((long) i * all.size() / n));
        }
        return out;
    }

    private static void shuffle(long[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
