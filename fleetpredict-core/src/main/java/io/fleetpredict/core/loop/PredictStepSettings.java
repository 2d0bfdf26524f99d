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
 * The settings of the built-in predict step, checked as they are set. {@link OnlinePredictStep.Builder} and
 * {@link FleetPredictor.Builder} (which re-exposes them for the step it builds) both hold one, so the two
 * builders take the same values with the same checks and defaults. The step reads them when it is built.
 */
final class PredictStepSettings {
    MetricMapping mapping = MetricMapping.conventions();
    Supplier<EventFeed> events = () -> new EventFeed(1, List.of());
    Duration refitEvery = Duration.ofDays(1);
    @Nullable Supplier<OverrideSet> overrides;
    @Nullable AuditLog audit;

    void mapping(MetricMapping value) {
        this.mapping = Objects.requireNonNull(value, "mapping");
    }

    void events(EventFeed value) {
        Objects.requireNonNull(value, "events");
        this.events = () -> value;
    }

    void events(Supplier<EventFeed> value) {
        this.events = Objects.requireNonNull(value, "events");
    }

    void refitEvery(Duration value) {
        this.refitEvery = Checks.positive("refitEvery", value);
    }

    void overrides(Supplier<OverrideSet> value, AuditLog log) {
        this.overrides = Objects.requireNonNull(value, "overrides");
        this.audit = Objects.requireNonNull(log, "log");
    }
}
