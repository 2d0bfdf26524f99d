package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.SlaPolicies;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses what a scale-in releases: how many of its instances are neither released nor on their way
 * out, cut by the caps and the SLA's on-demand base, and which instances they are (booting first, newest
 * first). Thread-safe.
 */
final class ReleaseChooser {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseChooser.class);

    /** Booting first, then running; newest launch first within each; the id breaks ties. */
    static final Comparator<Instance> RELEASE_ORDER = Comparator
            .comparing((Instance i) -> i.state() == InstanceState.PENDING ? 0 : 1)
            .thenComparing(Instance::launchedAt, Comparator.reverseOrder())
            .thenComparing(Instance::id, Comparator.reverseOrder());

    /** What one plan-only run has already planned to release, so its later changes see it. */
    static final class Planned {
        private final Set<String> ids = new HashSet<>();
        private final Map<String, Integer> nonSpotByService = new HashMap<>();

        /** Records that a change plans to release the instances {@code ids}. */
        void add(ProvisionalChange change, List<String> released) {
            ids.addAll(released);
            if (change.purchaseOption() != PurchaseOption.SPOT) {
                nonSpotByService.merge(change.service(), released.size(), Integer::sum);
            }
        }
    }

    /** How many instances a scale-in may release now, which ones, and what cut the count. */
    record ReleaseChoice(int wanted, List<Instance> chosen, List<HardCaps.Limit> limits, double unitPrice) {

        List<String> ids() {
            return chosen.stream().map(Instance::id).toList();
        }

        /** Why nothing is released, if nothing is: all gone already, capped, or no instance found. */
        Optional<ChangeOutcome> nothing(ProvisionalChange change) {
            if (wanted <= 0) {
                return Optional.of(new ChangeOutcome.AlreadySatisfied(change.id(),
                        "the change's instances are already released or on their way out"));
            }
            if (chosen.isEmpty() && !limits.isEmpty()) {
                return Optional.of(new ChangeOutcome.Capped(change.id(), wanted, limits));
            }
            if (chosen.isEmpty()) {
                return Optional.of(new ChangeOutcome.Skipped(change.id(), String.format(Locale.ROOT,
                        "no active %s %s instance in %s of service %s carries the fleet's tag; nothing to release",
                        change.purchaseOption().jsonName(), change.instanceType(), change.region(),
                        change.service())));
            }
            return Optional.empty();
        }
    }

    private final CloudProvider cloud;
    private final @Nullable SlaPolicies policies;

    /**
     * @param cloud the provider, asked which instances run
     * @param policies the SLA policies, or null when none are known (then no on-demand base holds)
     */
    ReleaseChooser(CloudProvider cloud, @Nullable SlaPolicies policies) {
        this.cloud = cloud;
        this.policies = policies;
    }

    /**
     * How many of a scale-in's instances are neither released nor on their way out, cut by the caps and
     * the on-demand base, and which instances they are.
     */
    ReleaseChoice choose(StoredFleet s, ProvisionalFleetState plan, ProvisionalChange change, HardCaps caps,
            List<Offer> offers, Instant now, Planned planned) {
        PurchaseOption option = change.purchaseOption();
        double unit = CostGate.offer(offers, change.instanceType(), change.region())
                .map(o -> CostGate.price(o, option)).orElse(0.0);
        long planCount = FleetStateEdits.count(plan.fleet(), change.service(), change.instanceType(),
                change.region(), option);
        long stateCount = FleetStateEdits.count(s.state(), change.service(), change.instanceType(),
                change.region(), option);
        long leaving = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                && i.kind() == ProvisioningIntent.Kind.RELEASE && inGroup(i, change))
                .mapToLong(ProvisioningIntent::releasing).sum();
        // The group's target is what the plan saw minus the change; what is already gone or leaving counts.
        long byGroup = stateCount - leaving - Math.max(0, planCount - change.count());
        long byChange = change.count() - s.intents().stream().filter(i -> i.changeId().equals(change.id())
                && i.kind() == ProvisioningIntent.Kind.RELEASE).mapToLong(ProvisioningIntent::covering).sum();
        int wanted = (int) Math.max(0, Math.min(byGroup, byChange));
        if (wanted == 0) {
            return new ReleaseChoice(0, List.of(), List.of(), unit);
        }
        CapAccounting.Cut cut = new CapAccounting.Cut(wanted);
        cut.to(caps.maxInstancesPerCall(), HardCaps.Limit.PER_CALL);
        Instant windowStart = now.minus(caps.window());
        long inWindow = planned.ids.size() + s.intents().stream().filter(i -> CapAccounting.inWindow(i, windowStart, now))
                .mapToLong(ProvisioningIntent::releasing).sum();
        cut.to(Math.max(0, caps.maxReleasesPerWindow() - inWindow), HardCaps.Limit.RELEASES_PER_WINDOW);
        int base = policies == null || policies.effectivePolicy(change.service()) == null ? 0
                : policies.effectivePolicy(change.service()).minOnDemandCount();
        if (option != PurchaseOption.SPOT && base > 0) {
            long onDemand = s.state().services().stream().filter(v -> v.name().equals(change.service()))
                    .flatMap(v -> v.instanceGroups().stream()).filter(g -> g.purchaseOption() != PurchaseOption.SPOT)
                    .mapToLong(InstanceGroup::count).sum();
            long onDemandLeaving = s.intents().stream().filter(i -> i.status() == ProvisioningIntent.Status.OPEN
                    && i.service().equals(change.service()) && i.purchaseOption() != PurchaseOption.SPOT)
                    .mapToLong(ProvisioningIntent::releasing).sum();
            cut.to(Math.max(0, onDemand - onDemandLeaving
                    - planned.nonSpotByService.getOrDefault(change.service(), 0) - base),
                    HardCaps.Limit.ON_DEMAND_BASE);
        }
        long allowed = cut.allowed();
        List<Instance> candidates = candidates(s, plan.fleet().fleetId(), change, planned.ids);
        if (candidates.size() < allowed) {
            LOG.debug("fleet {}: change {} may release {} but finds {} active instances of its group", plan.fleet()
                    .fleetId(), change.id(), allowed, candidates.size());
        }
        List<Instance> chosen = candidates.subList(0, (int) Math.min(allowed, candidates.size()));
        return new ReleaseChoice(wanted, List.copyOf(chosen), cut.limits(), unit);
    }

    private static boolean inGroup(ProvisioningIntent i, ProvisionalChange change) {
        return i.service().equals(change.service()) && i.instanceType().equals(change.instanceType())
                && i.region().equals(change.region()) && i.purchaseOption() == change.purchaseOption();
    }

    /**
     * The active instances of a scale-in's group, in the order they are released: those the group's done
     * launches recorded and those the cloud shows with the fleet's and the service's tags, less the ones
     * an open release names, another group's launch recorded, or this run already chose.
     */
    private List<Instance> candidates(StoredFleet s, String fleetId, ProvisionalChange change, Set<String> taken) {
        Set<String> recorded = new TreeSet<>();
        Set<String> otherGroups = new HashSet<>();
        for (ProvisioningIntent i : s.intents()) {
            if (i.kind() == ProvisioningIntent.Kind.LAUNCH && i.status() == ProvisioningIntent.Status.DONE) {
                (inGroup(i, change) ? recorded : otherGroups).addAll(i.instanceIds());
            }
        }
        // Described here, after the read of the state s that the intent will be written against by
        // compare-and-set, never taken from an answer older than that read (the cycle's ActiveFleetSnapshot is
        // one): an instance another process released and committed between an older answer and the read is
        // named by no open release in s, and the older answer lists it active, so it would be released and
        // counted out twice. Described after the read, it shows ended; and a release whose intent another process
        // writes after the read makes this compare-and-set fail (the next round reads and describes again), or,
        // written after it, sees this release open.
        Map<String, Instance> found = new TreeMap<>();
        Map<String, String> tags = Map.of(PreProvisioner.TAG_FLEET, fleetId, PreProvisioner.TAG_SERVICE,
                change.service());
        cloud.describe(DescribeRequest.active().withTags(tags)).instances().forEach(i -> found.put(i.id(), i));
        // A recorded instance carries both tags (every launch sets them, and describe shows a launch's tags),
        // so the describe by tag lists it while it is active. Only those it does not list are described by id:
        // one whose tags a provider lost, or one that ended (or is not listed yet) and is still recorded until
        // a reconcile takes it out; none in the usual case, so a scale-in describes its service once.
        recorded.removeAll(found.keySet());
        if (!recorded.isEmpty()) {
            cloud.describe(DescribeRequest.active().withInstanceIds(recorded)).instances()
                    .forEach(i -> found.put(i.id(), i));
        }
        Set<String> excluded = IntentJournal.releasing(s);
        excluded.addAll(otherGroups);
        excluded.addAll(taken);
        PurchaseOption option = FleetStateEdits.launchedAs(change.purchaseOption());
        return found.values().stream()
                .filter(i -> i.state().active() && !excluded.contains(i.id()))
                .filter(i -> i.instanceType().equals(change.instanceType()) && i.region().equals(change.region())
                        && i.purchaseOption() == option)
                .sorted(RELEASE_ORDER).toList();
    }
}
