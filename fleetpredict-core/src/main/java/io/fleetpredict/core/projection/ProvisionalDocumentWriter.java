package io.fleetpredict.core.projection;

import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.OverrideApplied;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.internal.Decimals;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the provisional fleet state document: each pending change as an entry with its id
 * ({@code chg-<fleet version>-<n>}), priority, status and reason, and the document with the basis it was
 * computed from and the overrides the predicted steps recorded.
 */
final class ProvisionalDocumentWriter {

    private final InputDigest catalogueDigest;
    private final InputDigest slaDigest;

    ProvisionalDocumentWriter(InputDigest catalogueDigest, InputDigest slaDigest) {
        this.catalogueDigest = catalogueDigest;
        this.slaDigest = slaDigest;
    }

    /**
     * Appends the service's pending changes to {@code written}, proposed or (with the reason) deferred,
     * and keeps each as one of the service's projected changes.
     */
    void write(ServiceWork w, int priority, @Nullable String deferred, long version, List<ProvisionalChange> written) {
        for (PendingChange p : w.pending) {
            String id = String.format(Locale.ROOT, "chg-%d-%d", version, written.size() + 1);
            // Money in the document, rounded as its quantities are (2.4967, not the 2.496666666666667 that a price
            // times a window's hours leaves), and the projected change says the same figure.
            double totalCost = Decimals.round(p.totalCost());
            ProvisionalChange change = new ProvisionalChange(id, w.name, p.action(), p.instanceType(), p.region(),
                    p.count(), p.option(), ResourceVectors.amounts(p.delta()), priority, Objects.requireNonNull(w.reason), p.costPerHour(),
                    totalCost, p.neededBy(), p.launchAt(),
                    deferred == null ? ChangeStatus.PROPOSED : ChangeStatus.DEFERRED, deferred, p.leadTimeGivenUp());
            written.add(change);
            w.changes.add(new ProjectedChange(change, totalCost, p.savingPerHour(), p.boot()));
        }
    }

    /**
     * The document: the current fleet, the changes, the basis (the earliest step) and the overrides. A
     * service that only the prediction names and that has a change is added to the document's fleet with
     * no instance groups and the tier the SLA policies give it, so that every change is for a service of
     * the document's fleet and the provisioner files the new service under its tier.
     */
    ProvisionalFleetState document(FleetState current, Collection<ServiceWork> works, List<ProvisionalChange> changes,
            List<ForecastStep> steps) {
        ForecastStep first = steps.get(0);
        Set<String> changed = new HashSet<>();
        changes.forEach(c -> changed.add(c.service()));
        List<ServiceState> services = new ArrayList<>(current.services());
        for (ServiceWork w : works) {
            if (w.state == null && changed.contains(w.name)) {
                services.add(new ServiceState(w.name, w.tier, List.of(), List.of()));
            }
        }
        FleetState fleet = services.size() == current.services().size() ? current
                : new FleetState(current.schemaVersion(), current.fleetId(), current.version(), current.asOf(), services);
        return new ProvisionalFleetState(fleet, changes,
                new PlanBasis(first.doc().timestamp(), first.doc().horizon(), current.version(), catalogueDigest,
                        slaDigest),
                overridesApplied(steps));
    }

    /** The overrides the steps recorded, in step order, each distinct entry once. */
    private static List<OverrideApplied> overridesApplied(List<ForecastStep> steps) {
        Set<OverrideApplied> applied = new LinkedHashSet<>();
        for (ForecastStep step : steps) {
            if (step.doc().overridesApplied() != null) {
                applied.addAll(step.doc().overridesApplied());
            }
        }
        return List.copyOf(applied);
    }
}
