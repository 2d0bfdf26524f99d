package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.CapacityLimits.OfferKey;
import io.fleetpredict.cloud.sim.CapacityLimits.QuotaKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;
/**
 * A cloud in memory, driven by a {@link Clock}, for demos, tests and replays.
 *
 * <p>Behaviour, all reproducible for a given seed and sequence of calls:
 * <ul>
 *   <li><b>Offers</b> come from a catalogue: {@link #defaultCatalogue()} unless the builder replaces it.</li>
 *   <li><b>Boot.</b> An instance is {@link InstanceState#PENDING} from launch until launch plus its offer's
 *       boot time on the clock, then {@link InstanceState#RUNNING}. States are computed from the clock
 *       whenever they are read, so advancing a {@link MutableClock} is all a test needs. A clock set back
 *       is answered as that earlier time says, alike under every filter; a release stays a release.</li>
 *   <li><b>Quotas</b> cap the active instances per region and family. A provision whose full count
 *       would exceed the quota fails with {@link Kind#QUOTA_EXCEEDED} and launches nothing: an
 *       account limit is a configuration problem, and filling up to it would hide that.</li>
 *   <li><b>Capacity</b> caps the active instances per offer (region and instance type, spot and
 *       on-demand together). When none is left, a provision fails with {@link Kind#CAPACITY_UNAVAILABLE};
 *       when some but not all requested instances fit, it launches as many as fit and returns a
 *       {@linkplain ProvisionResult#partial() partial} result.</li>
 *   <li><b>Spot interruptions.</b> Each spot instance gets an interruption time drawn at launch from an
 *       exponential distribution with its offer's {@link Offer#interruptionRatePerHour()}, from a
 *       seeded random source. Once the clock passes it, the instance is {@link InstanceState#INTERRUPTED}
 *       and stops costing.</li>
 *   <li><b>Idempotency.</b> Every mutation's key is remembered with its request and result (a launch's
 *       or configuration's result as each instance's state and settings then, from which a replay rebuilds
 *       an equal result): the same key and an equal request return the same result; a different request,
 *       of any operation, fails with {@link Kind#INVALID_REQUEST}. A request that fails before being
 *       applied does not consume its key.</li>
 *   <li><b>Retention.</b> By default every instance ever launched is described and every key remembered
 *       for the cloud's life. With {@link Builder#endedRetention} an instance ended longer ago than the
 *       retention is forgotten, and a key with the last instance its result holds; the memory then grows
 *       with the instances active or recently ended, not with every launch.</li>
 *   <li><b>Faults.</b> {@link #failNext} makes the next calls of an operation fail before doing anything;
 *       a token bucket on the clock throttles every call ({@link Kind#THROTTLED}); and with a set
 *       probability a mutation is applied and then reported as {@link Kind#TIMED_OUT}.</li>
 *   <li><b>Cost.</b> Every instance accrues its price per hour from launch until release or
 *       interruption; {@link #accruedCost()} sums it.</li>
 * </ul>
 *
 * <p>Thread-safe: every call runs under one lock, so concurrent calls behave as some serial order. The
 * instances, the idempotency keys and the faults are kept by package-private parts called under that lock.
 */
public final class SimulatedCloud implements CloudProvider {

    /** The calls that faults can be injected into. */
    public enum Operation {
        /** {@link SimulatedCloud#offers()}. */
        OFFERS,
        /** {@link SimulatedCloud#provision}. */
        PROVISION,
        /** {@link SimulatedCloud#release}. */
        RELEASE,
        /** {@link SimulatedCloud#describe}. */
        DESCRIBE,
        /** {@link SimulatedCloud#configure}. */
        CONFIGURE
    }

    /** The order describe answers in: by launch time, then by id. */
    private static final Comparator<Instance> IN_DESCRIBE_ORDER = Comparator.comparing(Instance::launchedAt)
            .thenComparing(Instance::id);

    private final Object lock = new Object();
    private final Clock clock;
    private final List<Offer> catalogue;
    private final Map<OfferKey, Offer> offersByKey;
    private final CapacityLimits limits;
    private final Random interruptionRandom;
    private final FaultInjector faults;
    private final IdempotencyKeys keys = new IdempotencyKeys();
    private final InstanceTable instances;
    /** Whether ended instances are forgotten: only then do remembered results note the instances they hold. */
    private final boolean forgetsEnded;

    private SimulatedCloud(Builder builder) {
        this.clock = builder.clock;
        this.instances = new InstanceTable(builder.endedRetention);
        this.forgetsEnded = builder.endedRetention != null;
        this.catalogue = List.copyOf(builder.catalogue);
        this.offersByKey = new HashMap<>();
        for (Offer offer : catalogue) {
            Offer previous = offersByKey.put(new OfferKey(offer.region(), offer.instanceType()), offer);
            if (previous != null) {
                throw new IllegalArgumentException("catalogue holds " + offer.instanceType() + " in "
                        + offer.region() + " twice");
            }
        }
        // A limit on something the catalogue does not sell is a misspelling: it would leave the
        // intended family or offer under the default limit without a word.
        for (QuotaKey key : builder.quotas.keySet()) {
            if (catalogue.stream().noneMatch(o -> o.region().equals(key.region()) && o.family().equals(key.family()))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "quota for family '%s' in region '%s': the catalogue sells no such family there",
                        key.family(), key.region()));
            }
        }
        for (OfferKey key : builder.capacities.keySet()) {
            if (!offersByKey.containsKey(key)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "capacity for '%s' in region '%s': the catalogue holds no such offer",
                        key.instanceType(), key.region()));
            }
        }
        this.limits = new CapacityLimits(builder.quotas, builder.defaultQuota, builder.capacities,
                builder.defaultCapacity);
        this.interruptionRandom = new Random(builder.seed);
        this.faults = new FaultInjector(builder.throttleRatePerSecond > 0
                ? new TokenBucket(builder.throttleRatePerSecond, builder.throttleBurst, clock.instant())
                : null, builder.timeoutProbability, builder.seed);
    }

    /**
     * Starts building a simulated cloud with the default catalogue, the system UTC clock, seed 0,
     * a quota of 256 instances per region and family, a capacity of 1,000 instances per offer, no faults,
     * and every instance and key remembered for the cloud's life.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The built-in catalogue: regions {@code us-east}, {@code eu-west} and {@code ap-southeast}; families
     * {@code general-purpose} ({@code m.*}, 4 GiB per core), {@code compute-optimised} ({@code c.*}, 2 GiB
     * per core) and {@code memory-optimised} ({@code r.*}, 8 GiB per core) in sizes {@code large} (2
     * cores) to {@code 4xlarge} (16 cores), and {@code burstable} ({@code t.small}, {@code t.medium},
     * {@code t.large}). On-demand prices are linear in size within a family; spot costs 30-38% of
     * on-demand with 2-5.5% interruptions per hour; boot takes 2 to 5.5 minutes.
     *
     * @return the offers
     */
    public static List<Offer> defaultCatalogue() {
        return DefaultCatalogue.offers();
    }

    @Override
    public String name() {
        return SimulatedCloudFactory.NAME;
    }

    @Override
    public Set<Capability> capabilities() {
        EnumSet<Capability> capabilities = EnumSet.of(Capability.CONFIGURE, Capability.PARTIAL_FULFILMENT);
        if (catalogue.stream().anyMatch(Offer::spotAvailable)) {
            capabilities.add(Capability.SPOT);
        }
        return java.util.Collections.unmodifiableSet(capabilities);
    }

    @Override
    public List<Offer> offers() {
        synchronized (lock) {
            admit(Operation.OFFERS);
            return catalogue;
        }
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (lock) {
            Instant now = admit(Operation.PROVISION);
            ProvisionResult replayed = keys.replay(request.idempotencyKey(), request, ProvisionResult.class);
            if (replayed != null) {
                return faults.maybeTimeOut(replayed);
            }
            Offer offer = offersByKey.get(new OfferKey(request.region(), request.instanceType()));
            if (offer == null) {
                throw new CloudException(Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                        "instanceType '%s' is not offered in region '%s'", request.instanceType(), request.region()));
            }
            if (request.purchaseOption() == PurchaseOption.SPOT && !offer.spotAvailable()) {
                throw new CloudException(Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                        "instanceType '%s' in region '%s' cannot be bought as spot", request.instanceType(),
                        request.region()));
            }
            int launching = limits.launchable(offer, request.count(), instances, now);
            List<SimulatedInstance> targets = new ArrayList<>(launching);
            List<Instance> launched = new ArrayList<>(launching);
            Instant readyAt = now.plus(offer.bootTime());
            for (int n = 0; n < launching; n++) {
                SimulatedInstance instance = instances.launch(offer, request, now, readyAt,
                        interruptionTime(offer, request.purchaseOption(), now));
                targets.add(instance);
                launched.add(instance.snapshotAt(now));
            }
            ProvisionResult result = new ProvisionResult(request, launched);
            RecordedSnapshots returned = new RecordedSnapshots(targets, launched);
            hold(keys.remember(request.idempotencyKey(), request,
                    () -> new ProvisionResult(request, returned.rebuild()), targets.size()), targets);
            return faults.maybeTimeOut(result);
        }
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (lock) {
            Instant now = admit(Operation.RELEASE);
            ReleaseResult replayed = keys.replay(request.idempotencyKey(), request, ReleaseResult.class);
            if (replayed != null) {
                return faults.maybeTimeOut(replayed);
            }
            List<SimulatedInstance> targets = instances.lookUp(request.instanceIds());
            List<Instance> released = new ArrayList<>(targets.size());
            for (SimulatedInstance instance : targets) {
                instances.release(instance, now);
                released.add(instance.snapshotAt(now));
            }
            ReleaseResult result = new ReleaseResult(request, released);
            // Kept whole: its snapshots are the instances' last, which the instances hold anyway.
            hold(keys.remember(request.idempotencyKey(), request, () -> result, targets.size()), targets);
            return faults.maybeTimeOut(result);
        }
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (lock) {
            Instant now = admit(Operation.DESCRIBE);
            List<Instance> matching = new ArrayList<>();
            boolean activeOnly = !request.states().isEmpty() && request.states().stream().allMatch(InstanceState::active);
            Collection<SimulatedInstance> candidates = activeOnly ? instances.liveAt(now) : instances.all();
            if (!request.instanceIds().isEmpty() && request.instanceIds().size() < candidates.size()) {
                candidates = instances.known(request.instanceIds());
            }
            if (!request.idempotencyKeys().isEmpty() && request.idempotencyKeys().size() < candidates.size()) {
                List<SimulatedInstance> launched = instances.launchedUnder(request.idempotencyKeys());
                if (launched.size() < candidates.size()) {
                    candidates = launched;
                }
            }
            boolean inOrder = true;
            for (SimulatedInstance instance : candidates) {
                Instance snapshot = instance.snapshotAt(now);
                if (request.matches(snapshot)) {
                    if (inOrder && !matching.isEmpty() && IN_DESCRIBE_ORDER.compare(matching.get(matching.size() - 1),
                            snapshot) > 0) {
                        inOrder = false;
                    }
                    matching.add(snapshot);
                }
            }
            // Candidates come in launch order, which is this order unless the clock was set back between
            // launches or they were picked by id or key: sorting only then keeps a large fleet's describe linear.
            if (!inOrder) {
                matching.sort(IN_DESCRIBE_ORDER);
            }
            return new DescribeResult(now, matching);
        }
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        Objects.requireNonNull(request, "request");
        synchronized (lock) {
            Instant now = admit(Operation.CONFIGURE);
            ConfigureResult replayed = keys.replay(request.idempotencyKey(), request, ConfigureResult.class);
            if (replayed != null) {
                return faults.maybeTimeOut(replayed);
            }
            List<SimulatedInstance> targets = instances.lookUp(request.instanceIds());
            for (SimulatedInstance instance : targets) {
                if (!instance.stateAt(now).active()) {
                    throw new CloudException(Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                            "instance '%s' is %s and cannot be configured", instance.id(), instance.stateAt(now)));
                }
            }
            List<Instance> configured = new ArrayList<>(targets.size());
            for (SimulatedInstance instance : targets) {
                instance.configure(request.settings());
                configured.add(instance.snapshotAt(now));
            }
            ConfigureResult result = new ConfigureResult(request, configured);
            RecordedSnapshots returned = new RecordedSnapshots(targets, configured);
            hold(keys.remember(request.idempotencyKey(), request,
                    () -> new ConfigureResult(request, returned.rebuild()), targets.size()), targets);
            return faults.maybeTimeOut(result);
        }
    }

    /**
     * Makes the next {@code count} calls of an operation fail with {@code kind} before doing anything.
     * Failures queue up: calling this twice fails the next calls with the first kind, then the second.
     *
     * @param operation which calls to fail
     * @param count how many, positive
     * @param kind the failure to throw; {@link Kind#TIMED_OUT} here means "timed out without applying"
     */
    public void failNext(Operation operation, int count, Kind kind) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(kind, "kind");
        if (count <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "count must be positive, was %d", count));
        }
        synchronized (lock) {
            faults.failNext(operation, count, kind);
        }
    }

    /**
     * The cost of every instance ever launched, from launch until release, interruption or now.
     *
     * @return the total cost in the catalogue's currency
     */
    public double accruedCost() {
        synchronized (lock) {
            Instant now = clock.instant();
            forgetEnded(now);
            return instances.accruedCostAt(now);
        }
    }

    /**
     * The cost of one instance, from launch until release, interruption or now.
     *
     * @param instanceId the instance's id
     * @return its cost in the catalogue's currency
     * @throws IllegalArgumentException if no such instance was launched, or it was forgotten (see
     *     {@link Builder#endedRetention})
     */
    public double accruedCost(String instanceId) {
        Objects.requireNonNull(instanceId, "instanceId");
        synchronized (lock) {
            Instant now = clock.instant();
            forgetEnded(now);
            SimulatedInstance instance = instances.find(instanceId);
            if (instance == null) {
                throw new IllegalArgumentException("instanceId '" + instanceId + "' is unknown"
                        + (forgetsEnded ? " (never launched, or ended longer ago than the retention and forgotten)" : ""));
            }
            return instance.accruedCostAt(now);
        }
    }

    /** How many entries the cloud's parts hold: what forgetting ended instances frees. */
    record Footprint(int instances, int live, int launchIndex, int keys, int endedQueued, int costsWaiting) {
    }

    /** The entries the cloud holds now, after forgetting what the clock has put out of the retention. */
    Footprint footprint() {
        synchronized (lock) {
            forgetEnded(clock.instant());
            return instances.footprint(keys.size());
        }
    }

    /** The time of the call, once the faults let it through; first forgets what ended out of the retention. */
    private Instant admit(Operation operation) {
        Instant now = clock.instant();
        forgetEnded(now);
        faults.admit(operation, now);
        return now;
    }

    private void forgetEnded(Instant now) {
        if (!forgetsEnded) {
            return;
        }
        List<String> keysForgotten = new ArrayList<>(0);
        instances.forgetEnded(now, keysForgotten);
        keysForgotten.forEach(keys::forget);
    }

    /** Has each of {@code targets} note that {@code use}'s result holds it, so the key goes with the last of them. */
    private void hold(IdempotencyKeys.Use use, List<SimulatedInstance> targets) {
        if (forgetsEnded) {
            for (SimulatedInstance target : targets) {
                target.heldBy(use);
            }
        }
    }

    private @Nullable Instant interruptionTime(Offer offer, PurchaseOption option, Instant now) {
        if (option != PurchaseOption.SPOT || offer.interruptionRatePerHour() == 0) {
            return null;
        }
        // Inverse-CDF draw of an exponential waiting time; 1 - u is in (0, 1], so the log is finite.
        double hours = -Math.log(1 - interruptionRandom.nextDouble()) / offer.interruptionRatePerHour();
        double nanos = hours * 3.6e12;
        if (nanos > Long.MAX_VALUE / 2.0) {
            return null;
        }
        return now.plus(Duration.ofNanos((long) nanos));
    }

    /** Builds a {@link SimulatedCloud}; not thread-safe, and the built cloud does not see later changes. */
    public static final class Builder {

        private Clock clock = Clock.systemUTC();
        private long seed;
        private List<Offer> catalogue = DefaultCatalogue.offers();
        private final Map<QuotaKey, Integer> quotas = new HashMap<>();
        private int defaultQuota = 256;
        private final Map<OfferKey, Integer> capacities = new HashMap<>();
        private int defaultCapacity = 1_000;
        private double throttleRatePerSecond;
        private int throttleBurst;
        private double timeoutProbability;
        private @Nullable Duration endedRetention;

        private Builder() {
        }

        /**
         * The clock that drives boot, interruptions, throttling and cost.
         *
         * @param value the clock, such as a {@link MutableClock}
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The seed of the random sources for spot interruptions and timeouts.
         *
         * @param value any seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Replaces the catalogue.
         *
         * @param offers the offers, non-empty, at most one per instance type and region
         * @return this builder
         * @throws IllegalArgumentException if {@code offers} is empty
         */
        public Builder catalogue(Collection<Offer> offers) {
            Objects.requireNonNull(offers, "offers");
            if (offers.isEmpty()) {
                throw new IllegalArgumentException("offers must not be empty");
            }
            this.catalogue = List.copyOf(offers);
            return this;
        }

        /**
         * Sets the quota of one family in one region.
         *
         * @param region the region
         * @param family the instance family
         * @param maxInstances the most active instances allowed, non-negative
         * @return this builder
         */
        public Builder quota(String region, String family, int maxInstances) {
            quotas.put(new QuotaKey(Objects.requireNonNull(region, "region"), Objects.requireNonNull(family, "family")),
                    nonNegative(maxInstances, "maxInstances"));
            return this;
        }

        /**
         * Sets the quota of every family and region without its own.
         *
         * @param maxInstances the most active instances allowed per region and family, non-negative
         * @return this builder
         */
        public Builder defaultQuota(int maxInstances) {
            this.defaultQuota = nonNegative(maxInstances, "maxInstances");
            return this;
        }

        /**
         * Sets the capacity of one offer.
         *
         * @param region the region
         * @param instanceType the instance type
         * @param maxInstances the most active instances the offer can hold, non-negative
         * @return this builder
         */
        public Builder capacity(String region, String instanceType, int maxInstances) {
            capacities.put(new OfferKey(Objects.requireNonNull(region, "region"),
                    Objects.requireNonNull(instanceType, "instanceType")), nonNegative(maxInstances, "maxInstances"));
            return this;
        }

        /**
         * Sets the capacity of every offer without its own.
         *
         * @param maxInstances the most active instances per offer, non-negative
         * @return this builder
         */
        public Builder defaultCapacity(int maxInstances) {
            this.defaultCapacity = nonNegative(maxInstances, "maxInstances");
            return this;
        }

        /**
         * Throttles every call with a token bucket on the clock, starting full.
         *
         * @param callsPerSecond the sustained rate, finite and positive
         * @param burst the bucket size: how many calls may come at once, positive
         * @return this builder
         */
        public Builder throttle(double callsPerSecond, int burst) {
            if (!(callsPerSecond > 0) || !Double.isFinite(callsPerSecond)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "callsPerSecond must be finite and positive, was %s", callsPerSecond));
            }
            if (burst <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "burst must be positive, was %d", burst));
            }
            this.throttleRatePerSecond = callsPerSecond;
            this.throttleBurst = burst;
            return this;
        }

        /**
         * The probability that a mutation (provision, release, configure, including replays) is
         * applied and then reported as {@link Kind#TIMED_OUT}.
         *
         * @param probability between 0 and 1
         * @return this builder
         */
        public Builder timeoutAfterApplyProbability(double probability) {
            if (!(probability >= 0 && probability <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "probability must be between 0 and 1, was %s", probability));
            }
            this.timeoutProbability = probability;
            return this;
        }

        /**
         * How long an instance is still described after it ended, on the clock, before the cloud forgets it. By
         * default the cloud remembers every instance and every key for its life, which tests of the provider
         * contract and of reconciling rely on; a replay of months at a large fleet needs a retention to fit in
         * memory, as real providers have one (an ended EC2 instance is shown for about an hour).
         *
         * <p>With a retention, an instance that ended (released, or interrupted) more than {@code retention}
         * before a call is no longer described, and is forgotten with its snapshot and index entries: a release
         * or configure naming it fails with {@link Kind#INVALID_REQUEST} as for an id never launched, and
         * {@link SimulatedCloud#accruedCost(String)} refuses it. Its cost stays in {@link SimulatedCloud#accruedCost()},
         * to the last digit. Active instances are never forgotten, however old. A mutation's key is remembered
         * while any instance its result holds is, so a repeat within the retention returns the original result;
         * once the last of them is forgotten the key is too, and a request under it is a first request, as for
         * cloud APIs whose idempotency tokens expire (a token older than its validity is treated as a new
         * request): it is applied again. A retry comes seconds or minutes after its request, so a retention
         * longer than any retry and reconcile makes that a question of stale keys only. Forgetting is final:
         * setting the clock back does not bring an instance back, though it would have been active then.
         *
         * @param retention non-negative; zero forgets an instance as soon as the clock passes its end
         * @return this builder
         */
        public Builder endedRetention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isNegative()) {
                throw new IllegalArgumentException("retention must not be negative, was " + retention);
            }
            this.endedRetention = retention;
            return this;
        }

        /**
         * Builds the cloud.
         *
         * @return a new cloud with no instances
         * @throws IllegalArgumentException if the catalogue holds an instance type twice in a region, or
         *     a quota or capacity names a family or offer the catalogue does not hold
         */
        public SimulatedCloud build() {
            return new SimulatedCloud(this);
        }

        private static int nonNegative(int value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must not be negative, was %d", name, value));
            }
            return value;
        }
    }
}
