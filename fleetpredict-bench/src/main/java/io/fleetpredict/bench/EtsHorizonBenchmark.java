package io.fleetpredict.bench;

import io.fleetpredict.forecast.FittedModel;
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
 * Time to forecast a long horizon with 80% and 95% intervals from an ETS model fitted once (the fit is not
 * timed), on 504 seeded hourly points (level, slow trend, a daily sine, Gaussian noise), at horizons of 1,000
 * to 100,000 steps. Multiplicative-error models take their intervals from the class 2 variance formula,
 * whose sum over the horizon was once a double loop (minutes at a million steps); additive-error ETS(A,N,N),
 * whose class 1 variance was always one pass, is the baseline. The time should grow in proportion to the
 * horizon for every contender. ETS(M,A,N) and ETS(M,Ad,N) fitted alone to this series are left out: their
 * fitted smoothing parameters make the forecast variance overflow a double within 10,000 and 25,000 steps,
 * where the forecast is refused; MSTL's ETS(M,A,N) on the adjusted series is in.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar EtsHorizon} (add {@code -p horizon=100000} or
 * {@code -p contender=MNN} to narrow it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EtsHorizonBenchmark {

    /** The ETS models compared, each fitted with its own parameters to the series. */
    public enum Contender {
        /** ETS(A,N,N), class 1 intervals: the baseline. */
        ANN("ANN"),
        /** ETS(M,N,N), class 2. */
        MNN("MNN"),
        /** ETS(M,A,A) at the daily period 24, class 2 with a trend and an additive season. */
        MAA("MAA"),
        /** MSTL at the daily period 24, its automatic ETS on the adjusted series (ETS(M,A,N) here). */
        MSTL("");

        private final String spec;

        Contender(String spec) {
            this.spec = spec;
        }
    }

    private static final long SEED = 20240101L;
    private static final int POINTS = 504;
    private static final int PERIOD = 24;

    /** The model under test. */
    @Param
    public Contender contender;

    /** Steps ahead. */
    @Param({"1000", "10000", "100000"})
    public int horizon;

    private FittedModel fitted;

    /** Builds the seeded series and fits the contender once. */
    @Setup
    public void setUp() {
        Random r = new Random(SEED);
        double[] v = new double[POINTS];
        for (int t = 0; t < v.length; t++) {
            v[t] = 500 + 0.05 * t + 120 * Math.sin(2 * Math.PI * t / PERIOD) + 2 * r.nextGaussian();
        }
        TimeSeries series = TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(1), v);
        Forecaster model = contender == Contender.MSTL ? Forecasters.mstl(PERIOD) : Forecasters.ets(contender.spec, PERIOD);
        fitted = model.fit(series);
    }

    /**
     * Forecasts the horizon with 80% and 95% intervals.
     *
     * @return the forecast, so the work is not eliminated
     */
    @Benchmark
    public Forecast forecast() {
        return fitted.forecast(horizon, 80, 95);
    }
}
