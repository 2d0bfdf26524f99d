package io.fleetpredict.bench;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
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
 * Time to fit a model and forecast one day ahead (288 steps, 80% and 95% intervals) on one week of
 * 5-minute data: 2016 points with a daily period of 288, a seeded synthetic series (level, slow trend,
 * daily sine, Gaussian noise). Holt-Winters' cost is dominated by the numerical search for alpha, beta
 * and gamma (several BOBYQA starts, each evaluation one pass over the series); the seasonal naive
 * forecast is the baseline, whose fit is one pass.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar HoltWinters} (add {@code -f 1 -wi 2 -i 3}
 * for a quick look).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HoltWintersBenchmark {

    /** The models compared. */
    public enum Contender {
        /** Seasonal naive at the daily period: the baseline. */
        SEASONAL_NAIVE(Forecasters.seasonalNaive(288)),
        /** Additive Holt-Winters with fitted smoothing parameters. */
        HOLT_WINTERS(Forecasters.holtWinters(288));

        private final Forecaster forecaster;

        Contender(Forecaster forecaster) {
            this.forecaster = forecaster;
        }
    }

    private static final int PERIOD = 288;
    private static final int POINTS = 7 * PERIOD;
    private static final long SEED = 20240101L;

    /** The model under test. */
    @Param
    public Contender contender;

    private TimeSeries week;

    /** Builds the seeded week of 5-minute data. */
    @Setup
    public void setUp() {
        Random r = new Random(SEED);
        double[] v = new double[POINTS];
        for (int t = 0; t < POINTS; t++) {
            v[t] = 500 + 0.01 * t + 120 * Math.sin(2 * Math.PI * t / PERIOD) + 15 * r.nextGaussian();
        }
        week = TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofMinutes(5), v);
    }

    /**
     * Fits the contender on the week and forecasts the next day.
     *
     * @return the forecast, so the work is not eliminated
     */
    @Benchmark
    public Forecast fitAndForecast() {
        return contender.forecaster.fit(week).forecast(PERIOD, 80, 95);
    }
}
