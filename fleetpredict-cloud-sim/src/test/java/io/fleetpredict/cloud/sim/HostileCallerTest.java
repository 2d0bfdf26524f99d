package io.fleetpredict.cloud.sim;

import static io.fleetpredict.cloud.sim.TestOffers.A_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.B_SMALL;
import static io.fleetpredict.cloud.sim.TestOffers.T0;
import static io.fleetpredict.cloud.sim.TestOffers.cloud;
import static io.fleetpredict.cloud.sim.TestOffers.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.SimulatedCloud.Operation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulated cloud driven as a hostile or unlucky caller would drive it. */
class HostileCallerTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud cloud = cloud(clock).build();

    @Test
    void accruedCost_ofAnInstanceRunningForCenturies_isPriceTimesHours() {
        // 300 years is more than a long of nanoseconds (about 292 years).
        Instance launched = cloud.provision(request("p", B_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0);
        Duration centuries = Duration.ofDays(300L * 365);
        clock.advance(centuries);
        double expected = B_SMALL.onDemandPricePerHour() * centuries.toHours();
        assertEquals(expected, cloud.accruedCost(launched.id()), expected * 1e-12);
        assertEquals(expected, cloud.accruedCost(), expected * 1e-12);
    }

    @Test
    @Timeout(10)
    void failNext_withTheLargestCount_queuesAtOnceAndFailsTheNextCalls() {
        cloud.failNext(Operation.DESCRIBE, Integer.MAX_VALUE, Kind.TRANSIENT);
        cloud.failNext(Operation.DESCRIBE, 1, Kind.THROTTLED);
        for (int i = 0; i < 3; i++) {
            assertEquals(Kind.TRANSIENT, assertThrows(CloudException.class,
                    () -> cloud.describe(DescribeRequest.all())).kind());
        }
        cloud.provision(request("p", A_SMALL, PurchaseOption.ON_DEMAND, 1));
    }

    @Test
    void theKeyOfAProvision_reusedForARelease_isRefusedAndReleasesNothing() {
        List<Instance> launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances();
        CloudException e = assertThrows(CloudException.class,
                () -> cloud.release(ReleaseRequest.of("k", Set.of(launched.get(0).id()))));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertEquals(1, cloud.describe(DescribeRequest.active()).instances().size());
    }

    @Test
    void releaseOfAnIdItNeverMade_amongKnownOnes_isRefusedNamingItAndReleasesNothing() {
        List<Instance> launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 2)).instances();
        CloudException e = assertThrows(CloudException.class, () -> cloud.release(
                ReleaseRequest.of("r", Set.of(launched.get(0).id(), "i-nope"))));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("i-nope"), e.getMessage());
        assertEquals(2, cloud.describe(DescribeRequest.active()).instances().size());
        // The refused key was not consumed.
        assertEquals(1, cloud.release(ReleaseRequest.of("r", Set.of(launched.get(0).id()))).instances().size());
    }

    @Test
    void describeOfUnknownIds_answersWithTheKnownOnesOnly() {
        List<Instance> launched = cloud.provision(request("k", A_SMALL, PurchaseOption.ON_DEMAND, 1)).instances();
        assertEquals(launched, cloud.describe(DescribeRequest.all()
                .withInstanceIds(Set.of(launched.get(0).id(), "i-nope", "i-other"))).instances());
        assertEquals(List.of(), cloud.describe(DescribeRequest.all().withInstanceIds(Set.of("i-nope"))).instances());
    }

    @Test
    void clockGoingBackwards_neverShowsAReleaseBeforeTheLaunchOrANegativeCost() {
        Instance launched = cloud.provision(request("k", B_SMALL, PurchaseOption.ON_DEMAND, 1)).instances().get(0);
        clock.set(T0.minus(Duration.ofHours(1)));
        Instance released = cloud.release(ReleaseRequest.of("r", Set.of(launched.id()))).instances().get(0);
        assertEquals(InstanceState.TERMINATED, released.state());
        clock.set(T0.plus(Duration.ofHours(5)));
        assertEquals(0.0, cloud.accruedCost(launched.id()), 0.0);
        assertEquals(List.of(), cloud.describe(DescribeRequest.active()).instances());
    }

    @Test
    void aQuotaForAFamilyTheCatalogueDoesNotHold_isRefusedAtBuildNamingIt() {
        // A misspelt family would otherwise leave the real family under the default quota, silently.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cloud(clock).quota(TestOffers.REGION, "general-purpsoe", 1).build());
        assertTrue(e.getMessage().contains("general-purpsoe") && e.getMessage().contains(TestOffers.REGION), e.getMessage());
    }

    @Test
    void aCapacityForAnOfferTheCatalogueDoesNotHold_isRefusedAtBuildNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cloud(clock).capacity("r9", A_SMALL.instanceType(), 1).build());
        assertTrue(e.getMessage().contains("r9") && e.getMessage().contains(A_SMALL.instanceType()), e.getMessage());
    }

    @Test
    void quotasAndCapacitiesSetBeforeTheCatalogue_areCheckedAgainstTheCatalogueBuilt() {
        SimulatedCloud built = SimulatedCloud.builder().clock(clock).quota(TestOffers.REGION, A_SMALL.family(), 1)
                .capacity(TestOffers.REGION, A_SMALL.instanceType(), 1).catalogue(TestOffers.CATALOGUE).build();
        assertEquals(Kind.QUOTA_EXCEEDED, assertThrows(CloudException.class,
                () -> built.provision(request("p", A_SMALL, PurchaseOption.ON_DEMAND, 2))).kind());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void clockGoingBackPastAnInterruption_describesTheSameStateWithAnyFilter(long seed) {
        MutableClock back = MutableClock.at(T0);
        SimulatedCloud spotCloud = SimulatedCloud.builder().clock(back).seed(seed)
                .catalogue(List.of(TestOffers.withInterruptionRate(A_SMALL, 0.5))).build();
        spotCloud.provision(request("k", A_SMALL, PurchaseOption.SPOT, 4));
        back.advance(Duration.ofHours(1000));
        assertEquals(List.of(), spotCloud.describe(DescribeRequest.active()).instances());
        for (Duration after : List.of(Duration.ofSeconds(1), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(8))) {
            back.set(T0.plus(after));
            Set<String> activeInAll = spotCloud.describe(DescribeRequest.all()).instances().stream()
                    .filter(i -> i.state().active()).map(Instance::id).collect(Collectors.toSet());
            Set<String> active = spotCloud.describe(DescribeRequest.active()).instances().stream()
                    .map(Instance::id).collect(Collectors.toSet());
            assertEquals(activeInAll, active, () -> "at " + after + " after launch");
        }
    }
}
