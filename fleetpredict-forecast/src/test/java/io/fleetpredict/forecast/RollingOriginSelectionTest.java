package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RollingOriginSelectionTest {

    private static final int PERIOD = 24;

    private static TimeSeries series(double[] v) {
        return TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z"), Duration.ofHours(1), v);
    }

    /** A daily sine with small noise and no trend. */
    private static TimeSeries seasonal(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 100 + 30 * Math.sin(2 * Math.PI * t / PERIOD) + r.nextGaussian();
        }
        return series(v);
    }

    /** A steep straight line with small noise and no season. */
    private static TimeSeries trending(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 50 + 2 * t + r.nextGaussian();
        }
        return series(v);
    }

    private static RollingOriginSelection select(List<Forecaster> candidates, int combine) {
        return new RollingOriginSelection("test", candidates, CrossValidation.of(PERIOD), PERIOD, combine, true);
    }

    private static SelectedCombination fit(Forecaster f, TimeSeries s) {
        return (SelectedCombination) f.fit(s);
    }

    private static String chosen(SelectedCombination m) {
        return m.members().get(0).forecaster().name();
    }

    @Test
    void fit_pureSeasonalSeries_choosesASeasonalModel() {
        List<Forecaster> candidates = List.of(Forecasters.naive(), Forecasters.theta(1), Forecasters.ets(1),
                Forecasters.seasonalNaive(PERIOD));
        SelectedCombination m = fit(select(candidates, 1), seasonal(1, 10 * PERIOD));
        assertEquals("snaive(24)", chosen(m), m.description());
        assertTrue(m.description().contains("snaive(24)"), m.description());
    }

    @Test
    void fit_candidatesFarBehindTheBest_areNotAveraged() {
        List<Forecaster> candidates = List.of(Forecasters.naive(), Forecasters.theta(1), Forecasters.seasonalNaive(PERIOD));
        SelectedCombination m = fit(select(candidates, 3), seasonal(1, 10 * PERIOD));
        assertEquals(List.of("snaive(24)"), m.members().stream().map(x -> x.forecaster().name()).toList(), m.description());
        assertTrue(m.cvScores().get("naive") > RollingOriginSelection.WITHIN * m.cvScores().get("snaive(24)"));
    }

    @Test
    void fit_trendingSeries_choosesATrendingModel() {
        List<Forecaster> candidates = List.of(Forecasters.naive(), Forecasters.seasonalNaive(PERIOD),
                Forecasters.theta(1), Forecasters.ets("AAN", 1));
        SelectedCombination m = fit(select(candidates, 1), trending(2, 10 * PERIOD));
        assertFalse(chosen(m).equals("naive") || chosen(m).startsWith("snaive"), m.description());
        double[] mean = m.forecast(PERIOD).mean();
        // A trending model keeps climbing at about 2 a step; the naive ones would stay flat.
        assertTrue(mean[PERIOD - 1] - mean[0] > 1.5 * (PERIOD - 1), m.description());
    }

    @Test
    void fit_standardCandidatesOnTrend_doNotPickTheSeasonalNaive() {
        SelectedCombination m = fit(Forecasters.auto(CrossValidation.of(PERIOD), PERIOD), trending(3, 12 * PERIOD));
        assertFalse(chosen(m).startsWith("snaive"), m.description());
        double[] mean = m.forecast(PERIOD).mean();
        assertTrue(mean[PERIOD - 1] > mean[0] + PERIOD, m.description());
    }

    @Test
    void fit_monthlySeries_scoresSeasonalEtsAndArimaToo() {
        SelectedCombination m = fit(Forecasters.auto(CrossValidation.of(12), 12),
                Datasets.monthly(RDatasets.AIRPASSENGERS));
        assertEquals(List.of("snaive(12)", "mstl(12)+ets(1)", "mstl(12)+theta(1)", "boxcox(mstl(12)+ets(1))", "theta(12)",
                "holt-winters(12)", "ets(12)", "auto-arima(12)", "boxcox(auto-arima(12))"), Forecasters.auto(12) instanceof RollingOriginSelection r
                        ? r.candidates().stream().map(Forecaster::name).toList() : List.of());
        assertTrue(m.cvScores().containsKey("ets(12)") && m.cvScores().containsKey("auto-arima(12)"), m.description());
        // AirPassengers grows: whatever is chosen must not forecast the next year below the last one.
        double[] next = m.forecast(12).mean();
        double nextYear = java.util.Arrays.stream(next).sum();
        double lastYear = java.util.Arrays.stream(RDatasets.AIRPASSENGERS, 132, 144).sum();
        assertTrue(nextYear > lastYear, m.description());
    }

    @Test
    void fit_hourlySeries_scoresTheAirlineModelAndLogEtsToo() {
        assertEquals(List.of("snaive(24)", "snaive(168)", "mstl(24,168)+ets(1)", "mstl(24,168)+theta(1)",
                "boxcox(mstl(24,168)+ets(1))", "theta(24)", "holt-winters(24)", "arima(0,1,1)(0,1,1)[24]",
                "log(ets(AAdA,24))", "local-ar(168)"), names(Forecasters.auto(24, 168)));
        // The local autoregression reads the longest period back, so only with one of at least two first periods.
        assertFalse(names(Forecasters.auto(24)).stream().anyMatch(n -> n.startsWith("local-ar")));
        // Monthly periods keep the automatic searches; periods past half-hourly data get neither.
        assertFalse(names(Forecasters.auto(12)).contains("arima(0,1,1)(0,1,1)[12]"));
        assertFalse(names(Forecasters.auto(96)).stream().anyMatch(n -> n.startsWith("arima") || n.startsWith("log(ets")),
                names(Forecasters.auto(96)).toString());
        // Positive data with a daily cycle whose swing grows with the level: both are scored.
        Random r = new Random(4);
        double[] v = new double[12 * PERIOD];
        for (int t = 0; t < v.length; t++) {
            v[t] = (50 + t) * (1 + 0.3 * Math.sin(2 * Math.PI * t / PERIOD)) * Math.exp(0.02 * r.nextGaussian());
        }
        SelectedCombination m = fit(Forecasters.auto(CrossValidation.of(PERIOD), PERIOD), series(v));
        assertTrue(m.cvScores().containsKey("arima(0,1,1)(0,1,1)[24]") && m.cvScores().containsKey("log(ets(AAdA,24))"),
                m.cvScores().toString());
        assertTrue(m.skipped().isEmpty(), m.skipped().toString());
    }

    @Test
    void fit_hourlySeriesWithZeros_skipsLogEtsWithTheReasonAndStillForecasts() {
        double[] v = seasonal(6, 10 * PERIOD).values();
        v[5] = 0;
        SelectedCombination m = fit(Forecasters.auto(CrossValidation.of(PERIOD), PERIOD), series(v));
        assertTrue(m.skipped().get("log(ets(AAdA,24))").contains("outside the Box-Cox domain"), m.skipped().toString());
        assertTrue(m.cvScores().containsKey("arima(0,1,1)(0,1,1)[24]"), m.cvScores().toString());
        assertEquals(PERIOD, m.forecast(PERIOD).horizon());
    }

    private static List<String> names(Forecaster auto) {
        return ((RollingOriginSelection) auto).candidates().stream().map(Forecaster::name).toList();
    }

    @Test
    void fit_nonSeasonalTrend_choosesAmongTheNonSeasonalModels() {
        SelectedCombination m = fit(Forecasters.auto(CrossValidation.of(12), 1), trending(10, 120));
        assertEquals(List.of("naive", "theta(1)", "optimized-theta(1)", "ets(1)", "auto-arima(1)", "boxcox(ets(1))",
                "boxcox(auto-arima(1))"),
                ((RollingOriginSelection) Forecasters.auto(1)).candidates().stream().map(Forecaster::name).toList());
        assertFalse(chosen(m).equals("naive"), m.description());
    }

    @Test
    void fit_crossValidation_neverShowsACandidateValuesAtOrAfterItsOrigin() {
        TimeSeries s = seasonal(4, 8 * PERIOD);
        BacktestTest.Recording a = new BacktestTest.Recording(Forecasters.seasonalNaive(PERIOD));
        BacktestTest.Recording b = new BacktestTest.Recording(Forecasters.naive());
        CrossValidation plan = new CrossValidation(PERIOD, 3, 10);
        new RollingOriginSelection("test", List.of(a, b), plan, PERIOD, 1, true).fit(s);
        int n = s.size();
        List<TimeSeries> expected = List.of(s.head(n - PERIOD - 20), s.head(n - PERIOD - 10), s.head(n - PERIOD));
        // Each candidate sees exactly the three prefixes ending at the origins; only the chosen one sees it all.
        assertEquals(expected, b.seen);
        assertEquals(4, a.seen.size());
        assertEquals(expected, a.seen.subList(0, 3));
        assertEquals(s, a.seen.get(3));
    }

    @Test
    void fit_scores_equalTheBacktestOfEachCandidate() {
        TimeSeries s = seasonal(5, 9 * PERIOD);
        Forecaster a = Forecasters.seasonalNaive(PERIOD);
        Forecaster b = Forecasters.naive();
        CrossValidation plan = new CrossValidation(PERIOD, 3, 12);
        SelectedCombination m = fit(new RollingOriginSelection("test", List.of(a, b), plan, PERIOD, 1, false), s);
        BacktestResult ra = Backtest.rollingOrigin(s, a, PERIOD, 3, 12, PERIOD);
        BacktestResult rb = Backtest.rollingOrigin(s, b, PERIOD, 3, 12, PERIOD);
        double[] sa = ra.perOrigin(Metric.SMAPE);
        double[] sb = rb.perOrigin(Metric.SMAPE);
        double[] ma = ra.perOrigin(Metric.MASE);
        double[] mb = rb.perOrigin(Metric.MASE);
        double expectedA = 0;
        double expectedB = 0;
        for (int k = 0; k < 3; k++) {
            // With two candidates the median is their mean.
            double medS = (sa[k] + sb[k]) / 2;
            double medM = (ma[k] + mb[k]) / 2;
            expectedA += (sa[k] / medS + ma[k] / medM) / 2 / 3;
            expectedB += (sb[k] / medS + mb[k] / medM) / 2 / 3;
        }
        assertEquals(expectedA, m.cvScores().get("snaive(24)"), 1e-12);
        assertEquals(expectedB, m.cvScores().get("naive"), 1e-12);
        assertEquals(expectedA, m.parameters().get("cv.snaive(24)"), 1e-12);
    }

    @Test
    void forecast_combination_isTheMeanOfTheMembersWithScaledIntervals() {
        TimeSeries full = seasonal(6, 10 * PERIOD);
        TimeSeries s = full.head(9 * PERIOD);
        List<Forecaster> close = List.of(Forecasters.mstl(PERIOD), Forecasters.mstl(Forecasters.theta(1), PERIOD),
                Forecasters.holtWinters(PERIOD));
        SelectedCombination m = fit(select(close, 3), s);
        assertTrue(m.members().size() >= 2, m.description());
        checkCombination(m);
        SelectedCombination updated = (SelectedCombination) m.update(full.slice(9 * PERIOD, full.size()));
        assertEquals(full, updated.history());
        assertEquals(m.scale(), updated.scale());
        for (int i = 0; i < 3; i++) {
            assertEquals(full, updated.members().get(i).history());
        }
        checkCombination(updated);
    }

    private static void checkCombination(SelectedCombination m) {
        int h = 30;
        Forecast f = m.forecast(h, 80, 95);
        double[] mean = new double[h];
        double[] lo = new double[h];
        double[] hi = new double[h];
        int k = m.members().size();
        for (FittedModel member : m.members()) {
            Forecast g = member.forecast(h, 80, 95);
            for (int t = 0; t < h; t++) {
                mean[t] += g.mean(t) / k;
                lo[t] += g.lower(80)[t] / k;
                hi[t] += g.upper(80)[t] / k;
            }
        }
        double scale = m.parameters().get("interval.scale");
        assertTrue(scale >= RollingOriginSelection.MIN_SCALE && scale <= RollingOriginSelection.MAX_SCALE);
        for (int t = 0; t < h; t++) {
            assertEquals(mean[t], f.mean(t), 1e-9 * Math.abs(mean[t]));
            assertEquals(mean[t] - scale * (mean[t] - lo[t]), f.lower(80)[t], 1e-9 * Math.abs(mean[t]));
            assertEquals(mean[t] + scale * (hi[t] - mean[t]), f.upper(80)[t], 1e-9 * Math.abs(mean[t]));
        }
    }

    @Test
    void fit_candidateThatThrows_isSkippedWithItsReason() {
        Forecaster broken = new Forecaster() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public FittedModel fit(TimeSeries series) {
                throw new ModelFitException("broken: no admissible parameters");
            }
        };
        SelectedCombination m = fit(select(List.of(broken, Forecasters.seasonalNaive(PERIOD)), 2), seasonal(7, 6 * PERIOD));
        assertEquals(List.of("snaive(24)"), m.members().stream().map(x -> x.forecaster().name()).toList());
        assertEquals(Map.of("broken", "ModelFitException: broken: no admissible parameters"), m.skipped());
        assertTrue(m.notes().contains("skipped broken (ModelFitException: broken: no admissible parameters)"),
                m.description());

        SelectedCombination none = fit(select(List.of(broken), 1), seasonal(7, 6 * PERIOD));
        assertTrue(none.description().contains("every candidate failed in cross-validation: fell back to snaive(24)"),
                none.description());
        assertEquals("snaive(24)", chosen(none));
    }

    @Test
    void fit_chosenCandidateThatCannotForecastTheWholeSeries_isLeftOut() {
        // Forecasts well at every origin, but its refit on the whole series cannot forecast (as a Box-Cox
        // model whose forecast passes its pole): the combination is made of the others, not broken by it.
        TimeSeries s = seasonal(7, 6 * PERIOD);
        Forecaster fragile = new Forecaster() {
            @Override
            public String name() {
                return "fragile";
            }

            @Override
            public FittedModel fit(TimeSeries series) {
                FittedModel inner = Forecasters.seasonalNaive(PERIOD).fit(series);
                if (series.size() < s.size()) {
                    return inner;
                }
                return new FittedModel() {
                    @Override
                    public Forecaster forecaster() {
                        return fragile();
                    }

                    @Override
                    public String description() {
                        return "fragile";
                    }

                    @Override
                    public Map<String, Double> parameters() {
                        return Map.of();
                    }

                    @Override
                    public TimeSeries history() {
                        return series;
                    }

                    @Override
                    public Forecast forecast(int horizon, double... levels) {
                        throw new ModelFitException("fragile: the forecast at step 3 has no finite value");
                    }

                    @Override
                    public FittedModel update(TimeSeries next) {
                        throw new UnsupportedOperationException();
                    }
                };
            }

            private Forecaster fragile() {
                return this;
            }
        };
        SelectedCombination m = fit(select(List.of(fragile, Forecasters.seasonalNaive(PERIOD), Forecasters.naive()), 3), s);
        assertEquals("fragile", m.cvScores().keySet().iterator().next(), m.cvScores().toString());
        assertEquals(List.of("snaive(24)"), m.members().stream().map(x -> x.forecaster().name()).toList());
        assertEquals("refit on the whole series failed: ModelFitException: fragile: the forecast at step 3 has no "
                + "finite value", m.skipped().get("fragile"));
        assertEquals(PERIOD, m.forecast(PERIOD, 95).horizon());
    }

    @Test
    void fit_constantSeries_givesTheConstantAndSaysWhatItUsed() {
        double[] v = new double[8 * PERIOD];
        java.util.Arrays.fill(v, 42);
        FittedModel m = Forecasters.auto(PERIOD, 168).fit(series(v));
        Forecast f = m.forecast(48, 95);
        for (int t = 0; t < 48; t++) {
            assertEquals(42, f.mean(t), 1e-9, m.description());
            assertEquals(42, f.lower(95)[t], 1e-9);
            assertEquals(42, f.upper(95)[t], 1e-9);
        }
        assertTrue(m.description().startsWith("auto(24,168): "), m.description());
        // The 168 period has fewer than two cycles in 192 values: its seasonal naive forecast is skipped.
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("skipped snaive(168) (InsufficientDataException")),
                m.notes().toString());
    }

    @Test
    void fit_shortSeries_shortensThePlanAndSkipsCandidatesThatNeedMore() {
        TimeSeries s = seasonal(8, 30);
        SelectedCombination m = fit(Forecasters.auto(PERIOD), s);
        assertTrue(m.notes().contains("plan shortened to horizon 6, stride 6 for 30 observations"), m.notes().toString());
        assertTrue(m.notes().stream().anyMatch(n -> n.startsWith("skipped snaive(24) (InsufficientDataException")),
                m.notes().toString());
        assertTrue(m.description().endsWith(" skipped"), m.description());
        Forecast f = m.forecast(48, 95);
        assertEquals(48, f.horizon());
    }

    @Test
    void fit_tooShortForAnyPlan_fallsBackAndSaysSo() {
        FittedModel m = Forecasters.auto(PERIOD).fit(series(new double[] {3, 5, 4}));
        assertTrue(m.description().contains("3 observations are too few for cross-validation: fell back to naive"),
                m.description());
        assertArrayEquals(new double[] {4, 4}, m.forecast(2).mean(), 0);
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Forecasters.auto(PERIOD).fit(series(new double[] {3})));
        assertTrue(e.getMessage().contains("had 1"), e.getMessage());
    }

    @Test
    void adapt_plan_keepsHalfTheSeriesBeforeTheFirstOrigin() {
        CrossValidation plan = CrossValidation.of(48);
        assertEquals(plan, RollingOriginSelection.adapt(plan, 700));
        assertEquals(new CrossValidation(24, 2, 24), RollingOriginSelection.adapt(plan, 100));
        assertNull(RollingOriginSelection.adapt(plan, 3));
        assertEquals(604, plan.firstOrigin(700));
    }

    @Test
    void crossValidation_badArguments_areRejectedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CrossValidation(4, 0, 2));
        assertTrue(e.getMessage().contains("4, 0 and 2"), e.getMessage());
        assertEquals("auto", Forecasters.auto().name());
        assertThrows(IllegalArgumentException.class, () -> Forecasters.auto(24, 0));
        assertThrows(NullPointerException.class, () -> Forecasters.auto(null, 24));
    }

    @Test
    void fit_concurrentFits_areDeterministic() throws Exception {
        TimeSeries s = seasonal(9, 10 * PERIOD);
        Forecaster auto = Forecasters.auto(CrossValidation.of(PERIOD), PERIOD, 2 * PERIOD);
        Forecast expected = auto.fit(s).forecast(PERIOD, 80, 95);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Forecast>> futures = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> auto.fit(s).forecast(PERIOD, 80, 95)));
            }
            for (Future<Forecast> f : futures) {
                assertEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A sine of period 17 with small noise: none of the standard candidates for 24 and 168 has that period. */
    private static TimeSeries period17(long seed, int n) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 100 + 30 * Math.sin(2 * Math.PI * t / 17) + 0.3 * r.nextGaussian();
        }
        return series(v);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewSeeds")
    void fit_extraCandidateClearlyBestInCrossValidation_isChosenAlone(long seed) {
        Forecaster auto = Forecasters.auto(CrossValidation.of(PERIOD), List.of(Forecasters.seasonalNaive(17)),
                PERIOD, 7 * PERIOD);
        SelectedCombination m = fit(auto, period17(seed, 10 * PERIOD));
        assertEquals(List.of("snaive(17)"), m.members().stream().map(x -> x.forecaster().name()).toList(),
                m.description());
        assertEquals("snaive(17)", m.cvScores().keySet().iterator().next());
        assertTrue(m.description().startsWith("auto(24,168)+snaive(17): snaive(17), best of "), m.description());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("fewSeeds")
    void fit_extraCandidateBadInCrossValidation_isScoredButNeverCombined(long seed) {
        // Lag 12 on a period-24 sine forecasts the opposite phase.
        Forecaster auto = Forecasters.auto(CrossValidation.of(PERIOD), List.of(Forecasters.seasonalNaive(12)),
                PERIOD, 7 * PERIOD);
        SelectedCombination m = fit(auto, seasonal(seed, 10 * PERIOD));
        assertTrue(m.cvScores().containsKey("snaive(12)"), m.description());
        assertFalse(m.members().stream().anyMatch(x -> x.forecaster().name().equals("snaive(12)")), m.description());
        double best = m.cvScores().values().iterator().next();
        assertTrue(m.cvScores().get("snaive(12)") > RollingOriginSelection.WITHIN * best, m.description());
    }

    @Test
    void auto_extraCandidates_joinTheStandardOnesOrAreRejectedWithTheReason() {
        RollingOriginSelection withExtra = (RollingOriginSelection) Forecasters.auto(CrossValidation.of(PERIOD),
                List.of(Forecasters.naive()), PERIOD);
        RollingOriginSelection standard = (RollingOriginSelection) Forecasters.auto(CrossValidation.of(PERIOD), PERIOD);
        assertEquals("auto(24)+naive", withExtra.name());
        assertEquals("auto(24)", standard.name());
        List<Forecaster> expected = new ArrayList<>(standard.candidates());
        assertEquals(expected.stream().map(Forecaster::name).toList(),
                withExtra.candidates().subList(0, expected.size()).stream().map(Forecaster::name).toList());
        assertEquals("naive", withExtra.candidates().get(expected.size()).name());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.auto(CrossValidation.of(PERIOD), List.of(Forecasters.seasonalNaive(PERIOD)), PERIOD));
        assertTrue(twice.getMessage().contains("'snaive(24)' is already"), twice.getMessage());
        assertThrows(NullPointerException.class, () -> Forecasters.auto(CrossValidation.of(PERIOD), null, PERIOD));
        List<Forecaster> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> Forecasters.auto(CrossValidation.of(PERIOD), withNull, PERIOD));
    }

    @Test
    void auto_extraCandidates_badPeriod_isRefusedNamingIt() {
        List<Forecaster> extra = List.of(Forecasters.naive());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.auto(CrossValidation.of(PERIOD), extra, 0));
        assertEquals("period must be at least 1, was 0", zero.getMessage());
        // A later period only joins the seasonal candidates when above 1: nothing else would look at -1.
        IllegalArgumentException later = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.auto(CrossValidation.of(PERIOD), extra, PERIOD, -1));
        assertEquals("period must be at least 1, was -1", later.getMessage());
    }

    static LongStream fewSeeds() {
        return LongStream.rangeClosed(1, 3);
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 8);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void forecast_seededSeries_hasHorizonFiniteOrderedNestedIntervals(long seed) {
        TimeSeries s = Datasets.synthetic(seed, 6 * PERIOD + (int) seed, PERIOD);
        FittedModel m = Forecasters.auto(CrossValidation.of(PERIOD), PERIOD).fit(s);
        int horizon = 2 * PERIOD + 1;
        Forecast f = m.forecast(horizon, 80, 95);
        assertEquals(horizon, f.horizon());
        assertEquals(s.end(), f.start());
        for (int h = 0; h < horizon; h++) {
            double lo95 = f.lower(95)[h];
            double lo80 = f.lower(80)[h];
            double hi80 = f.upper(80)[h];
            double hi95 = f.upper(95)[h];
            assertTrue(Double.isFinite(lo95) && Double.isFinite(hi95), m.description());
            assertTrue(lo95 <= lo80 && lo80 <= f.mean(h) && f.mean(h) <= hi80 && hi80 <= hi95, "step " + h);
        }
        double weights = 0;
        for (Map.Entry<String, Double> p : m.parameters().entrySet()) {
            assertTrue(Double.isFinite(p.getValue()), p.getKey());
            if (p.getKey().startsWith("weight.")) {
                weights += p.getValue();
            }
        }
        assertEquals(1, weights, 1e-12);
        assertTrue(m.description().contains("by cross-validation"), m.description());
        assertTrue(m.notes().get(0).startsWith("chosen by rolling-origin cross-validation"), m.notes().toString());
    }

    /** A plan of four origins three steps apart, forecasting six steps, that a 60-value series keeps whole. */
    private static final CrossValidation FOUR_ORIGINS = new CrossValidation(6, 4, 3);

    /** A growing positive series with noise: a random walk's forecasts fall behind it, on both sides at times. */
    private static TimeSeries growing(long seed) {
        return drifting(seed, 0.02);
    }

    /** A positive series drifting by a share of its level each step, with noise. */
    private static TimeSeries drifting(long seed, double drift) {
        Random r = new Random(seed);
        double[] v = new double[60];
        double level = 100;
        for (int t = 0; t < v.length; t++) {
            level *= Math.exp(drift + 0.02 * r.nextGaussian());
            v[t] = level;
        }
        return series(v);
    }

    /** How many of the errors at the plan's origins fall inside the candidate's 95% intervals scaled by scale. */
    private static int insideScaled(Forecaster candidate, TimeSeries s, CrossValidation cv, double scale) {
        int inside = 0;
        for (int k = 0; k < cv.origins(); k++) {
            int origin = cv.firstOrigin(s.size()) + k * cv.stride();
            Forecast g = candidate.fit(s.head(origin)).forecast(cv.horizon(), 95);
            for (int t = 0; t < cv.horizon(); t++) {
                double y = s.get(origin + t);
                double mean = g.mean(t);
                if (y >= mean - scale * (mean - g.lower(95)[t]) && y <= mean + scale * (g.upper(95)[t] - mean)) {
                    inside++;
                }
            }
        }
        return inside;
    }

    /**
     * The interval scale is the smallest factor that puts 95% of the cross-validation errors inside the scaled
     * 95% intervals: 23 of the 24 here (ceil(0.95 x 24)): a hair more puts that many inside, a hair less fewer. On the log scale the
     * intervals are lopsided, so each error must be measured against its own side: above the forecasts on a
     * rising series, below them on a falling one.
     */
    @ParameterizedTest(name = "seed {0}, drift {1}")
    @org.junit.jupiter.params.provider.CsvSource({"1, 0.02", "2, 0.02", "3, 0.02", "1, -0.02", "2, -0.02", "3, -0.02"})
    void fit_calibration_isTheSmallestScaleCoveringNinetyFivePercentOfTheErrors(long seed, double drift) {
        TimeSeries s = drifting(seed, drift);
        Forecaster candidate = Forecasters.boxCox(Forecasters.naive(), 0);
        SelectedCombination m = fit(new RollingOriginSelection("test", List.of(candidate), FOUR_ORIGINS, 1, 1, true), s);
        double scale = m.scale();
        assertTrue(scale > RollingOriginSelection.MIN_SCALE && scale < RollingOriginSelection.MAX_SCALE,
                "the case must need widening within the clamp: " + scale);
        assertEquals(scale, m.parameters().get("interval.scale"));
        assertTrue(insideScaled(candidate, s, FOUR_ORIGINS, scale * (1 + 1e-9)) >= 23, "scale " + scale);
        assertTrue(insideScaled(candidate, s, FOUR_ORIGINS, scale * (1 - 1e-9)) < 23, "scale " + scale);
        assertTrue(m.description().contains(String.format(java.util.Locale.ROOT, ", intervals x%.2f", scale)),
                m.description());
        assertTrue(m.notes().contains(String.format(java.util.Locale.ROOT,
                "intervals scaled by %.3f to cover 95%% of the cross-validation errors", scale)), m.notes().toString());
        // One candidate is its own median: score 1.
        assertEquals("chosen by rolling-origin cross-validation on the training series (4 origins, horizon 6, stride 3); "
                + "score: sMAPE and MASE relative to the median candidate, lower is better: " + candidate.name() + " 1.000",
                m.notes().get(0));
        assertFalse(m.notes().stream().anyMatch(n -> n.contains("averaged")), m.notes().toString());
        assertEquals(m.description(), m.toString());

        SelectedCombination plain = fit(new RollingOriginSelection("test", List.of(candidate), FOUR_ORIGINS, 1, 1, false), s);
        assertEquals(1, plain.scale());
        assertFalse(plain.description().contains("intervals x"), plain.description());
        assertFalse(plain.notes().stream().anyMatch(n -> n.startsWith("intervals")), plain.notes().toString());
    }

    @Test
    void fit_zeroWidthIntervalsWithErrors_leaveTheIntervalsUncalibratedAndSaySo() {
        // Constant until index 50: the random walk's intervals at the origins 45 and 48 have no width, and
        // the values from 51 on differ from its forecast.
        double[] v = new double[60];
        for (int t = 0; t < v.length; t++) {
            v[t] = t < 51 ? 10 : 10 + t;
        }
        SelectedCombination m = fit(new RollingOriginSelection("test", List.of(Forecasters.naive()), FOUR_ORIGINS, 1, 1,
                true), series(v));
        assertEquals(1, m.scale());
        assertTrue(m.notes().contains("intervals not calibrated: zero-width cross-validation intervals"),
                m.notes().toString());
    }

    @Test
    void fit_twoCandidatesScoringAlike_areAveragedAndSaySo_andMembersNotesAreNamed() {
        TimeSeries s = growing(4);
        SelectedCombination m = fit(new RollingOriginSelection("test",
                List.of(Forecasters.naive(), Forecasters.boxCox(Forecasters.naive(), 1)), FOUR_ORIGINS, 1, 3, true), s);
        assertEquals(2, m.members().size(), m.description());
        assertTrue(m.notes().contains("the forecasts of the models whose scores are within 1.2 times the best are averaged"),
                m.notes().toString());
        double[] v = s.values();
        v[20] = 10_000;
        Forecaster cleaned = Forecasters.cleaned(Forecasters.naive());
        SelectedCombination c = fit(new RollingOriginSelection("test", List.of(cleaned), FOUR_ORIGINS, 1, 1, true),
                series(v));
        List<String> own = cleaned.fit(series(v)).notes();
        assertFalse(own.isEmpty());
        for (String note : own) {
            assertTrue(c.notes().contains(cleaned.name() + ": " + note), c.notes().toString());
        }
    }

    @Test
    void fitReporting_countsEveryFitOnce_andEndsAtTheTotal() {
        List<int[]> reports = new ArrayList<>();
        RollingOriginSelection f = new RollingOriginSelection("test",
                List.of(Forecasters.naive(), Forecasters.seasonalNaive(4)), FOUR_ORIGINS, 1, 3, true);
        SelectedCombination m = (SelectedCombination) f.fitReporting(growing(5), (done, total) -> reports.add(
                new int[] {done, total}));
        // Two candidates at four origins, then at most two refits.
        int total = 2 * 4 + 2;
        int fits = 8 + m.members().size();
        for (int i = 0; i < fits; i++) {
            assertArrayEquals(new int[] {i + 1, total}, reports.get(i), "report " + i);
        }
        assertArrayEquals(new int[] {total, total}, reports.get(reports.size() - 1));
        assertEquals(fits == total ? fits : fits + 1, reports.size());
        // One refit at most: every fit counted reaches the total, which is then not reported again.
        reports.clear();
        new RollingOriginSelection("test", List.of(Forecasters.naive(), Forecasters.seasonalNaive(4)), FOUR_ORIGINS, 1, 1,
                true).fitReporting(growing(5), (done, all) -> reports.add(new int[] {done, all}));
        assertEquals(9, reports.size());
        assertArrayEquals(new int[] {9, 9}, reports.get(8));
    }

    @Test
    void fit_twoValues_fallBackToTheRandomWalk_andSeasonalNaiveOnlyWithMoreThanAPeriod() {
        RollingOriginSelection f = new RollingOriginSelection("test", List.of(Forecasters.naive()), FOUR_ORIGINS, 1, 1,
                true);
        List<int[]> reports = new ArrayList<>();
        FittedModel two = f.fitReporting(series(new double[] {3, 5}), (done, total) -> reports.add(new int[] {done, total}));
        assertTrue(two.description().contains("2 observations are too few for cross-validation: fell back to naive"),
                two.description());
        assertEquals(1, reports.size());
        assertArrayEquals(new int[] {1, 1}, reports.get(0));
        assertTrue(f.fit(series(new double[] {3, 5, 4, 6, 5})).description().endsWith("fell back to naive"));
        RollingOriginSelection quarterly = new RollingOriginSelection("test", List.of(Forecasters.naive()), FOUR_ORIGINS,
                4, 1, true);
        assertTrue(quarterly.fit(series(new double[] {3, 5, 4, 6})).description().endsWith("fell back to naive"));
        assertTrue(quarterly.fit(series(new double[] {3, 5, 4, 6, 5})).description()
                .endsWith("fell back to " + Forecasters.seasonalNaive(4).name()));
        assertEquals("test", f.toString());
    }

    @Test
    void adapt_firstOriginAtHalfTheSeries_isKept_oneBeforeIsShortened() {
        // n = 21: the earliest origin must keep (21 + 1) / 2 = 11 values.
        assertEquals(new CrossValidation(6, 3, 2), RollingOriginSelection.adapt(new CrossValidation(6, 3, 2), 21));
        assertEquals(new CrossValidation(3, 3, 2), RollingOriginSelection.adapt(new CrossValidation(7, 3, 2), 21));
    }

    @Test
    void median_ofUnsortedValues() {
        assertEquals(2, RollingOriginSelection.median(new double[] {3, 1, 2}));
        assertEquals(2.5, RollingOriginSelection.median(new double[] {4, 1, 3, 2}));
    }

    @Test
    void scores_aFoldWithoutScale_usesTheOtherMetricAlone() {
        // Fold 1: sMAPE median 0 gives no scale, MASE ratios 1/2, 2/2, 3/2. Fold 2: both, (rs + rm) / 2.
        double[][] smape = {{0, 10}, {0, 20}, {5, 40}};
        double[][] mase = {{1, 1}, {2, 1}, {3, 4}};
        double[] score = RollingOriginSelection.scores(smape, mase);
        assertArrayEquals(new double[] {(0.5 + (0.5 + 1) / 2) / 2, (1 + (1 + 1) / 2) / 2, (1.5 + (2 + 4) / 2) / 2}, score,
                1e-15);
    }

    @Test
    void standardCandidates_followThePeriodsAsDocumented() {
        List<String> twelve = names(RollingOriginSelection.standardCandidates(12));
        assertTrue(twelve.contains(Forecasters.ets(12).name()) && twelve.contains(Forecasters.autoArima(12).name()),
                twelve.toString());
        assertFalse(twelve.contains(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 12)).name()), twelve.toString());
        List<String> thirteen = names(RollingOriginSelection.standardCandidates(13));
        assertTrue(thirteen.contains(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 13)).name()), thirteen.toString());
        assertFalse(thirteen.contains(Forecasters.ets(13).name()), thirteen.toString());
        List<String> fortyEight = names(RollingOriginSelection.standardCandidates(48));
        assertTrue(fortyEight.contains(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 48)).name()), fortyEight.toString());
        assertFalse(fortyEight.contains(Forecasters.fourierArima(48).name()), fortyEight.toString());
        List<String> fortyNine = names(RollingOriginSelection.standardCandidates(49));
        assertTrue(fortyNine.contains(Forecasters.fourierArima(49).name()), fortyNine.toString());
        assertFalse(fortyNine.contains(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, 49)).name()), fortyNine.toString());
        // The ridge autoregression on the longest period's lags: when that period is at least twice the first.
        String ridge = GlobalAutoregression.local(48, GlobalAutoregression.LOCAL_RIDGE,
                GlobalAutoregression.Normalisation.STANDARDISED).name();
        assertTrue(names(RollingOriginSelection.standardCandidates(24, 48)).contains(ridge));
        assertEquals(names(RollingOriginSelection.standardCandidates(24, 47)).size() + 1,
                names(RollingOriginSelection.standardCandidates(24, 48)).size());
        // A first period of 1 beside a season: no seasonal naive, Theta, Holt-Winters or state-space model at 1.
        List<String> oneAndDay = names(RollingOriginSelection.standardCandidates(1, 24));
        assertEquals(List.of(Forecasters.seasonalNaive(24).name(), Forecasters.mstl(24).name(),
                Forecasters.mstl(Forecasters.theta(1), 24).name(),
                Forecasters.boxCoxGuerrero(Forecasters.mstl(24), 24).name()), oneAndDay);
    }

    private static List<String> names(List<Forecaster> candidates) {
        return candidates.stream().map(Forecaster::name).toList();
    }
}
