package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static io.fleetpredict.core.provision.Fixtures.emptyFleet;
import static io.fleetpredict.core.provision.Fixtures.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The intent grace against the longest a guarded provision can take: two processes share a store, and one's
 * reconcile must not settle the other's launch while it may still be running.
 */
class IntentGraceTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();

    private GuardedCloud guard(Duration callTimeout) {
        return GuardedCloud.builder(sim).callTimeout(callTimeout).sleeper(clock::advance).seed(1).build();
    }

    private PreProvisioner.Builder provisioner(GuardedCloud cloud, FleetStateStore store) {
        return PreProvisioner.builder(cloud).store(store).clock(clock).mode(PreProvisioner.Mode.APPLY)
                .gate(CostGate.builder(1_000).build());
    }

    private static FleetStateStore shop() {
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
        return store;
    }

    private static ProvisionalChange up(int count) {
        return Fixtures.change("up", "checkout", "m.large", "us-east", count, PurchaseOption.ON_DEMAND, 1,
                0.096 * count, T0.plusSeconds(3600));
    }

    @Test
    void longestProvision_defaults_fiveAttemptsOfCallAndDescribeAndTheirBackoffs() {
        // 5 x (30 s call + 30 s describe) + backoff ceilings 0.2 + 0.4 + 0.8 + 1.6 s.
        assertEquals(Optional.of(Duration.ofMillis(303_000)),
                GuardedCloud.builder(sim).build().longestProvision());
    }

    @Test
    void longestProvision_describeLag_waitedAfterEveryAttemptAndOnceMoreAtTheEnd() {
        GuardedCloud g = GuardedCloud.builder(sim).callTimeout(Duration.ofSeconds(10)).maxAttempts(3)
                .backoff(Duration.ofSeconds(1), Duration.ofSeconds(3)).describeLag(Duration.ofSeconds(7)).build();
        // 3 x (10 + 10 + 7) + 7 + (1 + 2) = 91 s.
        assertEquals(Optional.of(Duration.ofSeconds(91)), g.longestProvision());
    }

    @Test
    void longestProvision_backoffCappedAtItsMaximum_manyAttemptsCountedWithoutAWalk() {
        Duration us = Duration.ofNanos(1_000);
        GuardedCloud g = GuardedCloud.builder(sim).callTimeout(us).maxAttempts(Integer.MAX_VALUE)
                .backoff(us, us.multipliedBy(4)).build();
        // Backoffs 1, 2, then 4 for each of the other n - 3 retries, microseconds; and n * 2 of calls and describes.
        long n = Integer.MAX_VALUE;
        assertEquals(Optional.of(us.multipliedBy(n * 2 + 1 + 2 + (n - 3) * 4)), g.longestProvision());
    }

    @Test
    void longestProvision_noCallTimeout_unknown() {
        assertEquals(Optional.empty(), guard(Duration.ZERO).longestProvision());
    }

    @Test
    void derivedGrace_defaultGuard_theDefault() {
        assertEquals(PreProvisioner.DEFAULT_INTENT_GRACE, PreProvisioner.intentGrace(guard(Duration.ofSeconds(30)), null));
        assertEquals(PreProvisioner.DEFAULT_INTENT_GRACE, PreProvisioner.intentGrace(guard(Duration.ZERO), null));
    }

    @Test
    void derivedGrace_slowGuard_itsLongestProvisionAndAMinute() {
        GuardedCloud slow = guard(Duration.ofMinutes(2));
        // 5 x 4 min + 3 s, and the margin.
        assertEquals(Duration.ofMinutes(21).plusSeconds(3), PreProvisioner.intentGrace(slow, null));
    }

    @ParameterizedTest
    @ValueSource(longs = {60, 303, 200})
    void givenGrace_notBeyondTheLongestProvision_refusedAtBuild(long seconds) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provisioner(guard(Duration.ofSeconds(30)), shop()).intentGrace(Duration.ofSeconds(seconds))
                        .build());
        assertTrue(e.getMessage().startsWith("intentGrace " + Duration.ofSeconds(seconds) + " does not exceed "),
                e.getMessage());
        assertTrue(e.getMessage().contains("the longest a provision through the guarded cloud can take, PT5M3S "
                + "(5 attempts of a PT30S call timeout"), e.getMessage());
    }

    @Test
    void givenGrace_beyondTheLongestProvision_taken() {
        FleetStateStore store = shop();
        PreProvisioner p = provisioner(guard(Duration.ofSeconds(30)), store).intentGrace(Duration.ofSeconds(304))
                .build();
        p.run(plan(store.read("shop").state(), up(1)));
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intents().get(0).status());
    }

    @Test
    void givenGrace_noCallTimeout_takenAsGiven() {
        FleetStateStore store = shop();
        PreProvisioner p = provisioner(guard(Duration.ZERO), store).intentGrace(Duration.ofSeconds(1)).build();
        p.run(plan(store.read("shop").state(), up(1)));
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intents().get(0).status());
    }

    @Test
    void launchSlowerThanTheDefaultGrace_notSettledByAnotherProcessWhileItRuns() {
        // Calls may take 5 minutes each: a provision may run for 50 minutes and more before it answers.
        FleetStateStore store = shop();
        PreProvisioner other = provisioner(guard(Duration.ofMinutes(5)), store).build();
        List<ReconcileReport> seen = new ArrayList<>();
        PreProvisioner launching = provisioner(guard(Duration.ofMinutes(5)), store)
                .checkpoint(step -> {
                    if (step == PreProvisioner.Step.AFTER_INTENT && seen.isEmpty()) {
                        clock.advance(Duration.ofMinutes(11));
                        seen.add(other.reconcile("shop"));
                    }
                }).build();
        ChangeOutcome.Provisioned done = launching.run(plan(store.read("shop").state(), up(2))).provisioned().get(0);
        assertEquals(List.of(), seen.get(0).abandoned(),
                "another process's reconcile leaves an intent whose provision may still be running");
        assertEquals(2, done.instanceIds().size());
        assertEquals(ProvisioningIntent.Status.DONE, store.read("shop").intents().get(0).status());
    }
}
