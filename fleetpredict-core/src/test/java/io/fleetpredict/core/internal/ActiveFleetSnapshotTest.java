package io.fleetpredict.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cycle's snapshot of a fleet's active instances, told of launches and releases by the guard: what it
 * holds is compared with what the simulated cloud describes at the same moment.
 */
class ActiveFleetSnapshotTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final DescribeRequest SHOP = DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop"));

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
    private final GuardedCloud cloud = GuardedCloud.builder(sim).callTimeout(Duration.ZERO).sleeper(clock::advance)
            .build();

    private static ProvisionRequest launch(String key, String fleet, int count) {
        return new ProvisionRequest(key, "m.large", "us-east", PurchaseOption.ON_DEMAND, count,
                Map.of(PreProvisioner.TAG_FLEET, fleet, PreProvisioner.TAG_SERVICE, "web"));
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).toList();
    }

    @Test
    void instances_afterLaunchesAndReleasesThroughTheGuard_areWhatTheCloudDescribes() {
        List<Instance> first = cloud.provision(launch("k1", "shop", 3)).instances();
        cloud.provision(launch("k2", "other", 2));
        clock.advance(Duration.ofMinutes(5));
        try (ActiveFleetSnapshot snapshot = ActiveFleetSnapshot.open(SHOP)) {
            assertTrue(snapshot.instances().isEmpty(), "no answer before a describe");
            assertEquals(ids(first), ids(ActiveFleetSnapshot.describe(cloud, SHOP)));
            List<Instance> added = cloud.provision(launch("k3", "shop", 2)).instances();
            cloud.provision(launch("k4", "other", 1));
            cloud.release(ReleaseRequest.of("r1", Set.of(first.get(1).id(), added.get(0).id())));

            List<String> expected = ids(sim.describe(SHOP).instances());
            assertEquals(List.of(first.get(0).id(), first.get(2).id(), added.get(1).id()), expected);
            assertEquals(expected, ids(snapshot.instances().orElseThrow()));
        }
        assertTrue(ActiveFleetSnapshot.current().isEmpty());
    }

    @Test
    void instances_afterAMutationThatFailed_noAnswer() {
        cloud.provision(launch("k1", "shop", 2));
        try (ActiveFleetSnapshot snapshot = ActiveFleetSnapshot.open(SHOP)) {
            ActiveFleetSnapshot.describe(cloud, SHOP);
            assertThrows(CloudException.class, () -> cloud.release(ReleaseRequest.of("r1", Set.of("i-unknown"))));
            assertTrue(snapshot.instances().isEmpty());
        }
    }

    @Test
    void instances_aLaunchAnsweredAgainUnderItsKeyAfterItsInstanceEnded_noAnswer() {
        List<Instance> launched = cloud.provision(launch("k1", "shop", 1)).instances();
        cloud.release(ReleaseRequest.of("r1", Set.of(launched.get(0).id())));
        clock.advance(Duration.ofMinutes(5));
        try (ActiveFleetSnapshot snapshot = ActiveFleetSnapshot.open(SHOP)) {
            assertEquals(List.of(), ActiveFleetSnapshot.describe(cloud, SHOP));
            // The cloud answers the key's first result: the instance as launched, active then, ended now.
            assertTrue(cloud.provision(launch("k1", "shop", 1)).instances().get(0).state().active());
            assertEquals(List.of(), sim.describe(SHOP).instances());
            assertTrue(snapshot.instances().isEmpty());
        }
    }

    @Test
    void describe_anotherRequestOrNoSnapshotOpen_keepsNothing() {
        cloud.provision(launch("k1", "shop", 2));
        assertEquals(2, ActiveFleetSnapshot.describe(cloud, SHOP).size());
        try (ActiveFleetSnapshot snapshot = ActiveFleetSnapshot.open(SHOP)) {
            assertEquals(2, ActiveFleetSnapshot.describe(cloud, DescribeRequest.active()).size());
            assertFalse(snapshot.instances().isPresent());
        }
    }
}
