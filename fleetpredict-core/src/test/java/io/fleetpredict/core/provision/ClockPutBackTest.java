package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host clock that ran ahead and is put back: the intents written meanwhile are dated after now. Their age is
 * not known, so they are not taken for recent ones, neither by reconcile nor by the caps' window.
 */
class ClockPutBackTest {

    private static final Instant AHEAD = T0.plus(Duration.ofHours(2));

    private final MutableClock clock = MutableClock.at(AHEAD);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private volatile boolean broken;
    private final CloudProvider flaky = new ForwardingCloudProvider() {
        @Override
        protected CloudProvider delegate() {
            return sim;
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            if (broken) {
                throw new IllegalStateException("provider bug");
            }
            return sim.provision(request);
        }
    };
    private final FleetStateStore store = FleetStateStores.inMemory();

    ClockPutBackTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner provisioner(HardCaps caps) {
        GuardedCloud guarded = GuardedCloud.builder(flaky).callTimeout(Duration.ZERO).sleeper(clock::advance).seed(1)
                .build();
        return PreProvisioner.builder(guarded).store(store).clock(clock).mode(PreProvisioner.Mode.APPLY).caps(caps)
                .gate(CostGate.builder(1_000).build()).build();
    }

    private static ProvisionalChange up(String id, int count) {
        return Fixtures.change(id, "checkout", "m.large", "us-east", count, PurchaseOption.ON_DEMAND, 1,
                0.096 * count, T0.plusSeconds(600));
    }

    @Test
    void openIntentDatedAfterNow_settledByDescribeAndLaunchedAgain_notReportedSatisfied() {
        PreProvisioner p = provisioner(HardCaps.defaults());
        broken = true;
        ChangeOutcome first = p.run(plan(store.read("shop").state(), up("up", 2))).outcomes().get(0);
        assertInstanceOf(ChangeOutcome.Failed.class, first);
        assertEquals(ProvisioningIntent.Status.OPEN, store.read("shop").intents().get(0).status());

        broken = false;
        clock.set(T0.plusSeconds(900));
        ProvisioningReport again = p.run(plan(store.read("shop").state(), up("up", 2)));
        assertEquals(List.of(store.read("shop").intents().get(0).id()), again.reconcile().orElseThrow().abandoned(),
                "an open intent dated two hours after now is settled, not left be for two hours");
        assertInstanceOf(ChangeOutcome.Provisioned.class, again.outcomes().get(0), again.outcomes().toString());
        assertEquals(2, Fixtures.total(Fixtures.inventory(sim, "shop")));
    }

    @Test
    void openIntentDatedWithinTheClockSkew_leftBeAsAYoungOne() {
        PreProvisioner p = provisioner(HardCaps.defaults());
        broken = true;
        p.run(plan(store.read("shop").state(), up("up", 2)));
        broken = false;
        clock.set(AHEAD.minus(IntentJournal.CLOCK_SKEW));
        ProvisioningReport again = p.run(plan(store.read("shop").state(), up("up", 2)));
        assertEquals(List.of(), again.reconcile().orElseThrow().abandoned());
        assertInstanceOf(ChangeOutcome.AlreadySatisfied.class, again.outcomes().get(0));
    }

    @Test
    void launchesDatedAfterNow_notCountedInTheCapsWindow() {
        PreProvisioner p = provisioner(new HardCaps(10, 2, Duration.ofHours(1), 100, 1_000));
        assertInstanceOf(ChangeOutcome.Provisioned.class,
                p.run(plan(store.read("shop").state(), up("up", 2))).outcomes().get(0));

        clock.set(T0.plusSeconds(900));
        ChangeOutcome more = p.run(plan(store.read("shop").state(), up("more", 2))).outcomes().get(0);
        assertInstanceOf(ChangeOutcome.Provisioned.class, more,
                "launches dated two hours ahead do not fill the window for two hours: " + more);
    }
}
