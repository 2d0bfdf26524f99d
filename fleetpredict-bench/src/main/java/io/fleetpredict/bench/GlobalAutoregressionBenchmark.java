package io.fleetpredict.bench;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.forecast.GlobalAutoregression.Normalisation;
import io.fleetpredict.forecast.GlobalAutoregression.Settings;
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
 * The cost of the pooled ridge autoregression ({@link GlobalAutoregression}): training on
 * {@value #SERIES} series, and fitting (reading one series' error scale) plus one 48-step forecast with
 * 80 and 95 percent intervals.
 *
 * <p>The data is seeded synthetic hourly series of 960 values with daily and weekly cycles at levels from
 * 10 to 100,000, the shape and length of the M4 hourly series; training cost grows linearly with the
 * number of windows (about {@code series * (960 - lags)}) and with the square of {@code lags + 49}.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar GlobalAutoregressionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class GlobalAutoregressionBenchmark {

    /** Training series. */
    public static final int SERIES = 32;

    /** The autoregressive order: one week, two weeks (the setting chosen for hourly data), three weeks. */
    @Param({"168", "336", "504"})
    public int lags;

    private List<TimeSeries> series;
    private Settings settings;
    private Forecaster model;

    /** Builds the seeded data set and a trained model to forecast with. */
    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(2024);
        series = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            double scale = Math.pow(10, 1 + 4 * rng.nextDouble());
            double[] v = new double[960];
            for (int t = 0; t < v.length; t++) {
                double daily = Math.sin(2 * Math.PI * t / 24);
                double weekly = t % 168 < 120 ? 1 : 0.7;
                v[t] = scale * (1 + 0.3 * daily) * weekly * (1 + 0.05 * (rng.nextDouble() - 0.5));
            }
            series.add(TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(1), v));
        }
        settings = new Settings(lags, 48, GlobalAutoregression.Settings.hourly(48).ridge(), Normalisation.STANDARDISED);
        model = GlobalAutoregression.train(series, settings);
    }

    /**
     * Training across all {@value #SERIES} series.
     *
     * @return the model, so the work is not eliminated
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Forecaster train() {
        return GlobalAutoregression.train(series, settings);
    }

    /**
     * Fitting the trained model to one series and forecasting 48 steps with two intervals.
     *
     * @return the forecast
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Forecast fitAndForecastOneSeries() {
        return model.fit(series.get(0)).forecast(48, 80, 95);
    }
}
