package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.CusumDriftDetector;
import io.fleetpredict.core.feedback.KeyAccuracy;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.SlaDefaults;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.StoredFleet;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The loop's feedback scores each forecast step against the usage recorded over it, aggregated as its horizon
 * aggregates (the peak of the hour for hourly peaks), and against the capacity the fleet state allocates to the
 * service: figures that do not depend on the forecast. The service's CPU is 4 and 6 cores in turn every 15
 * minutes; the state allocates one instance of 2 cores, and the loop only plans, so the state stays so.
 */
class AccuracyFeedbackStepTest {

    private static final Instant START = Instant.parse("2025-03-03T00:00:00Z");
    private static final Duration TICK = Duration.ofMinutes(15);
    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    private static double cpu(Instant t) {
        return (t.getEpochSecond() / TICK.getSeconds()) % 2 == 0 ? 4 : 6;
    }

    @Test
    void feedback_hourlyPeaksAgainstTheAllocatedCapacity_shortfallOfThePeakOverTheStatesCores() {
        KeyAccuracy hourly = hourlyAccuracy(Duration.ofDays(4), AccuracyFeedbackStepTest::cpu,
                Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("shop")
                        .horizons(List.of(HorizonSpec.mediumTerm())).build());

        assertTrue(hourly.count() >= 10, hourly.toString());
        assertEquals(hourly.count(), hourly.underProvisionedSteps(), "every hour's peak stood above 2 cores");
        assertEquals(6 - 2, hourly.maxShortfall(), 1e-9, "the hour's peak, 6, less the state's 2 cores");
    }

    /**
     * Each scored point carries the forecast's first interval, the 80% one, whose coverage the tracker reports.
     * A forecaster answering 4.5 with an 80% interval of 3.75 to 5.25 (a 98% one of -0.5 to 9.5) against hourly
     * peaks of 6 and 4 in turn: the 80% interval holds the fours alone, so coverage is the share of fours, about
     * half (all of them at 98%); MAPE and bias follow from the same counts (25% and -1.5 on a six, 12.5% and +0.5
     * on a four).
     */
    @Test
    void feedback_pointsScoredWithTheFirstInterval_coverageMapeAndBiasFromTheHourCounts() {
        KeyAccuracy a = hourlyAccuracy(Duration.ofDays(2), AccuracyFeedbackStepTest::hourly,
                Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("shop")
                        .horizons(List.of(HorizonSpec.mediumTerm())).forecaster(Horizon.MEDIUM_TERM, new FixedBand())
                        .build());

        long n = a.count();
        long fours = Math.round(a.coverage() * n);
        assertTrue(n >= 10, a.toString());
        assertEquals(80, a.intervalLevel(), 0, a.toString());
        assertTrue(fours == n / 2 || fours == (n + 1) / 2, "the fours are every other hour: " + a);
        assertEquals((double) fours / n, a.coverage(), 1e-12, a.toString());
        assertEquals(100 * (0.25 * (n - fours) + 0.125 * fours) / n, a.mape(), 1e-9, a.toString());
        assertEquals((-1.5 * (n - fours) + 0.5 * fours) / n, a.bias(), 1e-9, a.toString());
    }

    /**
     * An hourly peak is the peak of the buckets observed in the hour: an exporter silent through the first half of
     * each four-core hour leaves those buckets filled with the six cores of the hour before, which nobody saw there.
     * Scored on the observed buckets, every figure is the same as with the exporter reporting throughout.
     */
    @Test
    void feedback_hourlyPeaksWithSilentBuckets_peakOfTheObservedBucketsOnly() {
        Predictor fixed = Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("shop")
                .horizons(List.of(HorizonSpec.mediumTerm())).forecaster(Horizon.MEDIUM_TERM, new FixedBand()).build();
        KeyAccuracy reporting = hourlyAccuracy(Duration.ofDays(2), AccuracyFeedbackStepTest::hourly, fixed);
        KeyAccuracy silentHalves = hourlyAccuracy(Duration.ofDays(2), AccuracyFeedbackStepTest::hourly, fixed,
                t -> hourly(t) == 4 && t.getEpochSecond() % 3600 < 1800
                        && !t.isBefore(START.plus(Duration.ofDays(2))));

        assertTrue(reporting.count() >= 10, reporting.toString());
        assertEquals(reporting.count(), silentHalves.count(), silentHalves.toString());
        assertEquals(reporting.mape(), silentHalves.mape(), 1e-12, silentHalves.toString());
        assertEquals(reporting.bias(), silentHalves.bias(), 1e-12, silentHalves.toString());
        assertEquals(reporting.coverage(), silentHalves.coverage(), 1e-12, silentHalves.toString());
        assertEquals(reporting.underProvisionedSteps(), silentHalves.underProvisionedSteps(), silentHalves.toString());
    }

    /**
     * Records {@code cpu} every 15 minutes over {@code history}, then runs a loop that only plans, against a state of
     * one instance of 2 cores, once an hour for 12 hours as the values go on: the tracker's figures for the
     * service's hourly peaks.
     */
    private static KeyAccuracy hourlyAccuracy(Duration history, ToDoubleFunction<Instant> cpu, Predictor predictor) {
        return hourlyAccuracy(history, cpu, predictor, t -> false);
    }

    /** {@link #hourlyAccuracy(Duration, ToDoubleFunction, Predictor)} with no observation at the times {@code silent}. */
    private static KeyAccuracy hourlyAccuracy(Duration history, ToDoubleFunction<Instant> cpu, Predictor predictor,
            Predicate<Instant> silent) {
        MutableClock clock = MutableClock.at(START);
        ActivityMonitor monitor = ActivityMonitor.builder().step(TICK).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN).build();
        Instant t = START;
        for (; t.isBefore(START.plus(history)); t = t.plus(TICK)) {
            clock.set(t);
            monitor.record(CPU, t, cpu.applyAsDouble(t));
        }
        List<Offer> offers = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east")).toList();
        AccuracyTracker tracker = AccuracyTracker.builder().clock(clock).build();
        FleetPredictor loop = FleetPredictor.builder("shop").monitor(monitor).predictor(predictor)
                .projection(ProjectionEngine.builder().slaPolicies(SlaDefaults.policies())
                        .offers(CapacityOffers.fromCloud(offers)).clock(clock).build())
                .feedbackTracking(tracker).cloud(SimulatedCloud.builder().clock(clock).catalogue(offers).build())
                .store(stateOfOneInstance(clock)).thresholds(5, 0.5).cycle(Duration.ofHours(1)).clock(clock).build();

        loop.cycle();
        Instant end = t.plus(Duration.ofHours(12));
        for (; t.isBefore(end); t = t.plus(TICK)) {
            clock.set(t);
            if (!silent.test(t)) {
                monitor.record(CPU, t, cpu.applyAsDouble(t));
            }
            if (t.plus(TICK).getEpochSecond() % 3600 == 0) {
                clock.set(t.plus(TICK));
                loop.cycle();
            }
        }
        return tracker.report().find(new AccuracyKey("checkout", ResourceType.CPU, Horizon.MEDIUM_TERM)).orElseThrow();
    }

    /**
     * Two services whose hourly peaks (6 and 4 in turn, the fixed band's 4.5 forecast) jump by 40 in the same hour:
     * both drifts are flagged in one cycle, which asks for one refit, and after it both detectors calibrate afresh.
     * The fixed band forecasts 4.5 again after the refit, so errors stay 40 off: a detector left as it was would
     * flag again at once (its charts restart after an alarm), and ask for another refit; reset, it calibrates on
     * them (ten errors) and flags nothing.
     */
    @Test
    void feedback_twoSeriesDriftInOneCycle_oneRefitAndBothDetectorsCalibrateAfresh() {
        MetricKey search = MetricKey.of("cpu_cores", "search");
        MutableClock clock = MutableClock.at(START);
        ActivityMonitor monitor = ActivityMonitor.builder().step(TICK).clock(clock)
                .metric(CPU, MetricKind.GAUGE_MEAN).metric(search, MetricKind.GAUGE_MEAN).build();
        Instant firstCycle = START.plus(Duration.ofDays(2));
        Instant jump = firstCycle.plus(Duration.ofHours(14));
        List<Offer> offers = SimulatedCloud.defaultCatalogue().stream()
                .filter(o -> o.instanceType().equals("m.large") && o.region().equals("us-east")).toList();
        // Ten errors calibrate a detector: the hours scored before the jump.
        AccuracyTracker tracker = AccuracyTracker.builder().clock(clock)
                .driftDetectors(() -> new CusumDriftDetector(0.5, 8, 12, 10)).build();
        FleetPredictor loop = FleetPredictor.builder("shop").monitor(monitor)
                .predictor(Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("shop")
                        .horizons(List.of(HorizonSpec.mediumTerm())).forecaster(Horizon.MEDIUM_TERM, new FixedBand())
                        .build())
                .projection(ProjectionEngine.builder().slaPolicies(SlaDefaults.policies())
                        .offers(CapacityOffers.fromCloud(offers)).clock(clock).build())
                .feedbackTracking(tracker).cloud(SimulatedCloud.builder().clock(clock).catalogue(offers).build())
                .store(stateOfOneInstance(clock)).thresholds(5, 0.5).cycle(Duration.ofHours(1)).clock(clock).build();

        List<String> notes = new ArrayList<>();
        List<Instant> flagged = new ArrayList<>();
        for (Instant t = START; t.isBefore(jump.plus(Duration.ofHours(6))); t = t.plus(TICK)) {
            clock.set(t);
            monitor.record(CPU, t, hourly(t) + (t.isBefore(jump) ? 0 : 40));
            monitor.record(search, t, hourly(t) + (t.isBefore(jump) ? 0 : 40));
            Instant next = t.plus(TICK);
            if (!next.isBefore(firstCycle) && next.getEpochSecond() % 3600 == 0) {
                clock.set(next);
                List<String> feedback = loop.cycle().feedback();
                notes.addAll(feedback);
                if (feedback.stream().anyMatch(n -> n.contains("drift flagged"))) {
                    flagged.add(next);
                }
            }
        }

        List<String> refits = notes.stream().filter(n -> n.startsWith("models refitted")).toList();
        // Flagged in one cycle only, on both series, after the jump; one refit, the next cycle.
        assertEquals(1, flagged.size(), notes.toString());
        assertTrue(flagged.get(0).isAfter(jump), flagged.toString());
        assertEquals(List.of("models refitted at " + flagged.get(0).plus(Duration.ofHours(1))
                + ": drift on [checkout CPU medium_term, search CPU medium_term]"), refits);
        for (String service : List.of("checkout", "search")) {
            assertEquals(1, tracker.report().find(new AccuracyKey(service, ResourceType.CPU, Horizon.MEDIUM_TERM))
                    .orElseThrow().driftAlarms(), service);
        }
    }

    /**
     * An exporter silent for four hours while demand goes on as before (checkout's CPU of 6 + 4 sin over the day,
     * noise of 0.3, every five minutes; a week of history, then 30-minute cycles with the short term and the default
     * tracker): the buckets the monitor filled are no actuals, so the 48 of the silence are left unscored, said in
     * the notes, and the carried-forward flat run raises no drift alarm and no refit.
     */
    @Test
    void feedback_exporterSilentFourHoursDemandUnchanged_silenceUnscoredAndNoDrift() {
        List<String> notes = silenceOrShift(false);

        assertTrue(notes.stream().noneMatch(n -> n.contains("drift")), notes.toString());
        int unscored = 0;
        for (String n : notes) {
            Matcher m = Pattern.compile("(\\d+) steps? not scored \\(no observation").matcher(n);
            unscored += m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
        assertEquals(4 * 12, unscored, notes.toString());
    }

    /** The same loop with the exporter reporting throughout and demand up by 4 cores for good: drift is flagged. */
    @Test
    void feedback_demandShiftsForGood_driftFlaggedAndRefitted() {
        List<String> notes = silenceOrShift(true);

        assertTrue(notes.stream().anyMatch(n -> n.startsWith("checkout CPU short_term: ")
                && n.endsWith("drift flagged -> refit scheduled")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.contains("drift on [checkout CPU short_term]")), notes.toString());
        assertTrue(notes.stream().noneMatch(n -> n.contains("not scored")), notes.toString());
    }

    /**
     * A week of checkout's CPU every five minutes, then a day and a half of 30-minute cycles; at 12:00 on the ninth day
     * either demand shifts up by 4 cores ({@code shift}) or the exporter goes silent for four hours. The notes of
     * every cycle.
     */
    private static List<String> silenceOrShift(boolean shift) {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(5))
                .futureTolerance(Duration.ofMinutes(5)).clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(monitor).budget(5)
                .predictor(Predictor.builder().clock(clock).fleetId("shop").horizons(List.of(HorizonSpec.shortTerm()))
                        .build())
                .feedbackTracking(AccuracyTracker.builder().clock(clock).build()).clock(clock).build();
        Random noise = new Random(7);
        int change = 8 * 288 + 144;
        List<String> notes = new ArrayList<>();
        for (int step = 0; step < 9 * 288 + 144; step++) {
            double hour = step / 12.0 % 24;
            double cpu = 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + 0.3 * noise.nextGaussian();
            boolean silent = !shift && step >= change && step < change + 48;
            if (!silent) {
                fleet.record(CPU, clock.instant(), cpu + (shift && step >= change ? 4 : 0));
            }
            clock.advance(Duration.ofMinutes(5));
            if (step >= 7 * 288 && step % 6 == 0) {
                notes.addAll(fleet.cycle().feedback());
            }
        }
        return notes;
    }

    /**
     * An exporter silent for a whole day (from 12:00 on the tenth day) while demand goes on as before, in the loop of
     * {@link #silenceOrShift}: no refit fits on the filled buckets (the daily refit due in the silence waits, saying
     * so in the warnings, until a day has been observed after it), and the model, updated online through the
     * filled run, raises no drift alarm the day after. The one refit after the silence is the schedule's, a day
     * after the exporter came back.
     */
    @Test
    void cycle_dayAfterALongSilence_noRefitOnFilledBucketsAndNoFalseDrift() {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(5))
                .futureTolerance(Duration.ofMinutes(5)).clock(clock).metric(CPU, MetricKind.GAUGE_MEAN).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(SimulatedCloud.builder().clock(clock).build())
                .monitor(monitor).budget(5)
                .predictor(Predictor.builder().clock(clock).fleetId("shop").horizons(List.of(HorizonSpec.shortTerm()))
                        .build())
                .feedbackTracking(AccuracyTracker.builder().clock(clock).build()).clock(clock).build();
        Random noise = new Random(7);
        int silence = 8 * 288 + 144;
        Instant back = Instant.parse("2025-03-10T12:00:00Z");
        List<String> notes = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (int step = 0; step < 11 * 288; step++) {
            double hour = step / 12.0 % 24;
            double cpu = 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + 0.3 * noise.nextGaussian();
            if (step < silence || step >= silence + 288) {
                fleet.record(CPU, clock.instant(), cpu);
            }
            clock.advance(Duration.ofMinutes(5));
            if (step >= 7 * 288 && step % 6 == 0) {
                CycleReport report = fleet.cycle();
                report.feedback().forEach(n -> notes.add(report.at() + " " + n));
                report.warnings().stream().filter(w -> w.startsWith("refit deferred (scheduled"))
                        .forEach(w -> deferred.add(report.at() + " " + w));
            }
        }

        assertTrue(notes.stream().noneMatch(n -> n.contains("drift")), notes.toString());
        List<String> refits = notes.stream().filter(n -> n.contains(" models refitted at ")).toList();
        assertEquals(List.of("2025-03-09T00:05:00Z models refitted at 2025-03-09T00:05:00Z: scheduled (every PT24H)",
                "2025-03-11T12:05:00Z models refitted at 2025-03-11T12:05:00Z: scheduled (every PT24H)"), refits);
        assertTrue(deferred.get(0).startsWith("2025-03-10T00:05:00Z refit deferred (scheduled (every PT24H)): metric "
                + CPU + " has been silent for longer than the lookahead"), deferred.toString());
        assertTrue(deferred.get(deferred.size() - 1).startsWith("2025-03-11T11:35:00Z refit deferred (scheduled "
                + "(every PT24H)): metric " + CPU + " was silent until " + back + " and PT23H30M has been observed "
                + "since, less than PT24H"), deferred.toString());
    }

    /** 6 cores through even hours, 4 through odd ones. */
    private static double hourly(Instant t) {
        return (t.getEpochSecond() / 3600) % 2 == 0 ? 6 : 4;
    }

    private static FleetStateStore stateOfOneInstance(MutableClock clock) {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "shop", 0, clock.instant(), List.of(new ServiceState("checkout",
                SlaDefaults.CRITICAL, List.of(new InstanceGroup("m.large", "us-east", PurchaseOption.ON_DEMAND, 1,
                        List.of(ResourceAmount.of(ResourceType.CPU, 2, ResourceUnit.CORES)))), List.of())))));
        return store;
    }

    /** Forecasts 4.5 at every step, within 0.75 at levels up to 80% and within 5 above. */
    private static final class FixedBand implements Forecaster {
        @Override
        public String name() {
            return "fixed band";
        }

        @Override
        public FittedModel fit(TimeSeries series) {
            return new Fitted(this, series);
        }

        private record Fitted(FixedBand forecaster, TimeSeries history) implements FittedModel {
            @Override
            public String description() {
                return "4.5 within 0.75 (80%) or 5";
            }

            @Override
            public Map<String, Double> parameters() {
                return Map.of();
            }

            @Override
            public Forecast forecast(int horizon, double... levels) {
                double[] mean = new double[horizon];
                Arrays.fill(mean, 4.5);
                Forecast.Builder b = Forecast.builder("fixed band", history.end(), history.step(), mean);
                for (double level : levels) {
                    double w = level <= 80 ? 0.75 : 5;
                    double[] lo = new double[horizon];
                    double[] hi = new double[horizon];
                    Arrays.fill(lo, 4.5 - w);
                    Arrays.fill(hi, 4.5 + w);
                    b.interval(level, lo, hi);
                }
                return b.build();
            }

            @Override
            public FittedModel update(TimeSeries next) {
                return new Fitted(forecaster, history.append(next));
            }
        }
    }
}
