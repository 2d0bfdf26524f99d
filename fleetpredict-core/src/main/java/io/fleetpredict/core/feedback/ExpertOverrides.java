package io.fleetpredict.core.feedback;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.feedback.AuditEntry.AuditEvent;
import io.fleetpredict.core.internal.Decimals;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Applies expert overrides on top of a model's prediction, and decides forced provisioning under hard caps.
 * Every change is recorded in an {@link AuditLog}.
 *
 * <p>An override applies to a predicted fleet state when its window {@code [start, expiry)} overlaps the window
 * the state covers, {@code [validFrom, validUntil)} ({@link ExpertOverride#activeDuring}); a state without a
 * window covers its timestamp alone. So an override starting in half an hour applies to the states a cycle
 * predicts for then, and one that has expired applies to none of the states after its expiry, whatever the
 * time the states were predicted at. A service override changes that service's entries in the breakdown, and
 * carries what it changed to the fleet-level requirement of the same resource, which is the sum of the services'
 * (each figure of it moves by what the same figure moved in the services, not below zero, the quantiles kept in
 * order); one without a service changes the fleet-level requirements alone, after the services' changes are
 * carried; one without a resource type changes every resource of its scope. On each requirement the
 * active overrides act in a fixed order, whatever their order in the list: a disable removes the
 * requirement (nothing is provisioned ahead of demand for it); otherwise a pin replaces the quantity and
 * every quantile (the last pin in the list wins) or, without a pin, the scale factors multiply them; then
 * floors raise them and ceilings lower them, so a ceiling always holds. Each step is monotone, so the
 * quantiles stay ordered.
 *
 * <p>An active override that matches nothing (its service is not in the prediction, or its scope has no
 * requirement of its resource type) changes nothing; it is reported in {@link OverrideResult#unmatched()},
 * recorded in the audit log as {@link AuditEvent#OVERRIDE_UNMATCHED} and logged at DEBUG (the command line
 * prints the list, and the loop warns of each such override once a cycle), so that a misspelt service does not
 * pass unnoticed.
 */
public final class ExpertOverrides {
    private static final Logger LOG = LoggerFactory.getLogger(ExpertOverrides.class);

    private ExpertOverrides() {}

    /**
     * Adds an override to a set and records the addition in the audit log. The entry is appended before the
     * caller saves the set it returns, so an override saved is never without its entry; a caller that then
     * fails to save the set appends an {@link AuditEvent#OVERRIDE_NOT_ADDED} entry under the same id (as
     * {@code fleetpredict override add} does).
     *
     * @param set the current overrides
     * @param override the new override; its id must not be in the set yet
     * @param audit where the addition is recorded
     * @param clock stamps the record
     * @return the set with the override appended
     * @throws IllegalArgumentException when the id is already in the set
     */
    public static OverrideSet add(OverrideSet set, ExpertOverride override, AuditLog audit, Clock clock) {
        Objects.requireNonNull(override, "override");
        if (set.overrides().stream().anyMatch(o -> o.id().equals(override.id()))) {
            throw new IllegalArgumentException("override: id \"" + override.id() + "\" is already in the set");
        }
        List<ExpertOverride> all = new ArrayList<>(set.overrides());
        all.add(override);
        OverrideSet next = new OverrideSet(set.schemaVersion(), all);
        String what = override.action().jsonName()
                + (override.amount() != null ? " " + num(override.amount().amount()) + " " + override.amount().unit().symbol()
                        : override.factor() != null ? " x" + num(override.factor()) : "")
                + " from " + override.start() + " until " + override.expiry();
        audit.append(new AuditEntry(clock.instant(), AuditEvent.OVERRIDE_ADDED, override.id(), override.author(),
                override.reason(), scope(override), null, what));
        return next;
    }

    /**
     * Applies the overrides active during the window the prediction covers: those whose own window overlaps
     * {@code [validFrom, validUntil)}, or, for a prediction without a window, those active at its timestamp.
     * Service overrides act first, and what they change in a service's figures is carried to the fleet-level
     * requirement of the same resource, which is the sum of the services' (see the class comment); then the
     * fleet-level overrides act on that. Every application is computed before anything is recorded: when one
     * fails, none is applied and the audit log is left untouched.
     *
     * @param predicted the model's prediction
     * @param overrides the overrides, active or not
     * @param audit where each application is recorded
     * @param clock stamps the applications
     * @return the overridden prediction, or {@link OverrideResult.PredictionDisabled} when every fleet-level
     *     requirement was switched off; either lists the active overrides that matched nothing
     * @throws IllegalArgumentException naming the override (its index in {@code overrides} and its id), the
     *     service and the resource, when an override would take a quantity past the largest amount its unit
     *     can hold (a scale by a huge factor, a pin or floor that overflows in the prediction's unit)
     */
    public static OverrideResult apply(PredictedFleetState predicted, List<ExpertOverride> overrides, AuditLog audit,
            Clock clock) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(audit, "audit");
        Instant at = predicted.timestamp();
        Instant from = predicted.validFrom() != null ? predicted.validFrom() : at;
        Instant givenUntil = predicted.validUntil() != null ? predicted.validUntil() : from;
        // A state with only a valid_until, before its timestamp, covers its timestamp alone.
        Instant until = givenUntil.isBefore(from) ? from : givenUntil;
        String when = from.equals(until) ? "at " + from : "for " + from + " to " + until;
        List<ExpertOverride> active = overrides.stream().filter(o -> o.activeDuring(from, until)).toList();
        Instant now = clock.instant();
        Applications done = new Applications(overrides, now);
        Applications fleetDone = new Applications(overrides, now);
        FleetChanges changes = new FleetChanges(predicted.resourceRequirements());
        List<ServiceRequirements> services = null;
        if (predicted.services() != null) {
            services = new ArrayList<>();
            for (ServiceRequirements s : predicted.services()) {
                List<ResourceRequirement> next = requirements(s.resourceRequirements(), s.service(), active, when,
                        done);
                changes.add(s.resourceRequirements(), next);
                services.add(new ServiceRequirements(s.service(), next));
            }
        }
        List<ResourceRequirement> fleet = requirements(changes.fleet(), null, active, when, fleetDone);
        List<UnmatchedOverride> unmatched = new ArrayList<>();
        List<AuditEntry> entries = new ArrayList<>(fleetDone.entries);
        entries.addAll(done.entries);
        for (ExpertOverride o : active) {
            String problem = unmatched(o, predicted);
            if (problem != null) {
                UnmatchedOverride u = new UnmatchedOverride(o, problem);
                unmatched.add(u);
                entries.add(new AuditEntry(now, AuditEvent.OVERRIDE_UNMATCHED, o.id(), o.author(),
                        o.reason(), o.action().jsonName() + " " + scope(o) + " " + when, null,
                        "matched nothing: " + problem));
            }
        }
        // Only now that every override has been computed is anything recorded.
        audit.appendAll(entries);
        for (AuditEntry e : entries) {
            LOG.debug("override {} {}: {} -> {}", e.overrideId(), e.subject(), e.before(), e.after());
        }
        // At DEBUG: the loop applies the overrides to every state of every cycle, dozens a cycle, and says each
        // unmatched override once a cycle itself; the command line prints the result's list.
        for (UnmatchedOverride u : unmatched) {
            LOG.debug("prediction {}: {}", when, u.describe());
        }
        List<OverrideApplied> applied = new ArrayList<>(fleetDone.applied);
        applied.addAll(done.applied);
        List<OverrideApplied> all = new ArrayList<>();
        if (predicted.overridesApplied() != null) {
            all.addAll(predicted.overridesApplied());
        }
        all.addAll(applied);
        if (fleet.isEmpty()) {
            LOG.warn("prediction {} switched off for the whole fleet by overrides; planning is reactive only", when);
            return new OverrideResult.PredictionDisabled(all, unmatched);
        }
        PredictedFleetState document = new PredictedFleetState(predicted.schemaVersion(), predicted.fleetId(), at,
                predicted.horizon(), predicted.validFrom(), predicted.validUntil(), fleet, services, predicted.model(),
                applied.isEmpty() ? predicted.overridesApplied() : all);
        return new OverrideResult.Overridden(document, applied, unmatched);
    }

    /**
     * What the service overrides changed, carried to the fleet-level requirements: each figure (quantity, p50,
     * p90, p99) of a fleet-level requirement moves by what the same figure of its resource moved in the
     * services, in the fleet-level unit, so the fleet keeps whatever it held beyond the sum of its services.
     * A service's figure that is absent moves with its quantity.
     */
    private static final class FleetChanges {
        private static final String[] FIGURES = {"quantity", "p50", "p90", "p99"};
        private final List<ResourceRequirement> fleet;
        private final Map<ResourceType, double[]> moved = new EnumMap<>(ResourceType.class);

        FleetChanges(List<ResourceRequirement> fleet) {
            this.fleet = fleet;
        }

        /** Adds what overriding one service's requirements changed; a requirement switched off moves to zero. */
        void add(List<ResourceRequirement> before, List<ResourceRequirement> after) {
            for (ResourceRequirement b : before) {
                ResourceRequirement a = after.stream().filter(r -> r.resourceType() == b.resourceType()).findFirst()
                        .orElse(null);
                ResourceRequirement total = fleet.stream().filter(r -> r.resourceType() == b.resourceType())
                        .findFirst().orElse(null);
                if (b.equals(a) || total == null) {
                    continue;
                }
                double[] m = moved.computeIfAbsent(b.resourceType(), t -> new double[4]);
                double[] was = figures(b);
                double[] is = a == null ? new double[4] : figures(a);
                for (int i = 0; i < m.length; i++) {
                    m[i] += b.units().convert(is[i] - was[i], total.units());
                }
            }
        }

        private static double[] figures(ResourceRequirement r) {
            return new double[] {r.quantity(), r.p50() != null ? r.p50() : r.quantity(),
                    r.p90() != null ? r.p90() : r.quantity(), r.p99() != null ? r.p99() : r.quantity()};
        }

        /** The fleet-level requirements with the services' changes carried over. */
        List<ResourceRequirement> fleet() {
            if (moved.isEmpty()) {
                return fleet;
            }
            List<ResourceRequirement> out = new ArrayList<>();
            for (ResourceRequirement r : fleet) {
                double[] m = moved.get(r.resourceType());
                if (m == null) {
                    out.add(r);
                    continue;
                }
                Double[] figures = {r.quantity(), r.p50(), r.p90(), r.p99()};
                Double previous = null;
                for (int i = 0; i < figures.length; i++) {
                    Double f = figures[i];
                    if (f == null) {
                        continue;
                    }
                    // Not below zero, and the quantiles kept in order: a fleet figure that is not the exact sum
                    // of its services' (a peak over steps, rounding) may otherwise cross a neighbour.
                    double v = Math.max(0, f + m[i]);
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "the services' overrides would take the fleet's %s %s %s to %s, beyond the largest "
                                        + "amount; no override was applied", r.resourceType().jsonName(),
                                FIGURES[i], f, v));
                    }
                    if (i > 0) {
                        v = previous == null ? v : Math.max(v, previous);
                        previous = v;
                    }
                    figures[i] = v;
                }
                out.add(new ResourceRequirement(r.resourceType(), figures[0], r.units(), figures[1], figures[2],
                        figures[3]));
            }
            return out;
        }
    }

    /** An override's scope as the audit log names it: {@code checkout/CPU}, {@code fleet/all resources}. */
    static String scope(ExpertOverride o) {
        return (o.service() == null ? "fleet" : o.service()) + "/"
                + (o.resourceType() == null ? "all resources" : o.resourceType().jsonName());
    }

    /**
     * Why an override matches no requirement of a prediction, or null when it matches one. Decided by what
     * the prediction holds, not by what was applied: an override outdone by a disable on the same requirement
     * did match.
     */
    private static @Nullable String unmatched(ExpertOverride o, PredictedFleetState predicted) {
        List<ResourceRequirement> scope;
        String where;
        if (o.service() == null) {
            scope = predicted.resourceRequirements();
            where = "the fleet level";
        } else {
            String name = o.service();
            List<ServiceRequirements> services = predicted.services() == null ? List.of() : predicted.services();
            ServiceRequirements service = services.stream().filter(s -> s.service().equals(name)).findFirst()
                    .orElse(null);
            if (service == null) {
                return "no service \"" + name + "\" in the prediction"
                        + (predicted.services() == null ? " (it has no per-service breakdown)" : "");
            }
            scope = service.resourceRequirements();
            where = "service " + name;
        }
        if (o.resourceType() == null) {
            return scope.isEmpty() ? "no requirement for " + where + " in the prediction" : null;
        }
        ResourceType type = o.resourceType();
        return scope.stream().anyMatch(r -> r.resourceType() == type) ? null
                : "no " + type.jsonName() + " requirement for " + where + " in the prediction";
    }

    /** What one application of a list of overrides has computed so far, and not yet recorded. */
    private static final class Applications {
        final List<ExpertOverride> overrides;
        final Instant now;
        final List<OverrideApplied> applied = new ArrayList<>();
        final List<AuditEntry> entries = new ArrayList<>();

        Applications(List<ExpertOverride> overrides, Instant now) {
            this.overrides = overrides;
            this.now = now;
        }

        IllegalArgumentException refused(ExpertOverride o, @Nullable String service, ResourceRequirement r,
                String problem) {
            return new IllegalArgumentException(String.format(Locale.ROOT,
                    "overrides[%d] \"%s\" (%s) on %s, %s: %s; no override was applied", overrides.indexOf(o),
                    o.id(), o.action().jsonName(), service == null ? "the fleet" : "service " + service,
                    r.resourceType().jsonName(), problem));
        }
    }

    private static List<ResourceRequirement> requirements(List<ResourceRequirement> requirements,
            @Nullable String service, List<ExpertOverride> active, String when, Applications done) {
        List<ResourceRequirement> out = new ArrayList<>();
        for (ResourceRequirement r : requirements) {
            List<ExpertOverride> matching = active.stream()
                    .filter(o -> Objects.equals(o.service(), service))
                    .filter(o -> o.resourceType() == null || o.resourceType() == r.resourceType())
                    .toList();
            String subject = (service == null ? "fleet" : service) + "/" + r.resourceType().jsonName() + " " + when;
            ExpertOverride disable = matching.stream().filter(o -> o.action() == OverrideAction.DISABLE)
                    .findFirst().orElse(null);
            if (disable != null) {
                record(disable, service, r, null, subject, done);
                continue;
            }
            ResourceRequirement current = r;
            ExpertOverride pin = null;
            for (ExpertOverride o : matching) {
                if (o.action() == OverrideAction.PIN) {
                    pin = o;
                }
            }
            if (pin != null) {
                double v = amountIn(pin, service, r, done);
                current = step(pin, current, x -> v, service, subject, done);
            } else {
                for (ExpertOverride o : matching) {
                    if (o.action() == OverrideAction.SCALE) {
                        double f = Objects.requireNonNull(o.factor(), "factor"); // a scale always has one
                        current = step(o, current, x -> x * f, service, subject, done);
                    }
                }
            }
            for (ExpertOverride o : matching) {
                if (o.action() == OverrideAction.FLOOR) {
                    double v = amountIn(o, service, r, done);
                    current = step(o, current, x -> Math.max(x, v), service, subject, done);
                }
            }
            for (ExpertOverride o : matching) {
                if (o.action() == OverrideAction.CEILING) {
                    double v = amountIn(o, service, r, done);
                    current = step(o, current, x -> Math.min(x, v), service, subject, done);
                }
            }
            out.add(current);
        }
        return out;
    }

    /** The amount of a pin, floor or ceiling (which ExpertOverride requires for those actions) in the prediction's unit. */
    private static double amountIn(ExpertOverride o, @Nullable String service, ResourceRequirement r,
            Applications done) {
        ResourceAmount amount = Objects.requireNonNull(o.amount(), "amount");
        double v = amount.unit().convert(amount.amount(), r.units());
        if (!Double.isFinite(v)) {
            throw done.refused(o, service, r, String.format(Locale.ROOT,
                    "%s %s is too large in %s, the unit of the prediction", amount.amount(), amount.unit().symbol(),
                    r.units().symbol()));
        }
        return v;
    }

    private static ResourceRequirement step(ExpertOverride o, ResourceRequirement r, DoubleUnaryOperator f,
            @Nullable String service, String subject, Applications done) {
        String[] names = {"quantity", "p50", "p90", "p99"};
        Double[] before = {r.quantity(), r.p50(), r.p90(), r.p99()};
        Double[] after = new Double[before.length];
        for (int i = 0; i < before.length; i++) {
            after[i] = before[i] == null ? null : f.applyAsDouble(before[i]);
            if (after[i] != null && !Double.isFinite(after[i])) {
                throw done.refused(o, service, r, String.format(Locale.ROOT,
                        "%s %s %s would become %s, beyond the largest amount", names[i], before[i],
                        r.units().symbol(), after[i]));
            }
        }
        ResourceRequirement next = new ResourceRequirement(r.resourceType(), after[0], r.units(), after[1], after[2],
                after[3]);
        record(o, service, r, next, subject, done);
        return next;
    }

    private static void record(ExpertOverride o, @Nullable String service, ResourceRequirement before,
            @Nullable ResourceRequirement after, String subject, Applications done) {
        // For a disable the document records the prediction that was switched off.
        ResourceAmount value = (after == null ? before : after).amount();
        done.applied.add(new OverrideApplied(o.id(), o.author(), done.now, o.reason(), service, value));
        done.entries.add(new AuditEntry(done.now, AuditEvent.OVERRIDE_APPLIED, o.id(), o.author(), o.reason(),
                o.action().jsonName() + " " + subject, describe(before), after == null ? "prediction off"
                        : describe(after)));
    }

    static String describe(ResourceRequirement r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s %s", num(r.quantity()), r.units().symbol()));
        if (r.p50() != null) {
            s.append(" p50=").append(num(r.p50()));
        }
        if (r.p90() != null) {
            s.append(" p90=").append(num(r.p90()));
        }
        if (r.p99() != null) {
            s.append(" p99=").append(num(r.p99()));
        }
        return s.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    /**
     * Decides a forced provisioning: as many instances as asked, cut to what the hard caps leave, never more;
     * refused when the caps leave none, or when the cost passes the threshold and the request does not say it
     * may. Refused too, whatever the request, when the limits give a cost threshold that is NaN or negative
     * (a NaN would compare false with every cost and let any cost through). The decision is recorded in the
     * audit log either way. Its costs are those of the count the caps leave, said so when that is not the count
     * asked, and written with four decimals, more where four significant digits need them ({@code 0.0040}).
     *
     * @param request the request
     * @param limits the provisioner's caps and prices
     * @param audit where the decision is recorded
     * @param clock stamps the record
     * @return the decision
     */
    public static ForcedDecision force(ForcedProvisioning request, ProvisioningLimits limits, AuditLog audit,
            Clock clock) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(audit, "audit");
        Instant now = clock.instant();
        String subject = request.service() + "/" + request.instanceType();
        String asked = request.count() + " x " + request.instanceType();
        int headroom = Math.max(0, limits.maxAdditionalInstances(request.service(), request.instanceType()));
        int count = Math.min(request.count(), headroom);
        double threshold = limits.costThresholdPerHour();
        ForcedDecision decision;
        // A NaN threshold compares false with every cost, so it would let any cost through unflagged.
        if (Double.isNaN(threshold) || threshold < 0) {
            decision = new ForcedDecision.Refused(request, "the provisioner gave no valid cost threshold: "
                    + threshold + " per hour (it must be 0 or more, or infinite for none)");
        } else if (count == 0) {
            decision = new ForcedDecision.Refused(request, "a hard cap leaves no room for another "
                    + request.instanceType() + " in " + request.service());
        } else {
            double cost = limits.costPerHour(request.instanceType(), count);
            if (!Double.isFinite(cost) || cost < 0) {
                decision = new ForcedDecision.Refused(request, "the provisioner gave no valid cost: " + cost);
            } else if (cost > threshold && !request.exceedCostThreshold()) {
                // The cost is the price of the count the caps leave, which the reason must say when it is not
                // the count asked, or the record shows a price next to a count it is not for.
                String priced = count < request.count() ? String.format(Locale.ROOT,
                        " for the %d x %s the hard caps leave of the %d asked", count, request.instanceType(),
                        request.count()) : "";
                decision = new ForcedDecision.Refused(request, String.format(Locale.ROOT,
                        "costs %s per hour%s, above the threshold %s; set exceedCostThreshold to pass it",
                        Decimals.text(cost), priced, Decimals.text(threshold)));
            } else {
                decision = new ForcedDecision.Allowed(request, count, count < request.count(), cost, cost > threshold);
            }
        }
        if (decision instanceof ForcedDecision.Allowed a) {
            String after = a.count() + " x " + request.instanceType() + " at " + Decimals.text(a.costPerHour())
                    + " per hour" + (a.capped() ? " (cut by a hard cap from the " + request.count() + " asked)" : "")
                    + (a.overCostThreshold() ? " (over the cost threshold, allowed by the request)" : "");
            audit.append(new AuditEntry(now, AuditEvent.PROVISIONING_FORCED, request.id(), request.author(),
                    request.reason(), subject, asked, after));
            if (a.capped() || a.overCostThreshold()) {
                LOG.warn("forced provisioning {}: {}", request.id(), after);
            }
        } else {
            String reason = ((ForcedDecision.Refused) decision).reason();
            audit.append(new AuditEntry(now, AuditEvent.PROVISIONING_REFUSED, request.id(), request.author(),
                    request.reason(), subject, asked, "refused: " + reason));
            LOG.warn("forced provisioning {} refused: {}", request.id(), reason);
        }
        return decision;
    }
}
