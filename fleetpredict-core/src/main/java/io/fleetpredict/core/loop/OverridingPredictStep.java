package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.feedback.ExpertOverrides;
import io.fleetpredict.core.feedback.OverrideResult;
import io.fleetpredict.core.feedback.UnmatchedOverride;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A predict step with expert overrides applied on top of each state another step predicts, as
 * {@link FleetPredictor} wraps a host's own step given with {@code overrides(...)}; the built-in
 * {@link OnlinePredictStep} applies them the same way, through {@link #overridden}.
 */
final class OverridingPredictStep implements PredictStep {
    private static final Logger LOG = LoggerFactory.getLogger(OverridingPredictStep.class);

    private final PredictStep inner;
    private final Supplier<OverrideSet> overrides;
    private final AuditLog audit;
    private final Clock clock;

    OverridingPredictStep(PredictStep inner, Supplier<OverrideSet> overrides, AuditLog audit, Clock clock) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.overrides = Objects.requireNonNull(overrides, "overrides");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public List<PredictedFleetState> predict(Instant now) {
        List<PredictedFleetState> states = Objects.requireNonNull(inner.predict(now),
                "the predict step returned null");
        return overridden(states, overrides, audit, clock);
    }

    /**
     * The states with the current overrides applied, each application audited; a state whose every fleet-level
     * requirement is switched off is left out. Warns of each override that matched nothing once, not once
     * for each state: the near-term prediction has a state per step of its reach.
     */
    static List<PredictedFleetState> overridden(List<PredictedFleetState> states, Supplier<OverrideSet> source,
            AuditLog log, Clock clock) {
        OverrideSet set = source.get();
        if (set == null || set.overrides().isEmpty()) {
            return states;
        }
        List<PredictedFleetState> out = new ArrayList<>();
        Map<String, UnmatchedOverride> unmatched = new LinkedHashMap<>();
        for (PredictedFleetState s : states) {
            OverrideResult r = ExpertOverrides.apply(s, set.overrides(), log, clock);
            r.unmatched().forEach(u -> unmatched.putIfAbsent(u.override().id(), u));
            if (r instanceof OverrideResult.Overridden o) {
                out.add(o.document());
            }
        }
        unmatched.values().forEach(u -> LOG.warn("{}", u.describe()));
        return out;
    }

    @Override
    public String toString() {
        return "OverridingPredictStep[" + inner + "]";
    }
}
