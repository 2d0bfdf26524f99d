package io.fleetpredict.bench;

import io.fleetpredict.forecast.ArimaOrder;
import io.fleetpredict.forecast.CrossValidation;
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
 * Time to fit each model of the library and forecast one horizon with 80% and 95% intervals, on two
 * seeded synthetic series (level, slow trend, sine seasons, Gaussian noise):
 * <ul>
 *   <li>{@link Data#WEEK_5MIN}: one week of 5-minute data, 2016 points, daily period 288, forecast one
 *       day (288 steps);</li>
 *   <li>{@link Data#HOURLY_960}: 960 hourly points (the longer M4 hourly series) with daily and weekly
 *       periods 24 and 168, forecast two days (48 steps).</li>
 * </ul>
 * The seasonal naive forecast is the baseline. Models with one period use the first; MSTL and the
 * automatic forecaster use all. The automatic forecaster cross-validates at the forecast horizon, so
 * it costs about two fits of every candidate plus one of each model it keeps.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar FitForecast} (add {@code -p data=HOURLY_960}
 * or {@code -p contender=AUTO} to narrow it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class FitForecastBenchmark {

    /** The series fitted. */
    public enum Data {
        /** One week of 5-minute data: 2016 points, period 288, horizon 288. */
        WEEK_5MIN(Duration.ofMinutes(5), 2016, 288, new int[] {288}),
        /** 960 hourly points, periods 24 and 168, horizon 48. */
        HOURLY_960(Duration.ofHours(1), 960, 48, new int[] {24, 168});

        private final Duration step;
        private final int points;
        private final int horizon;
        private final int[] periods;

        Data(Duration step, int points, int horizon, int[] periods) {
            this.step = step;
            this.points = points;
            this.horizon = horizon;
            this.periods = periods;
        }
    }

    /** The models compared. */
    public enum Contender {
        /** Seasonal naive at the first period: the baseline. */
        SEASONAL_NAIVE,
        /** The M4 Naive2 benchmark. */
        NAIVE2,
        /** Standard Theta. */
        THETA,
        /** Optimised Theta. */
        OPTIMIZED_THETA,
        /** Additive Holt-Winters. */
        HOLT_WINTERS,
        /** Automatic ETS at the first period. */
        ETS,
        /**
         * ETS(A,Ad,A) at the first period: additive errors, whose initial level and slope are solved by least
         * squares inside the likelihood search.
         */
        ETS_A_AD_A,
        /** ETS(M,Ad,M) at the first period: multiplicative errors and season, intervals by simulation. */
        ETS_M_AD_M,
        /** MSTL on all periods with ETS on the adjusted series. */
        MSTL,
        /** MSTL as above, fitted to the series with its outliers replaced (R's tsoutliers rule, all periods). */
        CLEANED_MSTL,
        /** MSTL with ETS after a Box-Cox transformation, Guerrero's lambda chosen at the first period. */
        BOX_COX_MSTL,
        /** Automatic seasonal ARIMA at the first period. */
        AUTO_ARIMA,
        /** Automatic seasonal ARIMA within the short search's limits at the first period. */
        AUTO_ARIMA_SHORT,
        /**
         * The airline model ARIMA(0,1,1)(0,1,1) at the first period; its state has period + 2 dimensions, so
         * at 288 a fit takes minutes: narrow the run with {@code -p data=HOURLY_960}.
         */
        AIRLINE,
        /** ETS(A,Ad,A) on the log scale at the first period. */
        LOG_ETS_A_AD_A,
        /** Dynamic harmonic regression on all periods: harmonics chosen by AICc, a non-seasonal ARIMA for the rest. */
        FOURIER_ARIMA,
        /** The automatic forecaster on all periods. */
        AUTO,
        /** The automatic forecaster given no period: it finds them from the series' step first. */
        AUTO_DETECTED;

        Forecaster forecaster(Data data) {
            int m = data.periods[0];
            return switch (this) {
                case SEASONAL_NAIVE -> Forecasters.seasonalNaive(m);
                case NAIVE2 -> Forecasters.naive2(m);
                case THETA -> Forecasters.theta(m);
                case OPTIMIZED_THETA -> Forecasters.optimizedTheta(m);
                case HOLT_WINTERS -> Forecasters.holtWinters(m);
                case ETS -> Forecasters.ets(m);
                case ETS_A_AD_A -> Forecasters.ets("AAdA", m);
                case ETS_M_AD_M -> Forecasters.ets("MAdM", m);
                case MSTL -> Forecasters.mstl(data.periods);
                case CLEANED_MSTL -> Forecasters.cleaned(Forecasters.mstl(data.periods), data.periods);
                case BOX_COX_MSTL -> Forecasters.boxCoxGuerrero(Forecasters.mstl(data.periods), m);
                case AUTO_ARIMA -> Forecasters.autoArima(m);
                case AUTO_ARIMA_SHORT -> Forecasters.autoArimaShort(m);
                case AIRLINE -> Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, m));
                case LOG_ETS_A_AD_A -> Forecasters.boxCox(Forecasters.ets("AAdA", m), 0);
                case FOURIER_ARIMA -> Forecasters.fourierArima(data.periods);
                case AUTO -> Forecasters.auto(CrossValidation.of(data.horizon), data.periods);
                case AUTO_DETECTED -> Forecasters.auto(CrossValidation.of(data.horizon));
            };
        }
    }

    private static final long SEED = 20240101L;

    /** The series. */
    @Param
    public Data data;

    /** The model under test. */
    @Param
    public Contender contender;

    private TimeSeries series;
    private Forecaster forecaster;

    /** Builds the seeded series and the contender's forecaster. */
    @Setup
    public void setUp() {
        Random r = new Random(SEED);
        double[] v = new double[data.points];
        for (int t = 0; t < v.length; t++) {
            double season = 0;
            for (int i = 0; i < data.periods.length; i++) {
                season += 120.0 / (i + 1) * Math.sin(2 * Math.PI * t / data.periods[i]);
            }
            v[t] = 500 + 0.01 * t + season + 15 * r.nextGaussian();
        }
        series = TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), data.step, v);
        forecaster = contender.forecaster(data);
    }

    /**
     * Fits the contender on the series and forecasts the horizon.
     *
     * @return the forecast, so the work is not eliminated
     */
    @Benchmark
    public Forecast fitAndForecast() {
        return forecaster.fit(series).forecast(data.horizon, 80, 95);
    }
}
