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
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import io.fleetpredict.core.feedback.AuditLog;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run under lifted hard caps is on record in the audit log: who, why, which caps, and what it launched. */
class CapOverrideAuditTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final SimulatedCloud sim = SimulatedCloud.builder().clock(clock).seed(1).build();
    private final FleetStateStore store = FleetStateStores.inMemory();

    CapOverrideAuditTest() {
        store.create(StoredFleet.of(emptyFleet("shop", 0, "checkout", "critical")));
    }

    private PreProvisioner provisioner(PreProvisioner.Mode mode) {
        return PreProvisioner.builder(GuardedCloud.builder(sim).callTimeout(Duration.ZERO).sleeper(clock::advance)
                        .seed(1).build())
                .store(store).clock(clock).mode(mode).caps(HardCaps.builder().maxInstancesPerCall(1).build())
                .gate(CostGate.builder(1_000).build()).build();
    }

    private static ProvisionalChange up(int count) {
        return Fixtures.change("up", "checkout", "m.large", "us-east", count, PurchaseOption.ON_DEMAND, 1,
                0.096 * count, T0.plusSeconds(600));
    }

    private static final CapOverride LIFTED = new CapOverride(HardCaps.builder().maxInstancesPerCall(50).build(),
            "incident 42: black friday", "alice");

    @Test
    void runUnderLiftedCaps_recordsTheOverrideBeforeAndWhatItLaunchedAfter() {
        AuditLog audit = AuditLog.inMemory();
        ChangeOutcome.Provisioned done = provisioner(PreProvisioner.Mode.APPLY)
                .run(plan(store.read("shop").state(), up(3)), LIFTED, audit).provisioned().get(0);
        assertEquals(3, done.instanceIds().size());

        List<AuditEntry> entries = audit.entries();
        assertEquals(List.of(AuditEvent.CAPS_OVERRIDDEN, AuditEvent.CAPS_OVERRIDE_CARRIED_OUT),
                entries.stream().map(AuditEntry::event).toList());
        AuditEntry lifted = entries.get(0);
        assertEquals("alice", lifted.author());
        assertEquals("incident 42: black friday", lifted.reason());
        assertEquals("hard caps of fleet shop", lifted.subject());
        assertTrue(lifted.before().contains("maxInstancesPerCall=1,"), lifted.before());
        assertTrue(lifted.after().contains("maxInstancesPerCall=50,"), lifted.after());
        AuditEntry carried = entries.get(1);
        assertEquals(lifted.overrideId(), carried.overrideId());
        assertEquals("up launched 3 x m.large in us-east: " + String.join(", ", done.instanceIds()), carried.after());
    }

    @Test
    void auditLogThatCannotBeWritten_nothingSent() {
        AuditLog broken = new AuditLog() {
            @Override
            public void append(AuditEntry entry) {
                throw new UncheckedIOException(new java.io.IOException("disk full"));
            }

            @Override
            public List<AuditEntry> entries() {
                return List.of();
            }
        };
        assertThrows(UncheckedIOException.class, () -> provisioner(PreProvisioner.Mode.APPLY)
                .run(plan(store.read("shop").state(), up(3)), LIFTED, broken));
        assertEquals(0, Fixtures.total(Fixtures.inventory(sim, "shop")));
        assertEquals(List.of(), store.read("shop").intents());
    }

    @Test
    void planOnlyRun_sendsNothingAndRecordsNothing() {
        AuditLog audit = AuditLog.inMemory();
        provisioner(PreProvisioner.Mode.PLAN_ONLY).run(plan(store.read("shop").state(), up(3)), LIFTED, audit);
        assertEquals(List.of(), audit.entries());
    }
}
