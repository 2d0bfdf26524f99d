package io.fleetpredict.core.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which idle instances a service takes, one at a time, worked out by hand. */
class IdleReuseTest {

    /** c and d alike at 0.01 an hour (c listed first), b alike at 0.02, a the other shape at 0.05. */
    private static final List<ExistingCapacity> POOL = List.of(
            ExistingCapacity.of("c", "c", "eu", ResourceVector.of(4, 2, 0, 0), 1, 0.01),
            ExistingCapacity.of("b", "c", "eu", ResourceVector.of(4, 2, 0, 0), 1, 0.02),
            ExistingCapacity.of("a", "m", "eu", ResourceVector.of(2, 4, 0, 0), 2, 0.05),
            ExistingCapacity.of("d", "c", "eu", ResourceVector.of(4, 2, 0, 0), 1, 0.01));

    private static List<String> take(ResourceVector missing, int base, Set<String> families, int[] idle) {
        ServiceDemand d = ServiceDemand.of("web", missing, CapacityLimits.of(1, base, families, Set.of()), 0);
        return IdleReuse.take(d, POOL, idle).stream()
                .map(r -> r.source().instanceType() + " x" + r.count() + " " + r.expectedCostPerHour()).toList();
    }

    @Test
    void take_mostOfWhatIsMissingFirstTheCheapestOnATieAndTheFirstOfEqualPrices() {
        int[] idle = {1, 1, 2, 1};
        // 4 cores and 4 GiB missing: each covers 1 + 0.5 = 1.5 of it; c and d are cheapest, c comes first.
        // Then 2 GiB missing: b, a and d each cover all of it (1); d is cheapest. Then nothing is missing.
        assertEquals(List.of("c x1 0.01", "d x1 0.01"), take(ResourceVector.of(4, 4, 0, 0), 0, Set.of(), idle));
        assertEquals(List.of(0, 1, 2, 0), List.of(idle[0], idle[1], idle[2], idle[3]));
    }

    @Test
    void take_byTheShareOfEachMissingResourceCovered() {
        // 4 cores and 2 GiB: c covers all of both (2); so would d, at the same price: the first, c, is taken.
        assertEquals(List.of("c x1 0.01"), take(ResourceVector.of(4, 2, 0, 0), 0, Set.of(), new int[] {1, 1, 2, 1}));
        // 4 cores and 8 GiB: c covers 1 + 2/8 = 1.25, a 0.5 + 0.5 = 1, so c; then 6 GiB: a covers 4/6, the
        // 4-core shapes 2/6, so a; then 2 GiB: each covers all, d is the cheapest.
        assertEquals(List.of("c x1 0.01", "a x1 0.05", "d x1 0.01"),
                take(ResourceVector.of(4, 8, 0, 0), 0, Set.of(), new int[] {1, 1, 2, 1}));
    }

    @Test
    void take_onlyAllowedFamiliesAndWhatIsIdle() {
        // Only family m: a covers 0.5 + 1, then the 2 cores left (1), so both a go.
        assertEquals(List.of("a x2 0.1"), take(ResourceVector.of(4, 4, 0, 0), 0, Set.of("m"), new int[] {1, 1, 2, 1}));
        // c and d already taken: b (0.02) and a (0.05) cover 1.5 each; b, then 2 GiB missing: a.
        assertEquals(List.of("b x1 0.02", "a x1 0.05"),
                take(ResourceVector.of(4, 4, 0, 0), 0, Set.of(), new int[] {0, 1, 2, 0}));
    }

    @Test
    void take_aBaseWithNothingMissing_theCheapestInstancesForIt() {
        // Nothing missing, two on-demand instances wanted: c (first at 0.01), then d (0.01) before b.
        assertEquals(List.of("c x1 0.01", "d x1 0.01"), take(ResourceVector.ZERO, 2, Set.of(), new int[] {1, 1, 2, 1}));
        assertEquals(List.of(), take(ResourceVector.ZERO, 0, Set.of(), new int[] {1, 1, 2, 1}),
                "no base and nothing missing: nothing taken");
    }
}
