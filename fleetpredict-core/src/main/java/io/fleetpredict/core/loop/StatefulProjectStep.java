package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.projection.Projection;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.ProjectionState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The project step from a {@link ProjectionEngine}: each cycle projects the predictions onto the stored
 * fleet state with the maintenance of the event feed, and keeps the engine's {@link ProjectionState} (when
 * each service last changed, since when it qualifies for a scale-in) for the next cycle. A {@link #preview}
 * plans from the same state and keeps nothing.
 *
 * <p>With no prediction (the predict step is still waiting for history) the plan holds no change.
 *
 * <p>Thread-safe: projections through one step run one at a time, each on the state the previous one left.
 */
public final class StatefulProjectStep implements ProjectStep {

    private final ProjectionEngine engine;
    private final Supplier<EventFeed> events;
    private final ReentrantLock lock = new ReentrantLock();
    private ProjectionState state;
    private @Nullable Projection last;

    private StatefulProjectStep(ProjectionEngine engine, Supplier<EventFeed> events, ProjectionState initial) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.events = Objects.requireNonNull(events, "events");
        this.state = Objects.requireNonNull(initial, "initial");
    }

    /**
     * A step starting from {@link ProjectionState#empty()}.
     *
     * @param engine the engine
     * @param events the event feed, read each cycle for maintenance windows
     * @return the step
     */
    public static StatefulProjectStep of(ProjectionEngine engine, Supplier<EventFeed> events) {
        return new StatefulProjectStep(engine, events, ProjectionState.empty());
    }

    /**
     * A step resuming from a saved state (after a restart).
     *
     * @param engine the engine
     * @param events the event feed, read each cycle for maintenance windows
     * @param initial the state {@link #state()} returned before
     * @return the step
     */
    public static StatefulProjectStep resuming(ProjectionEngine engine, Supplier<EventFeed> events,
            ProjectionState initial) {
        return new StatefulProjectStep(engine, events, initial);
    }

    @Override
    public ProvisionalFleetState project(List<PredictedFleetState> predictions, FleetState current) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(current, "current");
        lock.lock();
        try {
            Projection p = projection(predictions, current);
            last = p;
            if (p == null) {
                return noChange(current);
            }
            state = p.nextState();
            return p.document();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The projection {@link #project} would make now, from the same state, leaving the state and
     * {@link #lastProjection()} as they were: a plan shown before a cycle does not count its changes as made,
     * which would hold the cycle's scale-ins in their cooldown.
     */
    @Override
    public ProvisionalFleetState preview(List<PredictedFleetState> predictions, FleetState current) {
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(current, "current");
        lock.lock();
        try {
            Projection p = projection(predictions, current);
            return p == null ? noChange(current) : p.document();
        } finally {
            lock.unlock();
        }
    }

    /** The engine's projection from the kept state; null with no prediction. Called holding the lock. */
    private @Nullable Projection projection(List<PredictedFleetState> predictions, FleetState current) {
        if (predictions.isEmpty()) {
            return null;
        }
        EventFeed feed = Objects.requireNonNull(events.get(), "the event feed supplier returned null");
        // The near term, when known, decides capacity; the longer horizons are published for people and for
        // reserved capacity, and would otherwise buy a day's peak now.
        List<PredictedFleetState> nearTerm = predictions.stream()
                .filter(p -> p.model() != null && ModelInfo.NEAR_TERM.equals(p.model().name())).toList();
        return engine.project(nearTerm.isEmpty() ? predictions : nearTerm, current, feed.events(), state);
    }

    private static ProvisionalFleetState noChange(FleetState current) {
        return new ProvisionalFleetState(current, List.of(),
                PlanBasis.of(current.asOf(), Horizon.SHORT_TERM, current.version()), null);
    }

    /** @return the state the next projection starts from, to save across restarts */
    public ProjectionState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** @return the last projection with its per-service decisions; empty before the first or after an empty one */
    public Optional<Projection> lastProjection() {
        lock.lock();
        try {
            return Optional.ofNullable(last);
        } finally {
            lock.unlock();
        }
    }
}
