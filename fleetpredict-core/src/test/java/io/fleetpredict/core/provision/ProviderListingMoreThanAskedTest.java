package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static io.fleetpredict.core.provision.Fixtures.scaleIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A provider whose describe lists every instance it knows, whatever it is asked (a filter it does not
 * apply): the pre-provisioner still acts only on its own fleet's instances. Without the guarded cloud's
 * check, a scale-in released another fleet's newest instances and reconcile gave up every running
 * instance of the cloud as stuck.
 */
class ProviderListingMoreThanAskedTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final ForgetfulCloud cloud = new ForgetfulCloud(sim, clock);
    private final FleetStateStore store = FleetStateStores.inMemory();

    ProviderListingMoreThanAskedTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner provisioner() {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO)
                        .sleeper(clock::advance).seed(1).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).gate(CostGate.builder(1_000).build())
                .build();
    }

    /** Instances of another fleet serving a service of the same name, on the same offer. */
    private Set<String> otherFleet(int count) {
        return sim.provision(new ProvisionRequest("other-fleet", "m.large", "us-east", PurchaseOption.ON_DEMAND, count,
                Map.of(PreProvisioner.TAG_FLEET, "other", PreProvisioner.TAG_SERVICE, "checkout"))).instances()
                .stream().map(Instance::id).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> running(String fleetId) {
        return sim.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, fleetId))).instances()
                .stream().map(Instance::id).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void scaleIn_anotherFleetsNewerInstancesListed_releasesOnlyThisFleets() {
        PreProvisioner p = provisioner();
        List<String> mine = p.run(plan(store.read("shop").state(), Fixtures.change("up", "checkout", 3, 1)))
                .provisioned().get(0).instanceIds();
        clock.advance(Duration.ofMinutes(30));
        Set<String> theirs = otherFleet(3); // newer, so first in the release order were they candidates
        clock.advance(Duration.ofMinutes(30));
        cloud.ignoreFilters();

        ProvisioningReport report = p.run(plan(store.read("shop").state(),
                scaleIn("down", "checkout", "m.large", 2, PurchaseOption.ON_DEMAND, 1, clock.instant())));

        assertEquals(theirs, running("other"), "another fleet's instances untouched");
        assertEquals(1, running("shop").size());
        assertEquals(1, Fixtures.total(Fixtures.counted(store.read("shop").state())));
        Set<String> released = report.released().stream().flatMap(o -> o.instanceIds().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(2, released.size());
        assertTrue(mine.containsAll(released), "released " + released + ", this fleet's: " + mine);
    }

    @Test
    void reconcile_runningInstancesOfThisAndAnotherFleetListed_noneGivenUpAsStuck() {
        PreProvisioner p = provisioner();
        p.run(plan(store.read("shop").state(), Fixtures.change("up", "checkout", 2, 1)));
        Set<String> theirs = otherFleet(1);
        clock.advance(Duration.ofHours(1)); // well past the 15 minutes a launch may stay pending
        Set<String> mine = running("shop");
        cloud.ignoreFilters();

        ReconcileReport report = p.reconcile("shop");

        assertEquals(List.of(), report.givenUp());
        assertEquals(mine, running("shop"));
        assertEquals(theirs, running("other"));
    }
}
