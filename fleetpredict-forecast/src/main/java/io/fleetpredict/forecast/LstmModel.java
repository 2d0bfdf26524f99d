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
 */
public final class LstmModel {

    private static final byte[] MAGIC = "FPLSTM".getBytes(StandardCharsets.US_ASCII);
    private static final int FORMAT_VERSION = 1;

    private final LstmConfig config;
    private final LstmNetwork network;
    private final int epochs;
    private final double validationLoss;
    private final WindowEncoder encoder;

    private LstmModel(LstmConfig config, LstmNetwork network, int epochs, double validationLoss) {
        this.config = config;
        this.network = network;
        this.epochs = epochs;
        this.validationLoss = validationLoss;
        this.encoder = new WindowEncoder(config);
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
        Objects.requireNonNull(config, "config");
        List<TimeSeries> copy = List.copyOf(series);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("series must not be empty");
        }
        LstmTrainer.Result r = new LstmTrainer(config).train(copy);
        return new LstmModel(config, r.network(), r.epochs(), r.validationLoss());
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
        double[][] quant = quantiles(history);
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
        int q = config.quantiles().size();
        int window = config.inputWindow();
        TimeSeries tail = history.tail(window);
        DMatrixRMaj[] inputs = encoder.newInputs(1);
        double[] shape = new double[config.seasonalPeriod()];
        double level = encoder.encode(tail.values(), WindowEncoder.seconds(tail.start()),
                WindowEncoder.seconds(tail.step()), window, inputs, 0, shape);
        double[] out = network.forward(inputs).output.data;
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
            d.writeInt(FORMAT_VERSION);
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
            if (version != FORMAT_VERSION) {
                throw new ForecastException(String.format(Locale.ROOT,
                        "LSTM model format version %d is not supported (this library reads version %d)",
                        version, FORMAT_VERSION));
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
            WindowEncoder encoder = new WindowEncoder(config);
            LstmNetwork net = new LstmNetwork(encoder.inputSize, hidden, layers, horizon * nq);
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
            return new LstmModel(config, net, epochs, validationLoss);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the LSTM model failed", e);
        }
    }

    /** Equal when the configurations and every weight are bit-identical. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LstmModel other) || !config.equals(other.config)) {
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
