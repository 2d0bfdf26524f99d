package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitTrainedCandidateTest {

    private static final int PERIOD = 24;
    private static final CrossValidation PLAN = CrossValidation.of(PERIOD);

    /** A daily sine with small noise, starting at a given hour so that series can be told apart by start. */
    private static TimeSeries seasonal(long seed, int n, int startHour) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = 100 + 30 * Math.sin(2 * Math.PI * t / PERIOD) + r.nextGaussian();
        }
        return TimeSeries.of(Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofHours(startHour)),
                Duration.ofHours(1), v);
    }

    /** A stand-in for a global model's trainer: records what it was given, returns recording forecasters. */
    private static final class RecordingTrainer {
        final List<List<TimeSeries>> calls = new ArrayList<>();
        final List<BacktestTest.Recording> models = new ArrayList<>();

        Forecaster train(List<TimeSeries> series) {
            calls.add(series);
            BacktestTest.Recording m = new BacktestTest.Recording(Forecasters.seasonalNaive(PERIOD));
            models.add(m);
            return m;
        }
    }

    /**
     * A model that memorises its training series (keyed by start time) and, when fitted to a prefix of one,
     * forecasts the memorised values after it: with any look-ahead it would forecast perfectly. Without a
     * memorised continuation it is the random walk.
     */
    private static final class Memorising implements Forecaster {
        private final Map<Instant, double[]> memory = new HashMap<>();

        Memorising(List<TimeSeries> training) {
            for (TimeSeries s : training) {
                memory.put(s.start(), s.values());
            }
        }

        @Override
        public String name() {
            return "memorising";
        }

        @Override
        public FittedModel fit(TimeSeries history) {
            double[] known = memory.get(history.start());
            if (known == null || known.length <= history.size()) {
                return Forecasters.naive().fit(history);
            }
            Forecaster self = this;
            return new FittedModel() {
                @Override
                public Forecaster forecaster() {
                    return self;
                }

                @Override
                public String description() {
                    return "memorised continuation";
                }

                @Override
                public Map<String, Double> parameters() {
                    return Map.of();
                }

                @Override
                public TimeSeries history() {
                    return history;
                }

                @Override
                public Forecast forecast(int horizon, double... levels) {
                    double[] mean = new double[horizon];
                    for (int h = 0; h < horizon; h++) {
                        mean[h] = known[Math.min(known.length - 1, history.size() + h)];
                    }
                    Forecast.Builder b = Forecast.builder("memorising", history.end(), history.step(), mean);
                    for (double level : levels) {
                        double[] lo = new double[horizon];
                        double[] hi = new double[horizon];
                        for (int h = 0; h < horizon; h++) {
                            lo[h] = mean[h] - 1;
                            hi[h] = mean[h] + 1;
                        }
                        b.interval(level, lo, hi);
                    }
                    return b.build();
                }

                @Override
                public FittedModel update(TimeSeries next) {
                    throw new UnsupportedOperationException("not needed here");
                }
            };
        }
    }

    @Test
    void globalCandidate_trainer_seesEachSeriesCutBeforeItsEarliestOriginThenWhole() {
        TimeSeries longOne = seasonal(1, 10 * PERIOD, 0);
        TimeSeries shortOne = seasonal(2, 30, 1);
        TimeSeries tiny = seasonal(3, 3, 2);
        RecordingTrainer trainer = new RecordingTrainer();
        Forecaster c = Forecasters.globalCandidate(List.of(longOne, shortOne, tiny), PLAN, trainer::train);
        assertEquals(2, trainer.calls.size());
        // Plan of(24): origins 48 and 24 values before the end. The 30-value series gets the plan shortened
        // to horizon 6, stride 6 (origins 12 and 6 before its end); 3 values allow no plan at all.
        assertEquals(List.of(longOne.head(10 * PERIOD - 48), shortOne.head(30 - 12), tiny), trainer.calls.get(0));
        assertEquals(List.of(longOne, shortOne, tiny), trainer.calls.get(1));
        assertEquals("snaive(24)", c.name());
    }

    @Test
    void fit_globalCandidate_isScoredOnlyByTheModelTrainedBeforeTheOrigins() {
        TimeSeries s = seasonal(4, 10 * PERIOD, 0);
        RecordingTrainer trainer = new RecordingTrainer();
        Forecaster global = Forecasters.globalCandidate(List.of(s), PLAN, trainer::train);
        SelectedCombination m = (SelectedCombination) new RollingOriginSelection("test",
                List.of(global, Forecasters.naive()), PLAN, PERIOD, 1, true).fit(s);
        assertEquals("snaive(24)", m.members().get(0).forecaster().name(), m.description());
        int n = s.size();
        BacktestTest.Recording early = trainer.models.get(0);
        BacktestTest.Recording full = trainer.models.get(1);
        // The early model was trained on s.head(n - 48) and is the only one fitted at the origins;
        // the model trained on everything is only fitted to the whole series, once chosen.
        assertEquals(List.of(s.head(n - 48), s.head(n - 24)), early.seen);
        assertEquals(List.of(s), full.seen);
    }

    @Test
    void fit_memorisingGlobalModel_gainsNothingFromItsTrainingSeries() {
        List<TimeSeries> training = List.of(seasonal(5, 10 * PERIOD, 0), seasonal(6, 10 * PERIOD, 5));
        Forecaster honest = Forecasters.globalCandidate(training, PLAN, Memorising::new);
        for (TimeSeries s : training) {
            SelectedCombination m = (SelectedCombination) Forecasters.auto(PLAN,
                    List.of(honest, Forecasters.naive()), PERIOD).fit(s);
            // Trained before the earliest origin, it knows nothing after any origin: it is the random walk there.
            assertEquals(m.cvScores().get("naive"), m.cvScores().get("memorising"), 1e-12, m.description());
            assertFalse(m.members().stream().anyMatch(x -> x.forecaster().name().equals("memorising")),
                    m.description());
        }
        // The control: the same model trained on the whole series and passed as a plain candidate sees the
        // values after the origins, forecasts them exactly and wins; the test above can fail.
        TimeSeries s = training.get(0);
        SelectedCombination leaky = (SelectedCombination) Forecasters.auto(PLAN,
                List.of(new Memorising(training)), PERIOD).fit(s);
        assertEquals("memorising", leaky.cvScores().keySet().iterator().next(), leaky.description());
        assertEquals(0, leaky.cvScores().get("memorising"), 1e-12);
    }

    @Test
    void globalCandidate_badArguments_areRejected() {
        TimeSeries s = seasonal(7, 5 * PERIOD, 0);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.globalCandidate(List.of(), PLAN, Memorising::new));
        assertTrue(empty.getMessage().contains("training"), empty.getMessage());
        assertThrows(NullPointerException.class, () -> Forecasters.globalCandidate(List.of(s), null, Memorising::new));
        List<Forecaster> outputs = new ArrayList<>(List.of(Forecasters.naive(), Forecasters.seasonalNaive(PERIOD)));
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.globalCandidate(List.of(s), PLAN, l -> outputs.remove(0)));
        assertTrue(names.getMessage().contains("'naive'") && names.getMessage().contains("'snaive(24)'"),
                names.getMessage());
        Forecaster otherPlan = Forecasters.globalCandidate(List.of(s), CrossValidation.of(12), Memorising::new);
        IllegalArgumentException plan = assertThrows(IllegalArgumentException.class,
                () -> Forecasters.auto(PLAN, List.of(otherPlan), PERIOD));
        assertTrue(plan.getMessage().contains("memorising") && plan.getMessage().contains("horizon=12"),
                plan.getMessage());
    }

    @Test
    void auto_candidateTrainedBeforeFitButNotAGlobalCandidate_isRefusedNamingIt() {
        List<TimeSeries> training = List.of(seasonal(8, 10 * PERIOD, 0), seasonal(9, 10 * PERIOD, 5));
        // Trained on the whole series and declared so: auto would score it at origins whose answers it memorised.
        Forecaster declared = new BacktestTest.TrainedBefore(new Memorising(training));
        Forecaster pooled = GlobalAutoregression.train(training,
                new GlobalAutoregression.Settings(PERIOD, PERIOD, 1e-3, GlobalAutoregression.Normalisation.STANDARDISED));
        // Around a global candidate, a transformation fits, and would be scored as, the model trained on everything.
        Forecaster wrapped = Forecasters.boxCox(Forecasters.globalCandidate(training, PLAN, Memorising::new), 0.5);
        for (Forecaster c : List.of(declared, pooled, wrapped)) {
            for (int[] periods : new int[][] {{PERIOD}, {}}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Forecasters.auto(PLAN, List.of(Forecasters.naive(), c), periods), c.name());
                assertTrue(e.getMessage().startsWith("extraCandidates: '" + c.name() + "' holds a model trained "
                        + "before it is fitted"), e.getMessage());
                assertTrue(e.getMessage().contains("Forecasters.globalCandidate(training, plan, trainer)"),
                        e.getMessage());
            }
        }
    }

    @Test
    void auto_globalCandidateOfThePlan_isTakenWithAndWithoutPeriods() {
        List<TimeSeries> training = List.of(seasonal(10, 10 * PERIOD, 0), seasonal(11, 10 * PERIOD, 5));
        Forecaster honest = Forecasters.globalCandidate(training, PLAN, Memorising::new);
        // The transformation inside the trainer: both forms are transformed, and the early one is scored.
        Forecaster transformed = Forecasters.globalCandidate(training, PLAN,
                l -> Forecasters.boxCox(new BacktestTest.TrainedBefore(Forecasters.seasonalNaive(PERIOD)), 0.5));
        List<Forecaster> extra = List.of(honest, transformed, Forecasters.naive());
        for (Forecaster auto : List.of(Forecasters.auto(PLAN, extra, PERIOD), Forecasters.auto(PLAN, extra))) {
            FittedModel m = auto.fit(training.get(0));
            assertTrue(m.parameters().containsKey("cv.memorising"), m.parameters().toString());
            assertTrue(m.parameters().containsKey("cv.boxcox[0.5](trained-before(snaive(24)))"),
                    m.parameters().toString());
            // Scored by the model trained before the origins, the memorising model is the random walk there.
            assertEquals(m.parameters().get("cv.naive"), m.parameters().get("cv.memorising"), 1e-12, m.description());
        }
    }
}
