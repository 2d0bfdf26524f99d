package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad and edge input to a replay: a typed error that says what and where, or a result worked out by hand. */
class ReplayInputTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** A boot time shorter than the one or two scored steps of the smallest replays here. */
    private static final Duration HALF_MINUTE = Duration.ofSeconds(30);

    private static Replay.Builder builder(double... demand) {
        return Replay.builder().trace(TimeSeries.of(T0, MINUTE, demand)).perInstance(10)
                .bootTime(Duration.ofMinutes(2)).pricePerHour(6).warmUp(Duration.ZERO);
    }

    private static ProvisioningPolicy policy(String name, FleetSizer sizer) {
        return new ProvisioningPolicy() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public FleetSizer start(ReplayContext context) {
                return sizer;
            }
        };
    }

    @Test
    void trace_negativeDemand_isRefusedNamingTheStepAndItsTime() {
        TimeSeries trace = TimeSeries.of(T0, MINUTE, 5, 4, -3, 6);
        Replay.Builder b = Replay.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.trace(trace));
        assertEquals("trace value at index 2 (2024-01-01T00:02:00Z) is -3.0; demand cannot be negative",
                e.getMessage());
    }

    @Test
    void trace_empty_isRefusedAsEmpty() {
        TimeSeries empty = TimeSeries.of(T0, MINUTE);
        Replay.Builder b = Replay.builder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.trace(empty));
        assertEquals("trace is empty: a replay needs at least one step", e.getMessage());
    }

    @Test
    void warmUp_longerThanALongOfNanoseconds_isRefusedAsCoveringTheTrace() {
        Replay.Builder b = builder(5, 6).warmUp(Duration.ofDays(365L * 300));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("warmUp PT2628000H covers the whole trace of 2 steps of PT1M; nothing is left to score",
                e.getMessage());
    }

    /**
     * A warm-up that ends inside a step would leave that step half history and half scored; rather than cut it
     * either way unseen, the builder refuses it and names the whole-step warm-ups on either side.
     */
    @Test
    void warmUp_notAWholeNumberOfSteps_isRefusedNamingTheStepAndTheNearestWholeStepWarmUps() {
        Replay.Builder b = builder(5, 6, 7, 8, 9).warmUp(Duration.ofSeconds(150));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals("warmUp PT2M30S is not a whole number of the trace's steps of PT1M; the nearest that are: PT2M"
                + " and PT3M", e.getMessage());
    }

    /** Below one step the nearest whole-step warm-ups are none and one step; above the trace only the one below. */
    @Test
    void warmUp_notAWholeNumberOfSteps_namesOnlyTheNeighboursThatLeaveStepsToScore() {
        IllegalArgumentException under = assertThrows(IllegalArgumentException.class,
                () -> builder(5, 6, 7).warmUp(Duration.ofSeconds(20)).build());
        assertEquals("warmUp PT20S is not a whole number of the trace's steps of PT1M; the nearest that are: PT0S"
                + " and PT1M", under.getMessage());
        IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                () -> builder(5, 6, 7).warmUp(Duration.ofSeconds(150)).build());
        assertEquals("warmUp PT2M30S is not a whole number of the trace's steps of PT1M; the nearest that is: PT2M",
                last.getMessage());
    }

    /** The refusal carries its numbers, so a caller can word it in its own units without checking again. */
    @Test
    void warmUp_refused_carriesTheReasonTheStepTheTraceLengthAndTheNearestWholeStepWarmUps() {
        InvalidWarmUpException covers = assertThrows(InvalidWarmUpException.class,
                () -> builder(5, 6).warmUp(Duration.ofMinutes(2)).build());
        assertEquals(InvalidWarmUpException.Reason.COVERS_TRACE, covers.reason());
        assertEquals(Duration.ofMinutes(2), covers.warmUp());
        assertEquals(Duration.ofMinutes(1), covers.step());
        assertEquals(2, covers.traceSteps());
        assertEquals(List.of(), covers.nearest());

        InvalidWarmUpException inside = assertThrows(InvalidWarmUpException.class,
                () -> builder(5, 6, 7, 8, 9).warmUp(Duration.ofSeconds(150)).build());
        assertEquals(InvalidWarmUpException.Reason.NOT_WHOLE_STEPS, inside.reason());
        assertEquals(List.of(Duration.ofMinutes(2), Duration.ofMinutes(3)), inside.nearest());
        assertEquals("that are: 120 s and 180 s", inside.nearestInWords(d -> d.toSeconds() + " s"));
        InvalidWarmUpException last = assertThrows(InvalidWarmUpException.class,
                () -> builder(5, 6, 7).warmUp(Duration.ofSeconds(150)).build());
        assertEquals(List.of(Duration.ofMinutes(2)), last.nearest());
        assertEquals("that is: 120 s", last.nearestInWords(d -> d.toSeconds() + " s"));
    }

    /** The default warm-up is the whole steps within 7 days: 916 steps of 11 minutes (10,076 of 10,080 minutes). */
    @Test
    void warmUp_default_isTheWholeStepsWithinSevenDays() {
        Replay r = Replay.builder().trace(TimeSeries.of(T0, Duration.ofMinutes(11), new double[1000])).perInstance(10)
                .bootTime(Duration.ofMinutes(2)).pricePerHour(6).build();
        assertEquals(916, r.firstStep());
        assertEquals(T0.plus(Duration.ofMinutes(11 * 916)), r.scoredDemand().start());
    }

    /**
     * Demand that more instances than an int counts would be needed for cannot be served by any fleet a policy
     * can ask for: scoring it would call every policy short at every such step, so the builder refuses it.
     */
    @Test
    void build_demandNoRepresentableFleetServes_isRefusedNamingTheStepItsTimeAndValue() {
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> builder(5, 1e300, 6).build());
        assertEquals("trace value at index 1 (2024-01-01T00:01:00Z) is 1.0E300: serving it takes more than 2147483647"
                + " instances of perInstance 10.0; no fleet can", huge.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> builder(0, 1, 6).perInstance(1e-300).build());
        assertEquals("trace value at index 1 (2024-01-01T00:01:00Z) is 1.0: serving it takes more than 2147483647"
                + " instances of perInstance 1.0E-300; no fleet can", tiny.getMessage());
    }

    /** At the edge: demand exactly Integer.MAX_VALUE instances serve is scored, and served by a fleet that large. */
    @Test
    void build_demandTheLargestFleetServesExactly_isReplayedWithoutViolation() {
        Replay r = builder(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).perInstance(1)
                .warmUp(MINUTE).build();
        ReplayResult result = r.run(Policies.reactive(1));
        assertEquals(0, result.scores().violationMinutes());
        assertEquals(Integer.MAX_VALUE, result.activeInstances()[2]);
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> builder(Integer.MAX_VALUE + 1.0).perInstance(1).build());
        assertTrue(above.getMessage().contains("is 2.147483648E9"), above.getMessage());
    }

    @Test
    void bootTime_longerThanALongOfNanoseconds_isRefusedNamingIt() {
        Replay.Builder b = builder(5, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.bootTime(Duration.ofDays(365L * 300)));
        assertEquals("bootTime must be at most PT2562047H47M16.854775807S, was PT2628000H", e.getMessage());
    }

    @Test
    void build_bootTimeNotShorterThanTheScoredSpan_isRefusedWithTheFigures() {
        Replay.Builder b = builder(5, 6, 7, 8, 9).warmUp(Duration.ofMinutes(2)).bootTime(Duration.ofMinutes(3));
        InvalidBootTimeException e = assertThrows(InvalidBootTimeException.class, b::build);
        assertEquals("bootTime PT3M is not shorter than the scored span of the trace, 3 steps of PT1M (PT3M); an "
                + "instance launched at its first scored step would be ready only after the trace ends", e.getMessage());
        assertEquals(Duration.ofMinutes(3), e.bootTime());
        assertEquals(3, e.scoredSteps());
        assertEquals(Duration.ofMinutes(3), e.scoredSpan());
        assertEquals(MINUTE, e.step());
        // Days of boot time on a short trace: refused at once, not after forecasting each step out to it.
        assertThrows(InvalidBootTimeException.class, () -> b.bootTime(Duration.ofDays(3650)).build());
    }

    @Test
    void build_bootTimeJustShorterThanTheScoredSpan_isReplayed() {
        Replay r = builder(5, 6, 7, 8, 9).warmUp(Duration.ofMinutes(2)).bootTime(Duration.ofSeconds(179)).build();
        assertEquals(3, r.run(Policies.reactive(0.5)).activeInstances().length);
    }

    @Test
    void run_policyStartingNoSizer_failsNamingThePolicy() {
        Replay r = builder(5, 6).bootTime(HALF_MINUTE).build();
        NullPointerException e = assertThrows(NullPointerException.class, () -> r.run(policy("mine", null)));
        assertEquals("policy mine started no sizer", e.getMessage());
    }

    @Test
    void run_policyWithoutAName_failsBeforeReplaying() {
        Replay r = builder(5, 6).bootTime(HALF_MINUTE).build();
        int[] asked = new int[1];
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> r.run(policy(null, view -> ++asked[0])));
        assertEquals("policy.name()", e.getMessage());
        assertEquals(0, asked[0], "no step replayed");
    }

    @Test
    void run_oneStepWithoutWarmUp_scoresThatStepAgainstTheFleetAskedFor() {
        // The reactive policy has no past at step 0 and keeps the empty fleet: the one minute is short.
        Scores s = builder(5).bootTime(HALF_MINUTE).build().run(Policies.reactive(0.7)).scores();
        assertEquals(new Scores(0, 1, 1, 1, 0, 0, 0), s);
        // A fixed fleet of 1 serves 5 of 10 at 6 per hour for a minute.
        Scores fixed = builder(5).bootTime(HALF_MINUTE).build().run(policy("one", view -> 1)).scores();
        assertEquals(new Scores(0.1, 0, 0, 0, 0.5, 0, 1.0 / 60), fixed);
    }

    @Test
    void run_zeroDemand_isNeverShortAndHasNoUtilisation() {
        Scores s = builder(0, 0, 0).build().run(policy("two", view -> 2)).scores();
        assertEquals(0, s.violationMinutes());
        assertEquals(0, s.unservedShare());
        assertEquals(0, s.meanUtilisation());
        assertEquals(0.6, s.cost(), 1e-12);
    }

    /** A replay without warm-up and a policy that needs one do not go together: the caller's choice, not a bug. */
    @Test
    void staticCapacity_withoutWarmUp_isRefusedAsAnArgumentNamingThePolicy() {
        Replay r = builder(5, 6).bootTime(HALF_MINUTE).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.run(Policies.staticCapacity(99, 0.1)));
        assertEquals("static(p99,headroom=0.1) sizes its fleet on the warm-up, and this replay's warm-up is empty",
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void builder_perInstanceOrPriceNotPositive_isRefusedShowingTheValue(double bad) {
        Replay.Builder b = Replay.builder();
        IllegalArgumentException per = assertThrows(IllegalArgumentException.class, () -> b.perInstance(bad));
        assertEquals("perInstance must be finite and positive, was " + bad, per.getMessage());
        IllegalArgumentException price = assertThrows(IllegalArgumentException.class, () -> b.pricePerHour(bad));
        assertEquals("pricePerHour must be finite and positive, was " + bad, price.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -0.5, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
    void policies_utilisationOutsideZeroOne_isRefused(double bad) {
        assertThrows(IllegalArgumentException.class, () -> Policies.reactive(bad));
        assertThrows(IllegalArgumentException.class, () -> Policies.reactiveAwsAlarm(bad));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.49, 1, 1.5, -0.999, Double.NaN})
    void fleetpredict_servedShareOutsideItsRange_isRefusedShowingTheValue(double bad) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Policies.fleetpredict(bad, List.of()));
        assertEquals("servedShare must be in [0.5, 1), was " + bad, e.getMessage());
    }

    @Test
    void sweep_nullPoint_isRefusedNamingItsIndex() {
        List<Sweep.Point> points = Arrays.asList(point(0.5), null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Sweep.of(points));
        assertEquals("points[1]", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, 1.5, Double.NaN})
    void sweep_budgetOutsideZeroOne_isRefusedShowingIt(double bad) {
        Sweep sweep = Sweep.of(List.of(point(0.5)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sweep.cheapest("reactive", bad));
        assertEquals("maxViolationShare must be in [0, 1], was " + bad, e.getMessage());
    }

    @Test
    void sweep_emptyGrid_hasNoFamilyNoCheapestAndNoFrontier() {
        Sweep sweep = Sweep.of(List.of());
        assertEquals(List.of(), sweep.families());
        assertTrue(sweep.cheapest("reactive", 1).isEmpty());
        assertEquals(List.of(), sweep.frontier("reactive"));
    }

    @Test
    void bootTime_exactlyALongOfNanoseconds_isTakenAndRefusedOnlyAsLongerThanTheTrace() {
        Duration longest = Duration.ofNanos(Long.MAX_VALUE);
        Replay.Builder b = builder(5, 6).bootTime(longest);
        assertEquals(longest, assertThrows(InvalidBootTimeException.class, b::build).bootTime());
    }

    @Test
    void sweep_nullOversizedSetting_isRefusedNamingItsIndex() {
        List<Sweep.Oversized> oversized = Arrays.asList((Sweep.Oversized) null);
        NullPointerException e = assertThrows(NullPointerException.class, () -> Sweep.of(List.of(point(0.5)), oversized));
        assertEquals("oversized[0]", e.getMessage());
    }

    private static Sweep.Point point(double value) {
        Scores s = new Scores(1, 0, 0, 0, 0.5, 0, 1);
        return new Sweep.Point("reactive", "target", value,
                new ReplayResult("reactive", s, T0, MINUTE, new double[0], new int[0]));
    }
}
