package io.fleetpredict.core.loop;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.GateDecision;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Everything one cycle decided and did. {@link #summary()} tells it in a few lines, {@link #toString()} in
 * one; the components hold the whole documents.
 *
 * @param cycle the cycle's sequence number in this predictor, from 1
 * @param at when the cycle started
 * @param elapsed how long it took on the clock
 * @param predictions the predict step's output
 * @param plan the project step's output
 * @param provisioning the gate's decision and what was provisioned
 * @param feedback the feedback step's notes
 * @param unpredicted why the predict step predicted nothing, when it says ({@link OnlinePredictStep.Status#waiting()},
 *     such as a clock behind the history); {@code null} when it predicted or did not say
 * @param warnings what the cycle found wrong with its input and went on with: from the built-in predict step
 *     ({@link OnlinePredictStep.Status#warnings()}: a metric silent for longer than the near-term reach, filled
 *     with its last value; a clock somewhat behind the history), and an event of the feed naming a service the
 *     loop does not know, said in the first cycle that sees it only
 */
public record CycleReport(long cycle, Instant at, Duration elapsed, List<PredictedFleetState> predictions,
        ProvisionalFleetState plan, ProvisioningReport provisioning, List<String> feedback,
        @Nullable String unpredicted, List<String> warnings) {

    /** Changes listed one by one in {@link #summary()}; beyond this many the rest are counted. */
    private static final int LISTED = 5;

    /** Copies. */
    public CycleReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(elapsed, "elapsed");
        predictions = List.copyOf(predictions);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(provisioning, "provisioning");
        feedback = List.copyOf(feedback);
        warnings = List.copyOf(warnings);
    }

    /**
     * The cycle in a few lines: what was predicted (per horizon, the largest fleet-wide requirement of each
     * resource and until when), what was proposed, what the gate decided, what was launched and released,
     * and what it changes in cost per hour; then the warnings and the feedback notes. When nothing was
     * predicted the line says why ({@link #unpredicted()}), or that the predict step gave no state.
     *
     * <pre>
     * cycle 1 at 2025-03-08T00:00:00Z (apply)
     * predicted:   short_term CPU up to 10.9 cores until 2025-03-08T00:15:00Z (3 states)
     * proposed:    checkout scale_out 3 x t.small on_demand in us-east, +0.0624 per hour
     * proposed:    checkout scale_out 3 x t.small spot in us-east, +0.0186 per hour
     * gate:        approved, +0.081 per hour
     * provisioned: 6 instances (checkout 3 x t.small on_demand, checkout 3 x t.small spot); released: none
     * cost:        +0.081 per hour
     * </pre>
     *
     * @return the summary, lines separated by {@code \n}, numbers in {@link Locale#ROOT}
     */
    public String summary() {
        List<String> lines = new ArrayList<>();
        lines.add("cycle " + cycle + " at " + at + " (" + mode() + ")");
        lines.add("predicted:   " + predicted());
        List<ProvisionalChange> proposed = plan.provisionalChanges();
        if (proposed.isEmpty()) {
            lines.add("proposed:    no change");
        }
        Map<String, Double> savings = savings();
        for (int i = 0; i < Math.min(LISTED, proposed.size()); i++) {
            lines.add("proposed:    " + change(proposed.get(i), savings));
        }
        if (proposed.size() > LISTED) {
            lines.add("proposed:    and " + (proposed.size() - LISTED) + " more");
        }
        if (!proposed.isEmpty()) {
            lines.add("gate:        " + gate(savings));
        }
        lines.add(provisioningLine());
        lines.add("cost:        " + signed(costChangePerHour()) + " per hour");
        warnings.forEach(w -> lines.add("warning:     " + w));
        feedback.forEach(n -> lines.add("feedback:    " + n));
        return String.join("\n", lines);
    }

    /**
     * What the cycle's launches add to the fleet's cost per hour less what its releases save, at the prices
     * of the moment; in plan-only mode, what the planned launches and releases would change.
     *
     * @return the change in cost per hour
     */
    public double costChangePerHour() {
        double sum = 0;
        for (ChangeOutcome o : provisioning.outcomes()) {
            if (o instanceof ChangeOutcome.Provisioned p) {
                sum += p.costPerHour();
            } else if (o instanceof ChangeOutcome.Planned p) {
                sum += p.costPerHour();
            } else if (o instanceof ChangeOutcome.Released r) {
                sum -= r.savingPerHour();
            } else if (o instanceof ChangeOutcome.PlannedRelease r) {
                sum -= r.savingPerHour();
            }
        }
        return sum;
    }

    /** One line: the cycle, what was predicted, proposed, launched and released, and the change in cost. */
    @Override
    public String toString() {
        int launched = provisioning.provisioned().stream().mapToInt(p -> p.instanceIds().size()).sum();
        int released = provisioning.released().stream().mapToInt(r -> r.instanceIds().size()).sum();
        return String.format(Locale.ROOT, "CycleReport[cycle %d at %s, %s, %d predicted states, %d changes proposed, "
                + "%d instances launched, %d released, %s per hour]", cycle, at, mode(), predictions.size(),
                plan.provisionalChanges().size(), launched, released, signed(costChangePerHour()));
    }

    private String mode() {
        return provisioning.mode() == PreProvisioner.Mode.APPLY ? "apply" : "plan only";
    }

    /** Per horizon, the largest fleet-wide quantity of each resource over its states, and the last state's end. */
    private String predicted() {
        if (predictions.isEmpty()) {
            return "nothing (" + (unpredicted != null ? unpredicted : "the predict step gave no state") + ")";
        }
        Map<Horizon, List<PredictedFleetState>> byHorizon = new LinkedHashMap<>();
        for (PredictedFleetState p : predictions) {
            byHorizon.computeIfAbsent(p.horizon(), h -> new ArrayList<>()).add(p);
        }
        List<String> parts = new ArrayList<>();
        byHorizon.forEach((horizon, states) -> {
            Map<ResourceType, ResourceRequirement> peak = new EnumMap<>(ResourceType.class);
            Instant until = null;
            for (PredictedFleetState s : states) {
                for (ResourceRequirement r : s.resourceRequirements()) {
                    double q = r.units().convert(r.quantity(), r.resourceType().canonicalUnit());
                    ResourceRequirement best = peak.get(r.resourceType());
                    if (best == null || q > best.units().convert(best.quantity(), r.resourceType().canonicalUnit())) {
                        peak.put(r.resourceType(), r);
                    }
                }
                Instant end = s.validUntil() != null ? s.validUntil() : s.timestamp();
                until = until == null || end.isAfter(until) ? end : until;
            }
            String amounts = peak.values().stream()
                    .map(r -> r.resourceType().name() + " up to " + number(r.quantity()) + " " + r.units().symbol())
                    .collect(Collectors.joining(", "));
            parts.add((horizon != null ? horizon.jsonName() : "unnamed") + " " + amounts + " until " + until + " ("
                    + states.size() + (states.size() == 1 ? " state)" : " states)"));
        });
        return String.join("; ", parts);
    }

    /**
     * A proposed change and what it changes in cost per hour, signed as the cost line is: a launch adds the
     * plan's estimate; a release saves what its instances cost (the plan prices a scale-in at 0, so the figure
     * is the run's, and a scale-in the run released nothing for saves nothing).
     */
    private static String change(ProvisionalChange c, Map<String, Double> savings) {
        String cost;
        if (c.action() == ChangeAction.SCALE_IN) {
            Double saving = savings.get(c.id());
            cost = saving == null ? "nothing released" : signed(-saving) + " per hour";
        } else if (c.action() == ChangeAction.SCALE_OUT) {
            cost = signed(c.estimatedCostPerHour()) + " per hour";
        } else {
            cost = number(c.estimatedCostPerHour()) + " per hour";
        }
        String line = String.format(Locale.ROOT, "%s %s %d x %s %s in %s, %s", c.service(), c.action().jsonName(),
                c.count(), c.instanceType(), c.purchaseOption().jsonName(), c.region(), cost);
        return c.status() == ChangeStatus.PROPOSED ? line : line + " (" + c.status().jsonName() + ")";
    }

    /** What each change's releases save per hour, carried out or, in plan-only mode, planned. */
    private Map<String, Double> savings() {
        Map<String, Double> out = new HashMap<>();
        for (ChangeOutcome o : provisioning.outcomes()) {
            if (o instanceof ChangeOutcome.Released r) {
                out.merge(r.changeId(), r.savingPerHour(), Double::sum);
            } else if (o instanceof ChangeOutcome.PlannedRelease r) {
                out.merge(r.changeId(), r.savingPerHour(), Double::sum);
            }
        }
        return out;
    }

    /**
     * The gate's verdict in the command line's words: changes of services with nothing due this cycle wait
     * (not charged now, weighed when they fall due) and changes the plan deferred are never weighed, so
     * neither is called approved.
     */
    private String gate(Map<String, Double> savings) {
        GateDecision d = provisioning.decision();
        String verdict;
        if (d instanceof GateDecision.OverThreshold over) {
            verdict = String.format(Locale.ROOT, "over the threshold: %s per hour asked, %s allowed; %d approved, "
                    + "%d refused", number(over.costPerHour()), number(over.maxCostPerHour()), over.approved().size(),
                    over.refused().size());
        } else if (!d.approved().isEmpty()) {
            // The gate charges launches only; the scale-ins it approves save what the run released for them.
            double saved = d.approved().stream().mapToDouble(c -> savings.getOrDefault(c.id(), 0.0)).sum();
            verdict = "approved, " + signed(d.costPerHour() - saved) + " per hour";
        } else {
            verdict = d.waiting().isEmpty() ? "no change to weigh" : "no change due this cycle";
        }
        int waiting = d.waiting().size();
        if (waiting > 0) {
            verdict += waiting == 1 ? "; 1 change is weighed in a later cycle, when it falls due"
                    : "; " + waiting + " changes are weighed in a later cycle, when they fall due";
        }
        long deferred = plan.provisionalChanges().stream().filter(c -> c.status() == ChangeStatus.DEFERRED).count();
        if (deferred > 0) {
            verdict += "; " + deferred + (deferred == 1 ? " change" : " changes")
                    + " deferred by the plan, not weighed";
        }
        return verdict;
    }

    private String provisioningLine() {
        if (provisioning.mode() == PreProvisioner.Mode.PLAN_ONLY) {
            int launches = 0;
            int releases = 0;
            for (ChangeOutcome o : provisioning.outcomes()) {
                launches += o instanceof ChangeOutcome.Planned p ? p.count() : 0;
                releases += o instanceof ChangeOutcome.PlannedRelease r ? r.instanceIds().size() : 0;
            }
            return "provisioned: nothing (plan only: " + launches + " to launch, " + releases + " to release)";
        }
        List<ChangeOutcome.Provisioned> launched = provisioning.provisioned();
        List<ChangeOutcome.Released> released = provisioning.released();
        String launches = launched.isEmpty() ? "none"
                : instances(launched.stream().mapToInt(p -> p.instanceIds().size()).sum()) + " ("
                        + launched.stream().map(p -> p.service() + " " + p.instanceIds().size() + " x "
                        + p.instanceType() + " " + p.purchaseOption().jsonName()).collect(Collectors.joining(", ")) + ")";
        String releases = released.isEmpty() ? "none"
                : instances(released.stream().mapToInt(r -> r.instanceIds().size()).sum()) + " ("
                        + released.stream().map(r -> r.service() + " " + r.instanceIds().size() + " x "
                        + r.instanceType() + " " + r.purchaseOption().jsonName()).collect(Collectors.joining(", ")) + ")";
        String held = provisioning.outcomes().stream().filter(o -> o instanceof ChangeOutcome.Capped
                || o instanceof ChangeOutcome.Failed || o instanceof ChangeOutcome.Skipped
                || o instanceof ChangeOutcome.Waiting)
                .map(o -> o.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + o.changeId())
                .collect(Collectors.joining(", "));
        return "provisioned: " + launches + "; released: " + releases + (held.isEmpty() ? "" : "; " + held);
    }

    private static String instances(int n) {
        return n + (n == 1 ? " instance" : " instances");
    }

    /** Three significant digits, no exponent, no trailing zeros. */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static String signed(double value) {
        return (value >= 0 ? "+" : "") + number(value);
    }
}
