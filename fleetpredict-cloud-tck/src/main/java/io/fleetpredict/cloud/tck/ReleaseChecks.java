package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Release". */
interface ReleaseChecks extends KitGroup {

    @Test
    @DisplayName("takes released instances out of the active set")
    default void leavesActiveSet() {
        ProvisionResult launched = provider().provision(onDemand(2));
        Set<String> ids = ids(launched.instances());
        ReleaseResult result = provider().release(ReleaseRequest.of(key("release"), ids));
        assertEquals(ids, ids(result.instances()));
        for (Instance instance : result.instances()) {
            assertFalse(instance.state().active(), () -> "released instance is " + instance.state());
        }
        awaitDescribe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId())), active -> stillActive(active, ids));
    }

    @Test
    @DisplayName("releases only the named instances of a launch, the others keep running")
    default void releasesPartOfALaunch() {
        ProvisionResult launched = provider().provision(onDemand(3));
        List<String> ids = launched.instances().stream().map(Instance::id).sorted().toList();
        provider().release(ReleaseRequest.of(key("release"), ids.subList(0, 1)));
        awaitExactly(launchedBy(launched.request().idempotencyKey()), Set.copyOf(ids), answer -> {
            List<String> wrong = answer.stream().filter(i -> i.id().equals(ids.get(0)) == i.state().active())
                    .map(i -> i.id() + " is " + i.state()).sorted().toList();
            return wrong.isEmpty() ? Optional.empty()
                    : Optional.of("only " + ids.get(0) + " was released, but " + String.join(", ", wrong));
        });
    }

    @Test
    @DisplayName("shows released instances as ended when described by the key that launched them")
    default void describedByProvisionKeyAsEnded() {
        ProvisionResult launched = provider().provision(onDemand(2));
        Set<String> ids = ids(launched.instances());
        provider().release(ReleaseRequest.of(key("release"), ids));
        awaitExactly(launchedBy(launched.request().idempotencyKey()), ids, found -> stillActive(found, ids));
    }

    @Test
    @DisplayName("stops billing a booting instance once it is released (when the provider reports cost)")
    default void releasedBootingInstanceStopsBilling() {
        Instance launched = provider().provision(onDemand(1)).instances().get(0);
        assumeTrue(launched.state() == InstanceState.PENDING, "the instance was not booting when launched");
        assumeTrue(accruedCost(launched.id()).isPresent(), "the provider under test does not report costs");
        provider().release(ReleaseRequest.of(key("release"), Set.of(launched.id())));
        double atRelease = accruedCost(launched.id()).getAsDouble();
        advanceTime(Duration.ofHours(1));
        double later = accruedCost(launched.id()).getAsDouble();
        assertEquals(atRelease, later, 1e-9 + launched.pricePerHour() / 3600,
                "a released instance went on costing: " + atRelease + " at release, " + later + " an hour later");
    }

    @Test
    @DisplayName("accepts an instance that was already released")
    default void releaseTwice() {
        Set<String> ids = ids(provider().provision(onDemand(1)).instances());
        provider().release(ReleaseRequest.of(key("release"), ids));
        ReleaseResult again = provider().release(ReleaseRequest.of(key("release"), ids));
        assertFalse(again.instances().get(0).state().active());
    }

    @Test
    @DisplayName("refuses unknown ids as INVALID_REQUEST and releases nothing")
    default void unknownIds() {
        Set<String> ids = new HashSet<>(ids(provider().provision(onDemand(1)).instances()));
        String known = ids.iterator().next();
        ids.add("tck-no-such-instance-" + runId());
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().release(ReleaseRequest.of(key("release"), ids)));
        awaitExactly(DescribeRequest.all().withInstanceIds(Set.of(known)), Set.of(known), after ->
                after.get(0).state().active() ? Optional.empty()
                        : Optional.of("a failed release released " + known + ": describe shows it " + after.get(0).state()));
    }

    /** The instances of {@code released} that describe still shows as active, if any. */
    private static Optional<String> stillActive(List<Instance> described, Set<String> released) {
        List<String> active = described.stream().filter(i -> released.contains(i.id()) && i.state().active())
                .map(i -> i.id() + " " + i.state()).sorted().toList();
        return active.isEmpty() ? Optional.empty() : Optional.of("released instances still active: " + active);
    }
}
