package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.feedback.AuditLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Overrides applied on top of the states a step predicts, and what the loop says of one that matches nothing. */
class OverridingPredictStepTest {
    private static final Instant T = Instant.parse("2024-11-29T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T, ZoneOffset.UTC);

    private static PredictedFleetState state(Instant at) {
        ResourceRequirement cpu = new ResourceRequirement(ResourceType.CPU, 40, ResourceUnit.CORES, 35.0, 45.0, 50.0);
        return new PredictedFleetState(1, "shop", at, null, null, null, List.of(cpu),
                List.of(new ServiceRequirements("checkout", List.of(cpu))), null, null);
    }

    /**
     * An override naming a service the prediction does not have matches nothing in any of the states of a cycle:
     * the loop warns of it once (the near-term prediction has a state per step, dozens of them), naming it.
     */
    @Test
    void overridden_overrideMatchingNothing_warnedOnceForAllTheStates() {
        ExpertOverride ghost = new ExpertOverride("ghost", OverrideAction.SCALE, "nosuch", null, null, 2.0, T,
                T.plusSeconds(3600), "alice", "a service that was renamed");
        List<PredictedFleetState> states = List.of(state(T), state(T.plusSeconds(60)), state(T.plusSeconds(120)));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<PredictedFleetState> out;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            out = OverridingPredictStep.overridden(states, () -> new OverrideSet(1, List.of(ghost)),
                    AuditLog.inMemory(), CLOCK);
        } finally {
            System.setErr(err);
        }

        assertEquals(3, out.size());
        String log = captured.toString(StandardCharsets.UTF_8);
        String warning = "override \"ghost\" (scale on nosuch/all resources) matched nothing";
        assertTrue(log.contains(warning), log);
        assertEquals(log.indexOf(warning), log.lastIndexOf(warning), log);
    }
}
