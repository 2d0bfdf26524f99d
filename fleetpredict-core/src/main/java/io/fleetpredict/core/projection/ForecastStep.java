package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PredictedFleetState;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** One predicted state with the time span it stands for. */
record ForecastStep(PredictedFleetState doc, Instant start, Instant end) {

    /**
     * Orders predicted states by their start; a step runs to its {@code valid_until}, or to the next
     * step's start, or for the default length when it is the last, and never ends before it starts.
     */
    static List<ForecastStep> of(List<PredictedFleetState> predicted, Duration defaultStepLength) {
        List<PredictedFleetState> sorted = predicted.stream().map(p -> Objects.requireNonNull(p, "predicted element"))
                .sorted(Comparator.comparing(ForecastStep::startOf)).toList();
        List<ForecastStep> steps = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            PredictedFleetState p = sorted.get(i);
            Instant start = startOf(p);
            Instant end = p.validUntil() != null ? p.validUntil()
                    : i + 1 < sorted.size() ? startOf(sorted.get(i + 1)) : Instants.plusClamped(start, defaultStepLength);
            steps.add(new ForecastStep(p, start, end.isBefore(start) ? start : end));
        }
        return steps;
    }

    /** The time to the loop's next decision a near-term step states, or the step's own length. */
    Duration decisionInterval() {
        Object d = doc.model() == null || doc.model().parameters() == null ? null
                : doc.model().parameters().get(ModelInfo.DECISION_INTERVAL);
        try {
            return d instanceof String text ? Duration.parse(text) : Duration.between(start, end);
        } catch (DateTimeParseException e) {
            return Duration.between(start, end);
        }
    }

    /** Whether the step's requirements are already at their SLA target's level (the loop's near-term forecast). */
    boolean calibrated() {
        return doc.model() != null && ModelInfo.NEAR_TERM.equals(doc.model().name());
    }

    private static Instant startOf(PredictedFleetState p) {
        return p.validFrom() != null ? p.validFrom() : p.timestamp();
    }
}
