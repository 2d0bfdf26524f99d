package io.fleetpredict.core.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Active overrides that match nothing in a prediction are reported, audited, and change nothing. */
class UnmatchedOverridesTest {
    private static final Instant T = Instant.parse("2024-11-29T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-29T09:00:00Z"), ZoneOffset.UTC);

    private static PredictedFleetState predicted(boolean withServices) {
        ResourceRequirement cpu = new ResourceRequirement(ResourceType.CPU, 100, ResourceUnit.CORES, null, null, null);
        ResourceRequirement checkoutCpu = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, null, null,
                null);
        return new PredictedFleetState(1, "shop", T, null, null, null, List.of(cpu),
                withServices ? List.of(new ServiceRequirements("checkout", List.of(checkoutCpu))) : null, null, null);
    }

    private static ExpertOverride floor(String id, @Nullable String service, ResourceType type, ResourceUnit unit) {
        return new ExpertOverride(id, OverrideAction.FLOOR, service, type, ResourceAmount.of(type, 500, unit), null,
                T.minusSeconds(60), T.plusSeconds(60), "me", "r");
    }

    @Test
    void apply_overrideOnAMissingServiceOrResource_isReportedAndAudited() {
        List<ExpertOverride> overrides = List.of(
                floor("typo", "chekout", ResourceType.CPU, ResourceUnit.CORES),
                floor("st", "checkout", ResourceType.STORAGE, ResourceUnit.GIB),
                floor("fleet-mem", null, ResourceType.MEMORY, ResourceUnit.GIB),
                floor("ok", "checkout", ResourceType.CPU, ResourceUnit.CORES),
                new ExpertOverride("later", OverrideAction.FLOOR, "nowhere", ResourceType.CPU,
                        ResourceAmount.of(ResourceType.CPU, 1, ResourceUnit.CORES), null, T.plusSeconds(60),
                        T.plusSeconds(120), "me", "not active yet"));
        AuditLog audit = AuditLog.inMemory();

        OverrideResult result = ExpertOverrides.apply(predicted(true), overrides, audit, CLOCK);

        assertEquals(List.of("override \"typo\" (floor on chekout/CPU) matched nothing: no service \"chekout\" in the"
                        + " prediction",
                "override \"st\" (floor on checkout/Storage) matched nothing: no Storage requirement for service"
                        + " checkout in the prediction",
                "override \"fleet-mem\" (floor on fleet/Memory) matched nothing: no Memory requirement for the fleet"
                        + " level in the prediction"),
                result.unmatched().stream().map(UnmatchedOverride::describe).toList());
        assertEquals(1, result.applied().size(), "only \"ok\" changed something");
        List<AuditEntry> unmatched = audit.entries().stream()
                .filter(e -> e.event() == AuditEvent.OVERRIDE_UNMATCHED).toList();
        assertEquals(List.of("typo", "st", "fleet-mem"), unmatched.stream().map(AuditEntry::overrideId).toList());
        assertEquals("floor chekout/CPU at 2024-11-29T10:00:00Z", unmatched.get(0).subject());
        assertEquals("matched nothing: no service \"chekout\" in the prediction", unmatched.get(0).after());
    }

    @Test
    void apply_serviceOverrideOnAPredictionWithoutBreakdown_saysSo() {
        var result = ExpertOverrides.apply(predicted(false),
                List.of(floor("svc", "checkout", ResourceType.CPU, ResourceUnit.CORES)), AuditLog.inMemory(), CLOCK);

        assertEquals("no service \"checkout\" in the prediction (it has no per-service breakdown)",
                result.unmatched().get(0).problem());
    }

    @Test
    void apply_fleetDisabledWithATypoBeside_stillReportsTheTypo() {
        ExpertOverride off = new ExpertOverride("off", OverrideAction.DISABLE, null, null, null, null,
                T.minusSeconds(60), T.plusSeconds(60), "me", "r");

        var result = ExpertOverrides.apply(predicted(true),
                List.of(off, floor("typo", "chekout", ResourceType.CPU, ResourceUnit.CORES)), AuditLog.inMemory(),
                CLOCK);

        var disabled = assertInstanceOf(OverrideResult.PredictionDisabled.class, result);
        assertEquals(List.of("typo"), disabled.unmatched().stream().map(u -> u.override().id()).toList());
    }

    @Test
    void apply_overrideOutdoneByADisable_matchedAndIsNotReported() {
        ExpertOverride off = new ExpertOverride("off", OverrideAction.DISABLE, "checkout", null, null, null,
                T.minusSeconds(60), T.plusSeconds(60), "me", "r");

        var result = ExpertOverrides.apply(predicted(true),
                List.of(off, floor("f", "checkout", ResourceType.CPU, ResourceUnit.CORES)), AuditLog.inMemory(), CLOCK);

        assertTrue(result.unmatched().isEmpty());
    }
}
