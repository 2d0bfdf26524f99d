package io.fleetpredict.bench;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.TimeSeries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the LSTM forecaster: one training epoch of {@value #WINDOWS} windows (mini-batches of 64,
 * forward pass, back-propagation through time, clipping, an Adam step per batch; no validation), and
 * the inference of one 48-hour quantile forecast (the 80 and 95 percent intervals) from a week of
 * hourly history.
 *
 * <p>The data is 32 seeded synthetic hourly series of 960 values with daily and weekly cycles, the shape
 * and length of the M4 hourly series. The architecture is the M4 hourly one (a week read a day per
 * recurrent step, so 7 steps of 24 values plus 4 calendar features). The contenders are the one-layer
 * network (the baseline, and the default) and a two-layer stack, at 32 and 64 cells.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar LstmBenchmark}. Windows per second are
 * {@value #WINDOWS} divided by the epoch time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class LstmBenchmark {

    /** Training windows per benchmarked epoch. */
    public static final int WINDOWS = 4096;

    /** The network shapes compared. */
    public enum Contender {
        /** One LSTM layer, the default and the baseline. */
        ONE_LAYER(1),
        /** Two stacked LSTM layers. */
        TWO_LAYERS(2);

        final int layers;

        Contender(int layers) {
            this.layers = layers;
        }
    }

    /** The network shape. */
    @Param({"ONE_LAYER", "TWO_LAYERS"})
    public Contender contender;

    /** Cells per layer. */
    @Param({"32", "64"})
    public int hidden;

    private List<TimeSeries> series;
    private LstmConfig epochConfig;
    private LstmModel model;

    /** Builds the seeded data set and a model to forecast with. */
    @Setup
    public void setUp() {
        series = hourlySeries(32);
        LstmConfig.Builder b = LstmConfig.builder().hiddenSize(hidden).layers(contender.layers).seed(7);
        epochConfig = b.maxEpochs(1).windowsPerEpoch(WINDOWS).validationShare(0).build();
        model = LstmModel.trainGlobal(series, b.maxEpochs(1).windowsPerEpoch(256).build());
    }

    /**
     * Seeded synthetic hourly series of 960 values with daily and weekly cycles at levels from 10 to 100,000,
     * the shape and length of the M4 hourly series.
     */
    static List<TimeSeries> hourlySeries(int count) {
        SplittableRandom rng = new SplittableRandom(2024);
        List<TimeSeries> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            double scale = Math.pow(10, 1 + 4 * rng.nextDouble());
            double[] v = new double[960];
            for (int t = 0; t < v.length; t++) {
                double daily = Math.sin(2 * Math.PI * t / 24);
                double weekly = t % 168 < 120 ? 1 : 0.7;
                v[t] = scale * (1 + 0.3 * daily) * weekly * (1 + 0.05 * (rng.nextDouble() - 0.5));
            }
            out.add(TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(1), v));
        }
        return out;
    }

    /**
     * One training epoch (including the weight initialisation, which is negligible beside it).
     *
     * @return the model, so the work is not eliminated
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public LstmModel trainOneEpoch() {
        return LstmModel.trainGlobal(series, epochConfig);
    }

    /**
     * One 48-step quantile forecast of one series.
     *
     * @return the forecast
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Forecast forecastOneSeries() {
        return model.forecast(series.get(0), 48, 80, 95);
    }
}
