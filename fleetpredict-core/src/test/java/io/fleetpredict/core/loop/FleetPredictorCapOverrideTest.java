package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.feedback.AuditEntry;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.provision.CapOverride;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A predictor's hard caps are lifted for one plan through the predictor itself, and the override is on record. */
class FleetPredictorCapOverrideTest {

    private static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    @Test
    void provisionUnderACapOverride_launchesPastTheCapsAndRecordsTheOverride() {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-01T00:00:00Z"));
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        FleetPredictor fleet = FleetPredictor.builder("shop").cloud(cloud).metric(CPU, MetricKind.GAUGE_MEAN)
                .budget(5.00).caps(HardCaps.builder().maxFleetInstances(2).maxFleetCostPerHour(5).build())
                .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        for (int step = 0; step < 7 * 24 * 12; step++) {
            double hour = step / 12.0 % 24;
            fleet.record(CPU, clock.instant(), 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(step));
            clock.advance(Duration.ofMinutes(5));
        }
        ProvisionalFleetState plan = fleet.preview(fleet.predict());
        int asked = plan.provisionalChanges().stream().mapToInt(ProvisionalChange::count).sum();
        assertTrue(asked > 2, "the plan must ask for more than the caps allow: " + plan.provisionalChanges());

        AuditLog audit = AuditLog.inMemory();
        ProvisioningReport report = fleet.provision(plan, new CapOverride(
                HardCaps.builder().maxFleetInstances(20).maxFleetCostPerHour(5).build(), "launch event", "ana"), audit);

        assertEquals(asked, cloud.describe(DescribeRequest.active()).instances().size(), report.toString());
        assertEquals(List.of(AuditEvent.CAPS_OVERRIDDEN, AuditEvent.CAPS_OVERRIDE_CARRIED_OUT),
                audit.entries().stream().map(AuditEntry::event).toList());
        AuditEntry lifted = audit.entries().get(0);
        assertEquals("ana", lifted.author());
        assertEquals("launch event", lifted.reason());
        assertTrue(lifted.before().contains("maxFleetInstances=2,") && lifted.after().contains("maxFleetInstances=20,"),
                lifted.toString());
    }
}
