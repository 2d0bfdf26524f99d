package io.fleetpredict.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.ejml.data.DMatrixRMaj;
import org.jspecify.annotations.Nullable;

/**
 * The weights of a trained LSTM quantile forecaster: an immutable, thread-safe value that forecasts any
 * series at least one input window long, and can be saved and loaded.
 *
 * <p>Train it on one series ({@link Forecasters#lstm}) or across many ({@link #trainGlobal}), the way
 * global models learn patterns shared by a collection of series. {@link #forecaster()} plugs a trained
 * model into the {@link Forecaster} API without retraining.
 *
 * <p><b>File format</b> (version 1), written by {@link #save} with {@link DataOutputStream} (big-endian):
 * the 6 ASCII bytes {@code FPLSTM}; an {@code int} format version; the configuration as
 * {@code int} inputWindow, horizon, seasonalPeriod, chunk, hiddenSize, layers, an {@code int} count of
 * quantiles followed by that many {@code double}s, a {@code boolean} calendarFeatures, a {@code double}
 * learningRate, {@code int} batchSize, maxEpochs, windowsPerEpoch, patience, {@code double} clipNorm,
 * validationShare and a {@code long} seed; the training summary as an {@code int} best epoch and a
 * {@code double} validation loss; then an {@code int} count of parameter blocks and each block as
 * {@code int} rows, {@code int} columns and its {@code double}s row by row. The blocks are, per layer,
 * the gate weights ({@code (in + H) x 4H}, rows: the layer input then the previous hidden state; columns:
 * input, forget, cell and output gates) and the gate biases ({@code 1 x 4H}), then the dense head's
 * weights ({@code H x horizon * quantiles}, column {@code h * quantiles + q}) and bias.
 *
 * <p>Version 2 is written for a model trained with regressors ({@link #trainGlobal(List, List, LstmConfig)}):
 * as version 1, with after the validation loss an {@code int} count of regressors and each name by
 * {@link DataOutputStream#writeUTF}; the first layer's input rows then include the regressors at each
 * step, and the head's weights have {@code horizon * regressors} more rows for their future values.
 */
public final class LstmModel {

    private static final byte[] MAGIC = "FPLSTM".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;
    private static final int FORMAT_VERSION_REGRESSORS = 2;

    private final LstmConfig config;
    private final LstmNetwork network;
    private final int epochs;
    private final double validationLoss;
    private final WindowEncoder encoder;
    private final List<String> regressorNames;

    private LstmModel(LstmConfig config, LstmNetwork network, int epochs, double validationLoss,
            List<String> regressorNames) {
        this.config = config;
        this.network = network;
        this.epochs = epochs;
        this.validationLoss = validationLoss;
        this.regressorNames = List.copyOf(regressorNames);
        this.encoder = new WindowEncoder(config, regressorNames.size());
    }

    /**
     * Trains one model across many series. Series shorter than {@code inputWindow + horizon} add no
     * training windows but can still be forecast once they are one input window long.
     *
     * @param series the training series
     * @param config the architecture and training settings
     * @return the trained model, the weights of the epoch with the best validation loss
     * @throws InsufficientDataException if no series is {@code inputWindow + horizon} long
     * @throws ModelFitException if training diverges
     */
    public static LstmModel trainGlobal(List<TimeSeries> series, LstmConfig config) {
        return trainGlobal(series, config, FitProgress.NONE);
    }

    /**
     * Trains one model across many series, as {@link #trainGlobal(List, LstmConfig)} does, telling
     * {@code progress} of each epoch done out of {@link LstmConfig#maxEpochs()} (an early stop ends with
     * {@code maxEpochs} of {@code maxEpochs}).
     *
     * @param series the training series
     * @param config the architecture and training settings
     * @param progress told after each epoch, from the training thread
     * @return the trained model, the weights of the epoch with the best validation loss
     * @throws InsufficientDataException if no series is {@code inputWindow + horizon} long
     * @throws ModelFitException if training diverges
     */
    public static LstmModel trainGlobal(List<TimeSeries> series, LstmConfig config, FitProgress progress) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(progress, "progress");
        List<TimeSeries> copy = List.copyOf(series);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty");
        }
        LstmTrainer.Result r = new LstmTrainer(config).train(copy, null, progress);
        return new LstmModel(config, r.network(), r.epochs(), r.validationLoss(), List.of());
    }

    /**
     * Trains one model across many series, each with exogenous regressors over its steps. The regressors
     * at the steps of the input window become extra inputs of every recurrent step, and their known values
     * over the horizon extra inputs of the dense head, so the model learns what an event does to the series.
     *
     * @param series the training series
     * @param regressors one per series, covering exactly its steps, all with the same names
     * @param config the architecture and training settings
     * @return the trained model
     * @throws IllegalArgumentException if the lists differ in length, or regressors are misaligned or named
     *     differently
     * @throws InsufficientDataException if no series is {@code inputWindow + horizon} long
     * @throws ModelFitException if training diverges
     */
    public static LstmModel trainGlobal(List<TimeSeries> series, List<Regressors> regressors, LstmConfig config) {
        Objects.requireNonNull(config, "config");
        List<TimeSeries> copy = List.copyOf(series);
        List<Regressors> regs = List.copyOf(regressors);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty");
        }
        if (regs.size() != copy.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "regressors must be one per series: %d for %d series", regs.size(), copy.size()));
        }
        List<String> names = regs.get(0).names();
        for (int i = 0; i < copy.size(); i++) {
            regs.get(i).requireAligned(copy.get(i));
            if (!regs.get(i).names().equals(names)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "regressors of series %d are %s, of series 0 %s: all must have the same names", i,
                        regs.get(i).names(), names));
            }
        }
        LstmTrainer.Result r = new LstmTrainer(config, names.size()).train(copy, regs);
        return new LstmModel(config, r.network(), r.epochs(), r.validationLoss(), names);
    }

    /** @return the names of the regressors the model was trained with; empty if none */
    public List<String> regressorNames() {
        return regressorNames;
    }

    /** @return the configuration the model was trained with */
    public LstmConfig config() {
        return config;
    }

    /** @return the epoch whose weights were kept (the best on validation) */
    public int epochs() {
        return epochs;
    }

    /** @return the mean pinball loss on the validation windows (training windows if none), in level units */
    public double validationLoss() {
        return validationLoss;
    }

    /** @return the number of trained weights and biases */
    public int parameterCount() {
        return network.parameters().stream().mapToInt(DMatrixRMaj::getNumElements).sum();
    }

    /** @return a short description of the architecture */
    public String name() {
        return String.format(Locale.ROOT, "lstm(window=%d, chunk=%d, hidden=%d, layers=%d, horizon=%d)",
                config.inputWindow(), config.chunk(), config.hiddenSize(), config.layers(), config.horizon());
    }

    /**
     * Forecasts the steps after the end of a series.
     *
     * @param history the series, at least {@code inputWindow} values; only its last window is read
     * @param horizon steps, from 1 to the trained horizon
     * @param levels interval levels in percent, each one the model was trained for ({@link LstmConfig#levels()})
     * @return the median as point forecast and the requested quantile intervals
     * @throws InsufficientDataException if the history is shorter than the input window
     * @throws IllegalArgumentException if the horizon exceeds the trained one or a level was not trained
     */
    public Forecast forecast(TimeSeries history, int horizon, double... levels) {
        if (!regressorNames.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "this LSTM was trained with regressors %s: forecast with their past and future values",
                    regressorNames));
        }
        return forecastWith(history, null, horizon, levels);
    }

    /**
     * Forecasts the steps after the end of a series with the regressors the model was trained with.
     *
     * @param history the series, at least {@code inputWindow} values; only its last window is read
     * @param past the regressors over exactly the steps of {@code history}
     * @param future the regressors from the end of the history, at least {@code horizon} steps; the head reads
     *     the trained horizon, and steps beyond those given count as 0
     * @param horizon steps, from 1 to the trained horizon
     * @param levels interval levels in percent, each one the model was trained for
     * @return the median as point forecast and the requested quantile intervals
     * @throws IllegalArgumentException if the regressors are misaligned or named differently
     */
    public Forecast forecast(TimeSeries history, Regressors past, Regressors future, int horizon,
            double... levels) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(past, "past");
        Objects.requireNonNull(future, "future");
        return forecastWith(history, regressorWindow(history, past, future, horizon), horizon, levels);
    }

    /** The forecast from the regressors' window as the encoder reads it, or none for a model without them. */
    private Forecast forecastWith(TimeSeries history, double @Nullable [][] window, int horizon, double... levels) {
        Objects.requireNonNull(history, "history");
        if (history.size() < config.inputWindow()) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "the LSTM reads the last %d values (inputWindow), the series has %d",
                    config.inputWindow(), history.size()));
        }
        if (horizon < 1 || horizon > config.horizon()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "horizon must be from 1 to the trained horizon %d, was %d", config.horizon(), horizon));
        }
        int q = config.quantiles().size();
        int[] lowerIndex = new int[levels.length];
        for (int i = 0; i < levels.length; i++) {
            lowerIndex[i] = trainedLowerIndex(levels[i]);
        }
        double[][] quant = quantiles(history, window);
        double[] mean = new double[horizon];
        for (int h = 0; h < horizon; h++) {
            mean[h] = quant[h][q / 2];
        }
        Forecast.Builder b = Forecast.builder(name(), history.end(), history.step(), mean);
        for (int i = 0; i < levels.length; i++) {
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                lo[h] = quant[h][lowerIndex[i]];
                hi[h] = quant[h][q - 1 - lowerIndex[i]];
            }
            b.interval(levels[i], lo, hi);
        }
        return b.build();
    }

    /**
     * A forecaster whose {@code fit} keeps these weights and only reads the series, so a model trained
     * across many series serves each of them through the {@link Forecaster} API.
     *
     * @return the forecaster
     */
    public Forecaster forecaster() {
        return new LstmForecaster(config, this);
    }

    /** All trained quantiles per step, ascending within a step (sorting removes any crossing). */
    double[][] quantiles(TimeSeries history) {
        return quantiles(history, null);
    }

    /**
     * The regressors over the last input window then the known future, {@code inputWindow + horizon} per
     * column, as the encoder reads them.
     */
    private double[][] regressorWindow(TimeSeries history, Regressors past, Regressors future, int horizon) {
        past.requireAligned(history);
        if (!past.names().equals(regressorNames)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "past regressors are %s, the LSTM was trained with %s", past.names(), regressorNames));
        }
        int steps = Math.max(horizon, Math.min(config.horizon(), future.size()));
        double[][] fut = future.future(regressorNames, history.end(), history.step(), steps);
        int w = config.inputWindow();
        int n = history.size();
        double[][] out = new double[regressorNames.size()][];
        for (int j = 0; j < out.length; j++) {
            out[j] = new double[w + fut[j].length];
            for (int i = 0; i < w && n - w + i >= 0; i++) {
                out[j][i] = past.get(j, n - w + i);
            }
            System.arraycopy(fut[j], 0, out[j], w, fut[j].length);
        }
        return out;
    }

    private double[][] quantiles(TimeSeries history, double @Nullable [][] xreg) {
        if (!regressorNames.isEmpty() && xreg == null) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "this LSTM was trained with regressors %s: forecast with their past and future values",
                    regressorNames));
        }
        int q = config.quantiles().size();
        int window = config.inputWindow();
        TimeSeries tail = history.tail(window);
        DMatrixRMaj[] inputs = encoder.newInputs(1);
        double[] shape = new double[config.seasonalPeriod()];
        double[][] regs = xreg == null ? new double[0][] : xreg;
        double level = encoder.encode(tail.values(), regs, WindowEncoder.seconds(tail.start()),
                WindowEncoder.seconds(tail.step()), window, inputs, 0, shape);
        DMatrixRMaj head = encoder.newHead(1);
        if (head != null) {
            encoder.head(regs, window, head, 0);
        }
        double[] out = network.forward(inputs, head).output.data;
        double[][] result = new double[config.horizon()][q];
        for (int h = 0; h < config.horizon(); h++) {
            for (int k = 0; k < q; k++) {
                result[h][k] = encoder.decode(out[h * q + k], h, level, shape);
            }
            Arrays.sort(result[h]);
        }
        return result;
    }

    private int trainedLowerIndex(double level) {
        List<Double> q = config.quantiles();
        for (int i = 0; i < q.size() / 2; i++) {
            if (Math.abs(LstmConfig.levelOf(q.get(i)) - level) < 1e-6) {
                return i;
            }
        }
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "level %s%% was not trained; this LSTM provides the levels %s (quantiles %s)",
                level, config.levels(), q));
    }

    /**
     * Writes the model in the documented binary format (version 1). The stream is flushed, not closed.
     *
     * @param out where to write
     * @throws UncheckedIOException if writing fails
     */
    public void save(OutputStream out) {
        try {
            DataOutputStream d = new DataOutputStream(out);
            d.write(MAGIC);
            d.writeInt(regressorNames.isEmpty() ? FORMAT_VERSION : FORMAT_VERSION_REGRESSORS);
            LstmConfig c = config;
            for (int v : new int[] {c.inputWindow(), c.horizon(), c.seasonalPeriod(), c.chunk(), c.hiddenSize(),
                    c.layers()}) {
                d.writeInt(v);
            }
            d.writeInt(c.quantiles().size());
            for (double p : c.quantiles()) {
                d.writeDouble(p);
            }
            d.writeBoolean(c.calendarFeatures());
            d.writeDouble(c.learningRate());
            d.writeInt(c.batchSize());
            d.writeInt(c.maxEpochs());
            d.writeInt(c.windowsPerEpoch());
            d.writeInt(c.patience());
            d.writeDouble(c.clipNorm());
            d.writeDouble(c.validationShare());
            d.writeLong(c.seed());
            d.writeInt(epochs);
            d.writeDouble(validationLoss);
            if (!regressorNames.isEmpty()) {
                d.writeInt(regressorNames.size());
                for (String name : regressorNames) {
                    d.writeUTF(name);
                }
            }
            List<DMatrixRMaj> blocks = network.parameters();
            d.writeInt(blocks.size());
            for (DMatrixRMaj m : blocks) {
                d.writeInt(m.numRows);
                d.writeInt(m.numCols);
                for (int i = 0; i < m.getNumElements(); i++) {
                    d.writeDouble(m.data[i]);
                }
            }
            d.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the LSTM model failed", e);
        }
    }

    /**
     * Reads a model written by {@link #save}. The stream is not closed.
     *
     * @param in where to read
     * @return the model
     * @throws ForecastException if the bytes are not an LSTM model of a supported format version
     * @throws UncheckedIOException if reading fails
     */
    public static LstmModel load(InputStream in) {
        try {
            DataInputStream d = new DataInputStream(in);
            byte[] magic = new byte[MAGIC.length];
            d.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new ForecastException("not an LSTM model: the stream does not start with FPLSTM");
            }
            int version = d.readInt();
            if (version != FORMAT_VERSION && version != FORMAT_VERSION_REGRESSORS) {
                throw new ForecastException(String.format(Locale.ROOT,
                        "LSTM model format version %d is not supported (this library reads versions %d and %d)",
                        version, FORMAT_VERSION, FORMAT_VERSION_REGRESSORS));
            }
            int inputWindow = d.readInt();
            int horizon = d.readInt();
            int period = d.readInt();
            int chunk = d.readInt();
            int hidden = d.readInt();
            int layers = d.readInt();
            int nq = d.readInt();
            if (nq < 1 || nq > 1000) {
                throw new ForecastException("corrupt LSTM model: " + nq + " quantiles");
            }
            List<Double> quantiles = new ArrayList<>();
            for (int i = 0; i < nq; i++) {
                quantiles.add(d.readDouble());
            }
            LstmConfig config;
            try {
                config = new LstmConfig(inputWindow, horizon, period, chunk, hidden, layers, quantiles,
                        d.readBoolean(), d.readDouble(), d.readInt(), d.readInt(), d.readInt(), d.readInt(),
                        d.readDouble(), d.readDouble(), d.readLong());
            } catch (IllegalArgumentException e) {
                throw new ForecastException("corrupt LSTM model configuration: " + e.getMessage(), e);
            }
            int epochs = d.readInt();
            double validationLoss = d.readDouble();
            List<String> names = new ArrayList<>();
            if (version == FORMAT_VERSION_REGRESSORS) {
                int k = d.readInt();
                if (k < 1 || k > 10_000) {
                    throw new ForecastException("corrupt LSTM model: " + k + " regressors");
                }
                for (int i = 0; i < k; i++) {
                    names.add(d.readUTF());
                }
            }
            WindowEncoder encoder = new WindowEncoder(config, names.size());
            LstmNetwork net = new LstmNetwork(encoder.inputSize, hidden, layers, horizon * nq, encoder.headInputs);
            List<DMatrixRMaj> blocks = net.parameters();
            int count = d.readInt();
            if (count != blocks.size()) {
                throw new ForecastException(String.format(Locale.ROOT,
                        "corrupt LSTM model: %d parameter blocks, expected %d", count, blocks.size()));
            }
            for (int k = 0; k < count; k++) {
                DMatrixRMaj m = blocks.get(k);
                int rows = d.readInt();
                int cols = d.readInt();
                if (rows != m.numRows || cols != m.numCols) {
                    throw new ForecastException(String.format(Locale.ROOT,
                            "corrupt LSTM model: block %d is %dx%d, expected %dx%d", k, rows, cols, m.numRows,
                            m.numCols));
                }
                for (int i = 0; i < m.getNumElements(); i++) {
                    m.data[i] = d.readDouble();
                }
            }
            return new LstmModel(config, net, epochs, validationLoss, names);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the LSTM model failed", e);
        }
    }

    /** Equal when the configurations and every weight are bit-identical. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LstmModel other) || !config.equals(other.config)
                || !regressorNames.equals(other.regressorNames)) {
            return false;
        }
        List<DMatrixRMaj> a = network.parameters();
        List<DMatrixRMaj> b = other.network.parameters();
        for (int k = 0; k < a.size(); k++) {
            if (!Arrays.equals(a.get(k).data, b.get(k).data)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = config.hashCode();
        for (DMatrixRMaj m : network.parameters()) {
            h = 31 * h + Arrays.hashCode(m.data);
        }
        return h;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LstmModel[%s, epochs=%d, validationLoss=%.5f, parameters=%d]",
                name(), epochs, validationLoss, parameterCount());
    }
}
