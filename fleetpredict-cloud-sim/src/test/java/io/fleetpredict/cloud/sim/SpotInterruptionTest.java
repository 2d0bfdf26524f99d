package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spot interruptions are a Poisson process per instance: with rate λ per hour, the chance an instance
 * is interrupted within t hours is 1 - exp(-λ t) (closed form). With λ = 0.05 and t = 10 that is
 * 1 - exp(-0.5) = 0.393469.
 */
class SpotInterruptionTest {

    private static final double RATE = 0.05;
    private static final Duration HORIZON = Duration.ofHours(10);
    private static final double EXPECTED_FRACTION = 1 - Math.exp(-RATE * 10);
    private static final int PER_SEED = 400;
    private static final Offer OFFER = TestOffers.withInterruptionRate(A_SMALL, RATE);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 20);
    }

    /** Runs one seed: launches {@link #PER_SEED} spot instances and lets the horizon pass. */
    private static SimulatedCloud run(long seed, MutableClock clock) {
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(seed).catalogue(List.of(OFFER))
                .defaultQuota(PER_SEED).defaultCapacity(PER_SEED).build();
        cloud.provision(TestOffers.request("k", OFFER, PurchaseOption.SPOT, PER_SEED));
        clock.advance(HORIZON);
        return cloud;
    }

    private static int interrupted(SimulatedCloud cloud) {
        return cloud.describe(DescribeRequest.all().withStates(Set.of(InstanceState.INTERRUPTED))).instances().size();
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void interruptedFraction_perSeed_isNearClosedForm(long seed) {
        SimulatedCloud cloud = run(seed, MutableClock.at(T0));
        double fraction = interrupted(cloud) / (double) PER_SEED;
        // Binomial sd for n = 400, p = 0.3935 is 0.0244; 0.1 is about 4 sd.
        assertEquals(EXPECTED_FRACTION, fraction, 0.1, "seed " + seed);
    }

    @Test
    void interruptedFraction_pooledOverSeeds_isNearClosedForm() {
        int interrupted = 0;
        int total = 0;
        for (long seed : seeds().toArray()) {
            interrupted += interrupted(run(seed, MutableClock.at(T0)));
            total += PER_SEED;
        }
        // Binomial sd for n = 8000 is 0.0055; 0.02 is about 3.7 sd.
        assertEquals(EXPECTED_FRACTION, interrupted / (double) total, 0.02);
    }

    @Test
    void rateEstimate_fromBilledExposure_isNearConfiguredRate() {
        // The maximum-likelihood rate of a censored exponential sample is events / total exposure;
        // exposure comes from the billed hours (cost / price), which also checks that billing stops
        // at the interruption.
        int events = 0;
        double exposureHours = 0;
        for (long seed : seeds().toArray()) {
            SimulatedCloud cloud = run(seed, MutableClock.at(T0));
            events += interrupted(cloud);
            exposureHours += cloud.accruedCost() / OFFER.spotPricePerHour().getAsDouble();
        }
        // sd of the estimate is about rate / sqrt(events) = 0.05 / sqrt(3150) = 0.0009; 0.004 is about 4.5 sd.
        assertEquals(RATE, events / exposureHours, 0.004);
    }

    @Test
    void interruptedInstance_stopsCostingAndStaysInterrupted() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = run(3, clock);
        Instance victim = cloud.describe(DescribeRequest.all().withStates(Set.of(InstanceState.INTERRUPTED)))
                .instances().get(0);
        double cost = cloud.accruedCost(victim.id());
        assertTrue(cost < OFFER.spotPricePerHour().getAsDouble() * 10, "cost " + cost);
        clock.advance(Duration.ofHours(5));
        assertEquals(cost, cloud.accruedCost(victim.id()), 0.0);
        assertEquals(InstanceState.INTERRUPTED,
                cloud.describe(DescribeRequest.all().withInstanceIds(Set.of(victim.id()))).instances().get(0).state());
    }

    @Test
    void onDemandInstances_areNeverInterrupted() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(1).catalogue(List.of(OFFER)).build();
        cloud.provision(TestOffers.request("k", OFFER, PurchaseOption.ON_DEMAND, 50));
        clock.advance(Duration.ofDays(365));
        assertEquals(0, interrupted(cloud));
    }

    @Test
    void interruptions_sameSeed_areReproducible() {
        List<Instance> first = run(11, MutableClock.at(T0)).describe(DescribeRequest.all()).instances();
        List<Instance> second = run(11, MutableClock.at(T0)).describe(DescribeRequest.all()).instances();
        assertEquals(first, second);
    }
}
