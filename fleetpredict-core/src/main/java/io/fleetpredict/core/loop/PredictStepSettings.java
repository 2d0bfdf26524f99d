package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.internal.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the built-in predict step, checked as they are set: one set of setters for
 * {@link OnlinePredictStep.Builder} and {@link FleetPredictor.Builder} (which builds that step from them).
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class PredictStepSettings<B extends PredictStepSettings<B>> {
    MetricMapping mapping = MetricMapping.conventions();
    Supplier<EventFeed> events = () -> new EventFeed(1, List.of());
    Duration refitEvery = Duration.ofDays(1);
    /** Whether {@link #refitEvery(Duration)} was called, so that a host's own predict step can refuse it. */
    boolean refitEveryGiven;
    @Nullable Supplier<OverrideSet> overrides;
    @Nullable AuditLog audit;

    PredictStepSettings() {
    }

    abstract B self();

    /**
     * How the monitor's metrics map to services, resources and activity.
     *
     * @param value the mapping; {@link MetricMapping#conventions()} by default
     * @return this builder
     */
    public B mapping(MetricMapping value) {
        this.mapping = Objects.requireNonNull(value, "mapping");
        return self();
    }

    /**
     * A fixed event feed (of the predict step, and of the project step the predictor builds).
     *
     * @param value the feed; empty by default
     * @return this builder
     */
    public B events(EventFeed value) {
        Objects.requireNonNull(value, "events");
        this.events = () -> value;
        return self();
    }

    /**
     * A changing event feed, read each cycle; a change refits the model. A {@link FleetPredictor} reads it once a
     * cycle, and its predict step, its project step and its check of the services the events name all see that
     * read.
     *
     * @param value where the current feed comes from
     * @return this builder
     */
    public B events(Supplier<EventFeed> value) {
        this.events = Objects.requireNonNull(value, "events");
        return self();
    }

    /**
     * How often the model is refitted without any other reason. Only the built-in predict step has a model of
     * the library's to refit: {@link FleetPredictor.Builder#build()} refuses it with a host's own
     * {@link FleetPredictor.Builder#predict(PredictStep) predict(step)}.
     *
     * @param value positive; one day by default
     * @return this builder
     * @throws IllegalArgumentException if {@code value} is not positive
     */
    public B refitEvery(Duration value) {
        this.refitEvery = Checks.positive("refitEvery", value);
        this.refitEveryGiven = true;
        return self();
    }

    /**
     * Expert overrides applied on top of every prediction, read each cycle, each application recorded in the
     * log; with {@link FleetPredictor.Builder#predict(PredictStep) predict(step)}, on top of each state the
     * host's own step predicts. A state whose every fleet-level requirement is switched off is left out.
     *
     * @param value where the current overrides come from
     * @param log where each application is recorded
     * @return this builder
     */
    public B overrides(Supplier<OverrideSet> value, AuditLog log) {
        this.overrides = Objects.requireNonNull(value, "overrides");
        this.audit = Objects.requireNonNull(log, "log");
        return self();
    }

    /** Takes another builder's settings, as the predictor passes its own to the step it builds. */
    final void settingsOf(PredictStepSettings<?> other) {
        this.mapping = other.mapping;
        this.events = other.events;
        this.refitEvery = other.refitEvery;
        this.refitEveryGiven = other.refitEveryGiven;
        this.overrides = other.overrides;
        this.audit = other.audit;
    }
}
