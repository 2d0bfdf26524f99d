package io.fleetpredict.core.guide;

// A program of docs/guides/embedding.md, quoted there from the tag on (without this package line).
// tag::custom-steps[]
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.loop.PredictStep;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

public class CustomSteps {
    public static void main(String[] args) {
        MutableClock clock = MutableClock.at(Instant.parse("2025-03-03T00:00:00Z"));
        // Another engine's forecast, adapted with a lambda: checkout needs 12 cores over the next hour.
        PredictStep predict = now -> List.of(new PredictedFleetState(1, "shop", now, Horizon.SHORT_TERM, now,
                now.plus(Duration.ofHours(1)), List.of(ResourceRequirement.of(ResourceAmount.of(ResourceType.CPU, 12,
                ResourceUnit.CORES))), List.of(new ServiceRequirements("checkout", List.of(ResourceRequirement.of(
                ResourceAmount.of(ResourceType.CPU, 12, ResourceUnit.CORES))))), null, null));
        FleetPredictor fleet = FleetPredictor.builder("shop")
                .predict(predict)                     // project(...) and feedback(...) take steps the same way
                .cloud(SimulatedCloud.builder().clock(clock).build())
                .budget(5.00)
                .mode(PreProvisioner.Mode.APPLY)
                .clock(clock)
                .build();
        CycleReport report = fleet.cycle();
        for (ChangeOutcome.Provisioned p : report.provisioning().provisioned()) {
            System.out.printf("%s: %d x %s in %s, %.3f per hour, ids %s%n", p.changeId(),
                    p.instanceIds().size(), p.instanceType(), p.region(), p.costPerHour(), p.instanceIds());
        }
    }
}
// end::custom-steps[]
