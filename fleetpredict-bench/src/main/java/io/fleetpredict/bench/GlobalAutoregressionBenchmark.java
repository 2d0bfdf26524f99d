package io.fleetpredict.bench;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.forecast.GlobalAutoregression.Normalisation;
import io.fleetpredict.forecast.GlobalAutoregression.Settings;
import io.fleetpredict.forecast.TimeSeries;

import java.util.List;
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
 * <p>The data is {@link LstmBenchmark#hourlySeries}'s seeded synthetic hourly series; training cost grows linearly with the
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
        series = LstmBenchmark.hourlySeries(SERIES);
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
