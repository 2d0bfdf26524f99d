package io.fleetpredict.core.feedback;

import static io.fleetpredict.core.feedback.FaultyModels.Fault;
import static io.fleetpredict.core.feedback.FaultyModels.faulty;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.feedback.RetrainOutcome.ChallengerFailed;
import io.fleetpredict.core.feedback.RetrainOutcome.FellBack;
import io.fleetpredict.core.feedback.RetrainOutcome.Promoted;
import io.fleetpredict.core.feedback.RetrainOutcome.Refitted;
import io.fleetpredict.core.feedback.RetrainOutcome.Skipped;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RetrainerTest {
    private static final Duration HOUR = Duration.ofHours(1);

    static double seasonal(int t, Random rnd) {
        return 100 + 10 * Math.sin(2 * Math.PI * t / 24) + rnd.nextGaussian();
    }

    static TimeSeries history(int n, Random rnd) {
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = seasonal(t, rnd);
        }
        return TimeSeries.of(Instant.EPOCH, HOUR, v);
    }

    private static Retrainer.Builder builder(FittedModel champion) {
        return Retrainer.builder().champion(champion).executor(Runnable::run).window(240).backtest(24, 2, 24)
                .seasonalPeriod(24);
    }

    @Test
    void retrain_challengerBeatsChampionByMargin_isPromoted() {
        TimeSeries h = history(240, new Random(1));
        Retrainer r = builder(Forecasters.naive().fit(h)).candidates(List.of(Forecasters.seasonalNaive(24))).build();

        RetrainOutcome outcome = r.retrain().join();

        Promoted p = assertInstanceOf(Promoted.class, outcome);
        assertTrue(p.challengerScore() < p.championScore() * 0.95, outcome.toString());
        assertTrue(r.status().model().equals(p.promoted()));
        assertTrue(r.status().lastGood() != null && r.status().lastGood().equals(p.previous()));
    }

    @Test
    void retrain_challengerNotBetter_championSpecificationIsRefitted() {
        TimeSeries h = history(240, new Random(2));
        FittedModel champion = Forecasters.seasonalNaive(24).fit(h);
        Retrainer r = builder(champion).candidates(List.of(Forecasters.naive())).build();

        RetrainOutcome outcome = r.retrain().join();

        Refitted refitted = assertInstanceOf(Refitted.class, outcome);
        assertTrue(refitted.bestChallengerScore() > refitted.championScore());
        assertEquals(champion.description(), r.status().model());
    }

    @Test
    void retrain_everyChallengerFails_championIsNeverReplaced() {
        TimeSeries h = history(240, new Random(3));
        Forecaster snaive = Forecasters.seasonalNaive(24);
        // The champion's own specification cannot be refitted either, so nothing healthy is left to promote.
        FittedModel champion = FaultyModels.wrap(faulty("champion", snaive, Fault.FIT_THROWS), snaive.fit(h),
                Fault.NONE);
        Retrainer r = builder(champion).candidates(List.of(
                faulty("throws", snaive, Fault.FIT_THROWS),
                faulty("nan", snaive, Fault.NAN_FORECAST),
                faulty("forecast-throws", snaive, Fault.FORECAST_THROWS))).build();

        RetrainOutcome outcome = r.retrain().join();

        ChallengerFailed failed = assertInstanceOf(ChallengerFailed.class, outcome);
        assertEquals(4, failed.failures().size(), failed.failures().toString());
        assertEquals(champion.description(), r.status().model());
        assertFalse(r.forecast(24).reactiveOnly());
    }

    @Test
    void retrain_failingChallengerNextToAHealthyChampion_isNeverPromoted() {
        TimeSeries h = history(240, new Random(4));
        // A challenger that would win the backtest but whose fitted model forecasts nothing usable.
        Forecaster trap = faulty("trap", Forecasters.seasonalNaive(24), Fault.NAN_FORECAST);
        Retrainer r = builder(Forecasters.naive().fit(h)).candidates(List.of(trap)).build();

        RetrainOutcome outcome = r.retrain().join();

        assertFalse(outcome instanceof Promoted, outcome.toString());
        assertFalse(r.status().model().startsWith("trap"), r.status().model());
    }

    @Test
    void observe_promotedChampionFails_fallsBackToLastGoodAndSaysSo() {
        Random rnd = new Random(5);
        TimeSeries h = history(240, rnd);
        FittedModel naive = Forecasters.naive().fit(h);
        Forecaster brittle = faulty("brittle", Forecasters.seasonalNaive(24), Fault.UPDATE_THROWS);
        Retrainer r = builder(naive).candidates(List.of(brittle)).build();
        assertInstanceOf(Promoted.class, r.retrain().join());
        assertTrue(r.status().model().startsWith("brittle"));

        Observed o = r.observe(seasonal(240, rnd));

        assertTrue(Double.isFinite(o.oneStepError()));
        RetrainerStatus status = r.status();
        FellBack fellBack = assertInstanceOf(FellBack.class, status.recentOutcomes().get(status.recentOutcomes().size() - 1));
        assertFalse(fellBack.reactiveOnly());
        assertTrue(status.model().startsWith("naive"), status.model());
        assertFalse(status.reactiveOnly());
        // The last good model was brought up to date: it forecasts from the observation just absorbed.
        assertEquals(h.end().plus(HOUR), r.forecast(1).forecast().start());
    }

    @Test
    void observe_championFailsWithoutLastGood_isReactiveOnlyAndFlagged() {
        Random rnd = new Random(6);
        TimeSeries h = history(240, rnd);
        Forecaster brittle = faulty("brittle", Forecasters.seasonalNaive(24), Fault.UPDATE_THROWS);
        Retrainer r = builder(brittle.fit(h)).build();

        r.observe(seasonal(240, rnd));

        RetrainerStatus status = r.status();
        assertTrue(status.reactiveOnly());
        FellBack fellBack = assertInstanceOf(FellBack.class, status.recentOutcomes().get(0));
        assertTrue(fellBack.reactiveOnly());
        assertTrue(fellBack.failure().contains("brittle cannot update"), fellBack.failure());
        Prediction p = r.forecast(24, 80);
        assertTrue(p.reactiveOnly());
        // Seasonal naive of the recent history: the next value repeats the one a period ago.
        assertEquals(h.get(240 - 23), p.forecast().mean(0), 1e-9);
    }

    @Test
    void forecast_championThrows_returnsFallbackForecast() {
        TimeSeries h = history(240, new Random(7));
        Forecaster broken = faulty("broken", Forecasters.seasonalNaive(24), Fault.FORECAST_THROWS);
        Retrainer r = builder(broken.fit(h)).build();

        Prediction p = r.forecast(12);

        assertTrue(p.reactiveOnly());
        assertEquals(12, p.forecast().horizon());
        assertTrue(r.status().reactiveOnly());
    }

    @Test
    void retrain_runsOffTheCallerThread_predictionsNeverWait() throws Exception {
        TimeSeries h = history(240, new Random(8));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fitting = new CountDownLatch(1);
        AtomicReference<Thread> fitThread = new AtomicReference<>();
        Forecaster slow = new Forecaster() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public FittedModel fit(TimeSeries series) {
                fitThread.set(Thread.currentThread());
                fitting.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Forecasters.naive().fit(series);
            }
        };
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Retrainer r = Retrainer.builder().champion(Forecasters.seasonalNaive(24).fit(h)).executor(executor)
                    .candidates(List.of(slow)).window(240).backtest(24, 2, 24).seasonalPeriod(24).build();

            CompletableFuture<RetrainOutcome> running = r.retrain();
            assertTrue(fitting.await(10, TimeUnit.SECONDS));

            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertEquals(24, r.forecast(24).forecast().horizon());
                assertTrue(r.status().retraining());
                assertInstanceOf(Skipped.class, r.retrain().join());
            });
            assertFalse(running.isDone());
            assertTrue(fitThread.get() != Thread.currentThread());
            release.countDown();
            assertInstanceOf(Refitted.class, running.get(10, TimeUnit.SECONDS));
            assertFalse(r.status().retraining());
        } finally {
            release.countDown();
            executor.shutdownNow();
        }
    }

    @Test
    void observe_scheduleDue_startsARetrain() {
        Random rnd = new Random(9);
        TimeSeries h = history(240, rnd);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-11-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Retrainer r = builder(Forecasters.seasonalNaive(24).fit(h)).clock(clock).schedule(Duration.ofHours(6)).build();

        now.set(now.get().plus(Duration.ofHours(5)));
        assertFalse(r.observe(seasonal(240, rnd)).retrainStarted());
        now.set(now.get().plus(Duration.ofHours(1)));
        assertTrue(r.observe(seasonal(241, rnd)).retrainStarted());
        assertFalse(r.observe(seasonal(242, rnd)).retrainStarted());

        assertEquals(RetrainOutcome.Trigger.SCHEDULE, r.status().recentOutcomes().get(0).trigger());
        assertEquals(now.get(), r.status().lastRetrainAt());
    }
}
