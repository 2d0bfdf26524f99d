package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The near term's operating point follows adaptive conformal inference on the short time the cloud shows. */
class NearTermPredictionTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final Offer CORE = new Offer("a", "f", "r", 1, 1, 1, 0, 1, OptionalDouble.empty(), 0,
            Duration.ofMinutes(5));

    private static SlaPolicies target(double share) {
        TierPolicy t = new TierPolicy(1, 0.9, 0, 0, 0, null, null, Duration.ZERO, Duration.ZERO, Duration.ZERO, share);
        return new SlaPolicies(1, "t", Map.of("t", t), List.of());
    }

    private static FleetHistory history(int steps, double cores) {
        double[] v = new double[steps];
        java.util.Arrays.fill(v, cores);
        return FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES, TimeSeries.of(T0, STEP, v)).build();
    }

    private static List<Instance> fleet(int readyCores) {
        List<Instance> fleet = new ArrayList<>();
        for (int i = 0; i < readyCores; i++) {
            fleet.add(new Instance("i-" + i, "a", "r", PurchaseOption.ON_DEMAND, InstanceState.RUNNING, T0.minusSeconds(600),
                    T0.minusSeconds(300), "k" + i, Map.of(), Map.of(), 1));
        }
        return fleet;
    }

    /** Runs 100 cycles with {@code readyCores} ready all along against a demand of 10 cores. */
    private static NearTermPrediction run(int readyCores, double target) {
        ReadyCapacity ready = new ReadyCapacity();
        List<Instance> fleet = fleet(readyCores);
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ZERO,
                Map.of(ResourceType.CPU, 1.0), target(target), ready, STEP);
        ready.observe(T0, fleet, i -> "web", () -> List.of(CORE));
        for (int s = 1; s <= 100; s++) {
            List<PredictedFleetState> states = p.predict(history(s, 10), T0.plus(STEP.multipliedBy(s)), List.of(), "f");
            assertEquals(ModelInfo.NEAR_TERM, states.get(0).model().name());
            ready.observe(T0.plus(STEP.multipliedBy(s)), fleet, i -> "web", () -> List.of(CORE));
        }
        return p;
    }

    @Test
    void level_everyStepShort_calibratedRisesByATwentiethOfTheTargetAndBurstsAccumulate() {
        NearTermPrediction p = run(5, 0.01);
        // The 99 steps closed since the cloud was first observed, each short.
        double rate = NearTermPrediction.CALIBRATION_RATE_PER_TARGET * 0.01;
        assertEquals(0.99 + 99 * rate * 0.99, p.calibrated("web"), 1e-9);
        // The burst term: 0.005 a short step, halved every reach (5 + 0 + 1 = 6 one-minute steps).
        double decay = Math.pow(0.5, 1 / 6.0);
        double burst = 0;
        for (int i = 0; i < 99; i++) {
            burst = burst * decay + NearTermPrediction.BURST_RATE;
        }
        assertEquals(burst, p.burst("web"), 1e-12);
        assertEquals(p.calibrated("web") + p.burst("web"), p.level("web"), 1e-12);
    }

    @Test
    void level_neverShort_calibratedFallsByATwentiethOfTheTargetSquaredAndNoBurst() {
        NearTermPrediction p = run(12, 0.01);
        assertEquals(0.99 - 99 * NearTermPrediction.CALIBRATION_RATE_PER_TARGET * 0.01 * 0.01, p.calibrated("web"), 1e-12);
        assertEquals(0, p.burst("web"));
    }

    @Test
    void burst_halvesEveryReachOnceServed_whileTheCalibratedTermKeepsWhatItLearned() {
        // Short for 20 steps, then served for the 80 steps after: the burst fades, the calibrated term stays up.
        ReadyCapacity ready = new ReadyCapacity();
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ZERO,
                Map.of(ResourceType.CPU, 1.0), target(0.01), ready, STEP);
        List<Instance> small = fleet(5);
        List<Instance> large = fleet(12);
        ready.observe(T0, small, i -> "web", () -> List.of(CORE));
        double burstAtTurn = 0;
        for (int s = 1; s <= 100; s++) {
            p.predict(history(s, 10), T0.plus(STEP.multipliedBy(s)), List.of(), "f");
            if (s == 21) {
                burstAtTurn = p.burst("web");
            }
            ready.observe(T0.plus(STEP.multipliedBy(s)), s < 20 ? small : large, i -> "web", () -> List.of(CORE));
        }
        double decay = Math.pow(0.5, 1 / 6.0);
        // From step 21 on, 79 served steps: the burst decays geometrically, nothing is added.
        assertEquals(burstAtTurn * Math.pow(decay, 79), p.burst("web"), 1e-12);
        assertTrue(p.burst("web") < 1e-5, "forgotten after about 13 reaches");
        assertTrue(p.calibrated("web") > 0.99, "the calibrated term remembers the short steps");
    }

    @Test
    void states_coverBootCooldownAndCycleAndStartNow() {
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.001), null, STEP);
        List<PredictedFleetState> states = p.predict(history(30, 10), T0.plus(STEP.multipliedBy(30)), List.of(), "f");
        // Boot 5 + cooldown (or lead) 5 + the cycle 1 minutes ahead: the 11 steps starting before then.
        assertEquals(11, states.size());
        assertEquals(T0.plus(STEP.multipliedBy(30)), states.get(0).validFrom());
        assertTrue(states.stream().allMatch(s -> s.services().get(0).resourceRequirements().get(0).quantity() == 10));
        assertEquals(1 - 0.001, p.level("web"), 1e-12);
    }

    /** web falls by a tenth of a core a step (the boot-time slope an event adds is then not zero); search stays flat. */
    private static FleetHistory twoServices(int steps) {
        double[] web = new double[steps];
        double[] search = new double[steps];
        for (int i = 0; i < steps; i++) {
            web[i] = 100 - 0.1 * i;
            search[i] = 20;
        }
        return FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, TimeSeries.of(T0, STEP, web))
                .usage("search", ResourceType.CPU, ResourceUnit.CORES, TimeSeries.of(T0, STEP, search))
                .build();
    }

    private static List<Double> webNeeds(List<FleetEvent> events) {
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.1), null, STEP);
        Instant now = T0.plus(STEP.multipliedBy(60));
        return p.predict(twoServices(60), now, events, "f").stream()
                .map(s -> s.services().stream().filter(r -> r.service().equals("web")).findFirst().orElseThrow()
                        .resourceRequirements().get(0).quantity())
                .toList();
    }

    private static FleetEvent campaign(List<String> scope) {
        Instant now = T0.plus(STEP.multipliedBy(60));
        return new FleetEvent("c1", EventType.CAMPAIGN, "sale", now, now.plus(Duration.ofHours(1)), scope, null);
    }

    @Test
    void states_eventScopedToAnotherServiceOrAMisspeltOne_leavesTheServiceAsWithoutEvents() {
        List<Double> without = webNeeds(List.of());
        assertEquals(without, webNeeds(List.of(campaign(List.of("search")))));
        assertEquals(without, webNeeds(List.of(campaign(List.of("wbe")))));
        // In its scope (or the whole fleet's) the boot-time slope is added: web's falling demand is then cut.
        List<Double> own = webNeeds(List.of(campaign(List.of("web"))));
        assertTrue(own.get(own.size() - 1) < without.get(without.size() - 1), own + " vs " + without);
        assertEquals(own, webNeeds(List.of(campaign(List.of()))));
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-5, 3.3e-5, 4.9e-5, 1e-9})
    void states_needUnderWhatFourDecimalsHold_keptAboveZeroAndAtLeastTheNeed(double cores) {
        // One instance serving a demand far under its capacity: the need must not round to zero, which buys
        // nothing and leaves every step short.
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.001), null, STEP);
        List<PredictedFleetState> states = p.predict(history(30, cores), T0.plus(STEP.multipliedBy(30)), List.of(), "f");

        assertFalse(states.isEmpty());
        for (PredictedFleetState s : states) {
            ResourceRequirement service = s.services().get(0).resourceRequirements().get(0);
            ResourceRequirement fleet = s.resourceRequirements().get(0);
            assertTrue(service.quantity() >= cores, () -> "service need " + service.quantity());
            assertTrue(fleet.quantity() >= cores, () -> "fleet need " + fleet.quantity());
            assertTrue(service.p50() > 0, () -> "median " + service.p50());
            // Four significant digits: precise to a thousandth of the need, not a multiple of it.
            assertEquals(cores, service.quantity(), cores * 1e-3);
        }
    }

    @Test
    void states_reachingPastTheLastDocumentYear_refusedNamingTheInstant() {
        // A clock ten minutes before year 10000: the states ahead end after the last instant a document holds.
        Instant start = Instant.parse("9999-12-31T23:20:00Z");
        double[] cores = new double[30];
        java.util.Arrays.fill(cores, 10);
        FleetHistory history = FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES,
                TimeSeries.of(start, STEP, cores)).build();
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.001), null, STEP);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.predict(history, start.plus(STEP.multipliedBy(30)), List.of(), "f"));

        assertEquals("validUntil: must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z,"
                + " was +10000-01-01T00:00:00Z", e.getMessage());
    }

    @Test
    void stepsCovering_whole_partAndShorterThanAStep() {
        assertEquals(10, NearTermPrediction.stepsCovering(Duration.ofMinutes(10), STEP));
        assertEquals(11, NearTermPrediction.stepsCovering(Duration.ofSeconds(601), STEP));
        assertEquals(2, NearTermPrediction.stepsCovering(Duration.ofHours(1), Duration.ofMinutes(30)));
        assertEquals(1, NearTermPrediction.stepsCovering(Duration.ofSeconds(30), STEP), "at least one");
        assertEquals(1, NearTermPrediction.stepsCovering(Duration.ZERO, STEP));
    }

    @Test
    void target_withoutPolicies_aTenthOfTheTime() {
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ZERO,
                Map.of(ResourceType.CPU, 1.0), null, null, STEP);
        assertEquals(0.1, p.target("web"), 1e-15);
        assertEquals(0.9, p.level("web"), 1e-15);
    }

    @Test
    void states_nowInsideAStep_firstStateStartsNowAndAStepAlreadyOverIsLeftOut() {
        NearTermPrediction p = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.001), null, STEP);
        Instant mid = T0.plus(STEP.multipliedBy(30)).plusSeconds(30);
        List<PredictedFleetState> states = p.predict(history(30, 10), mid, List.of(), "f");
        // The 11 minutes ahead of 30:30 touch the 12 steps from 30:00 to 41:00; the first starts at now.
        assertEquals(12, states.size());
        assertEquals(mid, states.get(0).validFrom());
        assertEquals(T0.plus(STEP.multipliedBy(31)), states.get(0).validUntil());
        assertEquals(T0.plus(STEP.multipliedBy(42)), states.get(11).validUntil());

        NearTermPrediction later = new NearTermPrediction(Duration.ofMinutes(5), Duration.ofMinutes(5),
                Map.of(ResourceType.CPU, 1.0), target(0.001), null, STEP);
        Instant next = T0.plus(STEP.multipliedBy(31));
        List<PredictedFleetState> fromNext = later.predict(history(30, 10), next, List.of(), "f");
        // The step 30:00 to 31:00 is over at 31:00: the states start with the one from 31:00.
        assertEquals(next, fromNext.get(0).validFrom());
        assertEquals(T0.plus(STEP.multipliedBy(32)), fromNext.get(0).validUntil());
    }
}
