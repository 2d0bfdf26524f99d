package io.fleetpredict.core.projection;

import static io.fleetpredict.core.projection.ProjectionFixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A forecast oscillating +-20 % around the capacity threshold for a simulated day, one cycle every five
 * minutes, with every proposed change carried out before the next cycle.
 */
class ProjectionStabilityTest {

    /**
     * The configured limit: the changes a day of oscillation may cause. A rising forecast may take a few
     * cycles of scale-out to reach its peak; what must never happen is capacity going back and forth.
     */
    private static final int LIMIT = 3;
    private static final int CYCLES = 288;

    /** Runs a day; returns the number of proposed changes and how many of them were scale-ins. */
    static int[] day(String tier, IntToDoubleFunction level) {
        FleetState fleet = ProjectionFixtures.fleet(1, T0, ProjectionFixtures.service("api", tier,
                ProjectionFixtures.group("c6i.2xlarge", PurchaseOption.ON_DEMAND, 10, 8, 16)));
        ProjectionState state = ProjectionState.empty();
        int changes = 0;
        int scaleIns = 0;
        for (int i = 0; i < CYCLES; i++) {
            Instant now = T0.plus(Duration.ofMinutes(5L * i));
            double l = level.applyAsDouble(i);
            ProjectionEngine engine = ProjectionEngine.builder().offers(CapacityOffers.fromCatalogue(
                    ProjectionFixtures.catalogue())).maxChangesPerCycle(LIMIT)
                    .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
            Projection p = engine.project(List.of(ProjectionFixtures.predicted(now, Duration.ofMinutes(15),
                    Map.of("api", List.of(ProjectionFixtures.cpu(l, l * 1.05, l * 1.1))))), fleet, List.of(), state);
            state = p.nextState();
            for (var c : p.document().provisionalChanges()) {
                if (c.status() == ChangeStatus.PROPOSED) {
                    changes++;
                    scaleIns += c.action() == ChangeAction.SCALE_IN ? 1 : 0;
                }
            }
            fleet = ProjectionFixtures.apply(fleet, p.document().provisionalChanges(), now);
        }
        return new int[] {changes, scaleIns};
    }

    /** The threshold: the median at which the tier's requirement equals the 80 cores of the fleet. */
    static double threshold(String tier) {
        var policy = SlaDefaults.policies().tiers().get(tier);
        double z = NormalQuantiles.z(policy.forecastQuantile());
        // Between p50 = l and p90 = 1.05 l (or p99 = 1.1 l) the quantile grows linearly in z.
        double factor = z <= NormalQuantiles.Z90 ? 1 + 0.05 * z / NormalQuantiles.Z90
                : 1.05 + 0.05 * (z - NormalQuantiles.Z90) / (NormalQuantiles.Z99 - NormalQuantiles.Z90);
        return 80 / (factor * (1 + policy.headroomFraction()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"critical", "standard", "best_effort"})
    void day_forecastFlippingEveryCycle_changesAtMostTheLimit(String tier) {
        double t = threshold(tier);
        int[] changes = day(tier, i -> t * (i % 2 == 0 ? 1.2 : 0.8));
        assertTrue(changes[0] >= 1, "the first peak needs capacity");
        assertTrue(changes[0] <= LIMIT, tier + ": " + changes[0] + " changes");
        assertEquals(0, changes[1], "scale-ins");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void day_forecastWithRandomSwingsOfTwentyPercent_changesAtMostTheLimit(int seed) {
        Random rnd = new Random(seed);
        double t = threshold("standard");
        double[] swings = rnd.doubles(CYCLES, -0.2, 0.2).toArray();
        int[] changes = day("standard", i -> t * (1 + swings[i]));
        assertTrue(changes[0] <= LIMIT, "seed " + seed + ": " + changes[0] + " changes");
        assertEquals(0, changes[1], "scale-ins");
    }

    @Test
    void day_sineWithAFortyMinutePeriod_onlyScalesOutOnTheFirstRise() {
        // The standard scale-in window is an hour; a low phase of 20 minutes never qualifies for it. The
        // first rise (to 1.14 of the threshold at 17:35, to 1.2 at 17:40) takes one change; none follow.
        double t = threshold("standard");
        int[] changes = day("standard", i -> t * (1 + 0.2 * Math.sin(2 * Math.PI * i / 8.0)));
        assertEquals(1, changes[0]);
        assertEquals(0, changes[1]);
    }
}
