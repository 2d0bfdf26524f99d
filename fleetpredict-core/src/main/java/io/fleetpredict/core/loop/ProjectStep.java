package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import java.util.List;

/** The project step of a cycle: the changes that take the current fleet to the predicted needs. */
@FunctionalInterface
public interface ProjectStep {

    /**
     * Plans the changes.
     *
     * @param predictions the predict step's output
     * @param current the fleet state as stored now
     * @return the provisional fleet state, whose basis names {@code current}'s version; its fleet lists every
     *     service a change is for, so a service {@code current} does not run yet is added to it with no
     *     instance groups and its tier (as the projection engine does for a service only the prediction names)
     */
    ProvisionalFleetState project(List<PredictedFleetState> predictions, FleetState current);

    /**
     * Plans the changes as {@link #project} would, to show them, without counting them as proposed: the next
     * {@link #project} decides as if this call had not been made.
     *
     * <p>By default the same as {@link #project}, which is right for a step that keeps nothing between
     * projections. A step that keeps state between projections (as {@link StatefulProjectStep} keeps when each
     * service last changed) overrides it to leave that state alone.
     *
     * @param predictions the predict step's output
     * @param current the fleet state as stored now
     * @return the provisional fleet state, as {@link #project} returns it
     */
    default ProvisionalFleetState preview(List<PredictedFleetState> predictions, FleetState current) {
        return project(predictions, current);
    }
}
