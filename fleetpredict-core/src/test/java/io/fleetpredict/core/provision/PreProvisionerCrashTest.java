package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.IOException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A crash at every step boundary of a launch, then a restart: nothing orphaned, lost or launched twice. */
class PreProvisionerCrashTest {

    /** Stands for the process dying: not an exception any code path catches. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("injected crash", null, false, false);
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = PreProvisioner.Step.class, names = "AFTER_RELEASE", mode = EnumSource.Mode.EXCLUDE)
    void run_crashAtStepBoundaryThenRestart_noOrphanNoLostUpdateNoDuplicate(PreProvisioner.Step step) throws IOException {
        int runs = 100;
        int crashes = 0;
        int orphans = 0;
        int lostUpdates = 0;
        int duplicates = 0;
        int launched = 0;
        for (int run = 0; run < runs; run++) {
            Random random = new Random(1_000L * step.ordinal() + run);
            MutableClock clock = MutableClock.at(T0);
            SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).seed(run)
                    .timeoutAfterApplyProbability(0.2).build();
            // Every tenth run on the file store, re-opened after the crash like a restarted process would.
            Path storeDir = dir.resolve(step.name() + "-" + run);
            boolean onFile = run % 10 == 0;
            FleetStateStore store = onFile ? FleetStateStores.directory(storeDir) : FleetStateStores.inMemory();
            FleetState fleet = Fixtures.emptyFleet("f", 0, "a", "critical", "b", "standard", "c", "best_effort");
            store.create(StoredFleet.of(fleet));
            List<ProvisionalChange> changes = new ArrayList<>();
            String[] types = {"m.large", "c.large", "r.large"};
            for (int k = 0; k < 3; k++) {
                changes.add(Fixtures.change("chg-" + k, "abc".substring(k, k + 1), types[random.nextInt(3)], "us-east",
                        1 + random.nextInt(6), random.nextBoolean() ? PurchaseOption.SPOT : PurchaseOption.ON_DEMAND,
                        1 + k, 0.1, T0.plusSeconds(3600)));
            }
            ProvisionalFleetState plan = Fixtures.plan(fleet, changes.toArray(ProvisionalChange[]::new));
            // The restarted process re-opens a file store, like a new process would.
            FleetStateStore reopened = onFile ? FleetStateStores.directory(storeDir) : store;
            crashes += crashThenRestart(cloud, store, reopened, clock, plan, step, 1 + random.nextInt(3)) ? 1 : 0;

            Map<String, Integer> inventory = Fixtures.inventory(cloud, "f");
            Map<String, Integer> counted = Fixtures.counted(reopened.read("f").state());
            for (String group : union(inventory, counted)) {
                int inCloud = inventory.getOrDefault(group, 0);
                int inState = counted.getOrDefault(group, 0);
                orphans += Math.max(0, inCloud - inState);
                lostUpdates += Math.max(0, inState - inCloud);
            }
            List<FleetState> history = reopened.history("f");
            for (int v = 1; v < history.size(); v++) {
                if (history.get(v).version() != history.get(v - 1).version() + 1) {
                    lostUpdates++;
                }
            }
            for (ProvisionalChange c : changes) {
                String group = c.service() + "/" + c.instanceType() + "/us-east/" + c.purchaseOption().jsonName();
                duplicates += Math.max(0, inventory.getOrDefault(group, 0) - c.count());
            }
            Map<String, Integer> perKey = new HashMap<>();
            List<Instance> all = cloud.describe(DescribeRequest.all()).instances();
            for (Instance i : all) {
                perKey.merge(i.idempotencyKey(), 1, Integer::sum);
            }
            launched += all.size();
        }
        System.out.printf(Locale.ROOT, "[figure] crash at %s, %d runs (%d crashed): %d orphaned instances, "
                + "%d lost updates, %d duplicates, %d instances launched%n", step, runs, crashes, orphans, lostUpdates,
                duplicates, launched);
        assertEquals(0, orphans);
        assertEquals(0, lostUpdates);
        assertEquals(0, duplicates);
        assertTrue(crashes > 0);
    }

    @ParameterizedTest
    @EnumSource(value = PreProvisioner.Step.class, names = {"BEFORE_INTENT", "AFTER_INTENT", "AFTER_RELEASE",
            "AFTER_COMMIT"})
    void run_crashDuringReleaseThenRestart_exactlyTheIntendedCountNoneTwiceNoneLeaked(PreProvisioner.Step step) {
        int runs = 60;
        int crashes = 0;
        int wrongCounts = 0;
        int releasedTwice = 0;
        int leaked = 0;
        int released = 0;
        for (int run = 0; run < runs; run++) {
            Random random = new Random(7_000L * step.ordinal() + run);
            MutableClock clock = MutableClock.at(T0);
            ReleasingCloud cloud = new ReleasingCloud(SimulatedCloud.builder().clock(clock).seed(run)
                    .timeoutAfterApplyProbability(0.2).build());
            Path storeDir = dir.resolve("release-" + step.name() + "-" + run);
            boolean onFile = run % 10 == 0;
            FleetStateStore store = onFile ? FleetStateStores.directory(storeDir) : FleetStateStores.inMemory();
            store.create(StoredFleet.of(Fixtures.emptyFleet("f", 0, "a", "critical")));
            PreProvisioner setup = provisioner(cloud, store, clock, s -> { });
            int ready = 2 + random.nextInt(6);
            int booting = random.nextInt(4);
            setup.run(Fixtures.plan(store.read("f").state(), Fixtures.change("up-1", "a", ready, 1)));
            clock.advance(Duration.ofMinutes(4));
            if (booting > 0) {
                setup.run(Fixtures.plan(store.read("f").state(), Fixtures.change("up-2", "a", booting, 1)));
            }
            int before = Fixtures.total(Fixtures.inventory(cloud.sim(), "f"));
            int asked = 1 + random.nextInt(before);
            ProvisionalFleetState plan = Fixtures.plan(store.read("f").state(), Fixtures.scaleIn("down", "a",
                    "m.large", asked, PurchaseOption.ON_DEMAND, 1, clock.instant()));
            FleetStateStore reopened = onFile ? FleetStateStores.directory(storeDir) : store;
            crashes += crashThenRestart(cloud, store, reopened, clock, plan, step, 1) ? 1 : 0;

            Map<String, Integer> inventory = Fixtures.inventory(cloud.sim(), "f");
            StoredFleet stored = reopened.read("f");
            int after = Fixtures.total(inventory);
            wrongCounts += after == before - asked ? 0 : 1;
            releasedTwice += cloud.releasedUnderTwoKeys().size();
            leaked += Fixtures.counted(stored.state()).equals(inventory) ? 0 : 1;
            leaked += (int) stored.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN).count();
            released += before - after;
        }
        System.out.printf(Locale.ROOT, "[figure] crash during a release at %s, %d runs (%d crashed): %d wrong counts, "
                + "%d instances released under two keys, %d leaks (state differs from the cloud, or an intent left "
                + "open), %d instances released%n", step, runs, crashes, wrongCounts, releasedTwice, leaked, released);
        assertEquals(0, wrongCounts);
        assertEquals(0, releasedTwice);
        assertEquals(0, leaked);
        assertEquals(runs, crashes);
    }

    /**
     * Runs the plan in a process that dies the {@code crashAt}-th time it reaches the step, then, after
     * the grace period, in a restarted process on {@code reopened}: run, reconcile, run, reconcile.
     *
     * @return whether the first process crashed
     */
    private static boolean crashThenRestart(io.fleetpredict.cloud.CloudProvider cloud, FleetStateStore store,
            FleetStateStore reopened, MutableClock clock, ProvisionalFleetState plan, PreProvisioner.Step step, int crashAt) {
        AtomicInteger seen = new AtomicInteger();
        boolean crashed = false;
        try {
            provisioner(cloud, store, clock, s -> {
                if (s == step && seen.incrementAndGet() == crashAt) {
                    throw new Crash();
                }
            }).run(plan);
        } catch (Crash e) {
            crashed = true;
        }
        clock.advance(Duration.ofMinutes(11));
        PreProvisioner restarted = provisioner(cloud, reopened, clock, s -> { });
        restarted.run(plan);
        clock.advance(Duration.ofMinutes(11));
        restarted.reconcile(plan.fleet().fleetId());
        restarted.run(plan);
        clock.advance(Duration.ofMinutes(11));
        restarted.reconcile(plan.fleet().fleetId());
        return crashed;
    }

    private static PreProvisioner provisioner(io.fleetpredict.cloud.CloudProvider cloud, FleetStateStore store,
            MutableClock clock,
            java.util.function.Consumer<PreProvisioner.Step> checkpoint) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(clock::advance)
                        .seed(3).build())
                .store(store).clock(clock).mode(PreProvisioner.Mode.APPLY)
                .gate(CostGate.builder(1_000).build()).checkpoint(checkpoint).build();
    }

    private static java.util.Set<String> union(Map<String, Integer> a, Map<String, Integer> b) {
        java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

}
