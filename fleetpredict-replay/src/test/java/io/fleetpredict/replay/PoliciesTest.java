package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference policies' sizing, on traces short enough to follow by hand. */
class PoliciesTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** A replay of 1-minute steps, 10 requests per instance, with the first {@code warmUpSteps} as history. */
    private static Replay replay(double[] values, int warmUpSteps) {
        // A boot time shorter than the one scored step of the smallest replays: a step's is refused.
        return Replay.builder().trace(TimeSeries.of(T0, MINUTE, values)).perInstance(10).bootTime(Duration.ofSeconds(30))
                .pricePerHour(1).warmUp(MINUTE.multipliedBy(warmUpSteps)).build();
    }

    /** The fleet a static policy keeps over a scored step after an unsorted warm-up of 50, 10, 40, 20, 30. */
    private static int staticFleet(double percentile, double headroom) {
        int[] active = replay(new double[] {50, 10, 40, 20, 30, 0}, 5).run(Policies.staticCapacity(percentile, headroom))
                .activeInstances();
        assertEquals(1, active.length);
        return active[0];
    }

    @Test
    void staticCapacity_nearestRankPercentileOfAnUnsortedWarmUp_plusHeadroom() {
        // Sorted 10, 20, 30, 40, 50: the 40th percentile is the 2nd value, the 50th the 3rd (rank ceil 2.5), the
        // 100th the largest, the 1st the smallest.
        assertEquals(3, staticFleet(40, 0.5), "20 x 1.5 = 30");
        assertEquals(4, staticFleet(50, 0.1), "30 x 1.1 = 33, rounded up");
        assertEquals(5, staticFleet(100, 0), "50");
        assertEquals(1, staticFleet(1, 0), "10");
        assertEquals(20.0, StaticCapacity.percentile(new double[] {50, 10, 40, 20, 30}, 40));
    }

    @Test
    void staticCapacity_percentileOutsideItsRange_isRefused() {
        for (double bad : new double[] {0, -1, 100.5, Double.NaN}) {
            assertThrows(IllegalArgumentException.class, () -> Policies.staticCapacity(bad, 0), "percentile " + bad);
        }
        assertEquals("static(p100,headroom=0)", Policies.staticCapacity(100, 0).name());
    }

    @Test
    void reactive_targetOfOne_isTaken() {
        assertEquals("reactive(target=1)", Policies.reactive(1).name());
        assertEquals("reactive(target=1,scale-out-alarm=3min)", Policies.reactiveAwsAlarm(1).name());
    }

    @Test
    void fleetpredict_servedShareOfOneHalf_isTaken_andTheTargetIsTheRest() {
        assertEquals(0.5, Policies.fleetpredict(0.5, List.of()).violationTarget());
        assertEquals(0.25, Policies.fleetpredict(0.75, List.of()).violationTarget());
    }

    @Test
    void reactive_loadBackAtTheFleetForOneStep_restartsTheScaleInEvaluation() {
        // 10 per instance at target 0.5 serves 5: load 20 wants 4 instances, load 5 wants 1. Ten minutes below
        // target, one at it, then below again: the 15 minutes below are counted from the second dip, so the first
        // scale-in is at step 27 (decided on steps 12 to 26), then one instance each 5-minute cooldown.
        double[] v = new double[40];
        Arrays.fill(v, 5);
        v[0] = 20;
        v[11] = 20;
        int[] active = replay(v, 1).run(Policies.reactive(0.5)).activeInstances();
        int[] expected = new int[39];
        for (int s = 1; s < 40; s++) {
            expected[s - 1] = s < 27 ? 4 : s < 32 ? 3 : s < 37 ? 2 : 1;
        }
        assertArrayEquals(expected, active);
    }

    @Test
    void reactive_scaleIn_removesNoMoreThanTheFleetAboveWhatTheLoadWants() {
        // Load 100 wants 20 instances, then 95 wants 19: after 15 minutes below, one goes, though a tenth of the
        // fleet is two.
        double[] v = new double[25];
        Arrays.fill(v, 95);
        v[0] = 100;
        int[] active = replay(v, 1).run(Policies.reactive(0.5)).activeInstances();
        int[] expected = new int[24];
        for (int s = 1; s < 25; s++) {
            expected[s - 1] = s < 16 ? 20 : 19;
        }
        assertArrayEquals(expected, active);
    }
}
