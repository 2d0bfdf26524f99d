package io.fleetpredict.core.feedback;

import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PredictedFleetState;
import java.util.List;
import java.util.Objects;

/** What applying expert overrides to a predicted fleet state gave. */
public sealed interface OverrideResult {

    /**
     * Returns the overrides that changed something, in the order applied.
     *
     * @return one entry per override and requirement changed
     */
    List<OverrideApplied> applied();

    /**
     * Returns the overrides active during the window the prediction covers that matched no requirement in it (a service
     * the prediction does not have, a resource type its scope does not have), so changed nothing.
     *
     * @return one entry per such override, in the order given
     */
    List<UnmatchedOverride> unmatched();

    /**
     * The prediction with the overrides applied; its {@code overrides_applied} lists them after any it
     * already had.
     *
     * @param document the overridden prediction
     * @param applied the overrides that changed it in this application
     * @param unmatched the active overrides that matched nothing in it
     */
    record Overridden(PredictedFleetState document, List<OverrideApplied> applied, List<UnmatchedOverride> unmatched)
            implements OverrideResult {
        /** Validates and copies. */
        public Overridden {
            Objects.requireNonNull(document, "document");
            applied = List.copyOf(applied);
            unmatched = List.copyOf(unmatched);
        }
    }

    /**
     * Every fleet-level requirement was switched off: there is no prediction to plan on, so the plan is
     * reactive only.
     *
     * @param applied the overrides that switched it off, and any applied before
     * @param unmatched the active overrides that matched nothing in the prediction
     */
    record PredictionDisabled(List<OverrideApplied> applied, List<UnmatchedOverride> unmatched)
            implements OverrideResult {
        /** Validates and copies. */
        public PredictionDisabled {
            applied = List.copyOf(applied);
            unmatched = List.copyOf(unmatched);
        }
    }
}
