package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.internal.Checks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Turns a provisional fleet state into running instances: the cost gate first, then, in
 * {@link Mode#APPLY} only, for each approved change in priority order that is due (its launch time is
 * before the gate's next cycle), an intent written to the store, then the call through the
 * {@link GuardedCloud}, then the commit of the new fleet state. A scale-out provisions and configures
 * new instances; a scale-in releases instances of its group, booting ones first (newest first: they
 * serve nobody yet and stop costing at once), then the newest ready ones.
 *
 * <p>Guarantees:
 * <ul>
 *   <li><b>No duplicates.</b> Each launch's idempotency key is derived from the fleet, the change and
 *       what is launched, so a retry or a re-run after a crash cannot launch twice; a release's key from
 *       the fleet, the change and the instances it names.</li>
 *   <li><b>Nothing lost.</b> The intent is in the store before the cloud is called; a crash at any point
 *       leaves an open intent that {@link #reconcile} settles by asking the cloud what carries its key
 *       (a launch) or in what state its instances are (a release, released again under the same key if
 *       they still run).</li>
 *   <li><b>Capacity on its way counts.</b> A change provisions only what is neither in the fleet state nor
 *       in an open intent, so concurrent runs and re-runs of one plan do not launch the same demand twice;
 *       a scale-in releases only what is neither released nor on its way out, and never an instance an
 *       open release already names.</li>
 *   <li><b>Caps hold.</b> {@link HardCaps} bound every launch and release; only a logged
 *       {@link CapOverride} lifts them. No release takes a service below its SLA's on-demand base
 *       ({@link TierPolicy#minOnDemandCount()}, known when {@link Builder#slaPolicies} is set), whatever
 *       the plan or an override says.</li>
 *   <li><b>The gate's thresholds hold for stand-ins.</b> When a change's offer has no capacity, a stand-in
 *       of the same resources is launched only if the gate, asked again with what the stand-in costs beyond
 *       the approved price, keeps the changes it approved in the run under its thresholds; otherwise the
 *       change fails as {@code CAPACITY_UNAVAILABLE} with the figures in its message.</li>
 *   <li><b>Serialised on the version.</b> Every write is a compare-and-set; a caller that loses re-reads
 *       and decides again on the fresh state.</li>
 * </ul>
 *
 * <p>Thread-safe; one instance may serve many threads and fleets.
 */
public final class PreProvisioner {

    /** The tag every launched instance carries with its fleet's id; a host can find the fleet's instances by it. */
    public static final String TAG_FLEET = "fleetpredict.fleet";
    /** The tag every launched instance carries with the service it serves. */
    public static final String TAG_SERVICE = "fleetpredict.service";
    /** The tag every launched instance carries with the change it was launched for. */
    public static final String TAG_CHANGE = "fleetpredict.change";

    /**
     * The {@linkplain Builder#intentGrace intent grace} a provisioner has unless its builder is given
     * another or its guarded cloud's provisions can take longer, and so the one {@code FleetPredictor} runs
     * with by default: how old an open intent, or a done launch whose instances the cloud does not list,
     * must be before reconcile settles it: ten minutes.
     */
    public static final Duration DEFAULT_INTENT_GRACE = Duration.ofMinutes(10);

    /**
     * What a derived intent grace adds to the longest a guarded provision can take: the store's writes
     * around the call, and the difference between the clocks of two processes sharing a store.
     */
    static final Duration GRACE_MARGIN = Duration.ofMinutes(1);

    /**
     * The describe of a fleet's whole active fleet: every active instance carrying {@link #TAG_FLEET} with its id.
     * The reconcile's sweep of ended instances and the loop's ready capacity both ask exactly this, so that within
     * a cycle one answer serves both.
     *
     * @param fleetId the fleet
     * @return the request
     */
    public static DescribeRequest activeFleet(String fleetId) {
        return DescribeRequest.active().withTags(Map.of(TAG_FLEET, fleetId));
    }

    /** Whether a run may change anything. */
    public enum Mode {
        /** Gate and plan only; no call that changes the cloud or the store. The default. */
        PLAN_ONLY,
        /** Gate, then provision the approved changes. */
        APPLY
    }

    /** The boundaries between the steps of one launch; tests inject crashes at them. */
    enum Step { BEFORE_INTENT, AFTER_INTENT, AFTER_PROVISION, AFTER_CONFIGURE, AFTER_RELEASE, AFTER_COMMIT }

    // The work is done by package-private parts: ProvisioningRun carries a plan's changes out, each
    // through an intent that IntentJournal keeps; OfferChooser and ReleaseChooser pick what to launch and
    // release, CapAccounting holds both to the caps; Reconciler settles what a crash left open.
    private final GuardedCloud cloud;
    private final CostGate gate;
    private final Clock clock;
    private final Mode mode;
    private final Reconciler reconciler;
    private final ProvisioningRun run;

    private PreProvisioner(Builder b) {
        this.cloud = b.cloud instanceof GuardedCloud guarded ? guarded : GuardedCloud.builder(b.cloud).build();
        FleetStateStore store = Objects.requireNonNull(b.store, "store");
        this.gate = Objects.requireNonNull(b.gate, "gate");
        this.clock = b.clock;
        this.mode = b.mode;
        Duration retention = b.intentRetention.compareTo(b.caps.window()) < 0 ? b.caps.window() : b.intentRetention;
        IntentJournal journal = new IntentJournal(store, cloud, clock, retention);
        this.reconciler = new Reconciler(cloud, store, journal, clock, intentGrace(cloud, b.intentGrace),
                b.maxProvisioningTime, retention);
        this.run = new ProvisioningRun(cloud, store, gate, b.caps, clock, mode, journal, reconciler,
                new OfferChooser(b.policies, b.capacityBackoff), new ReleaseChooser(cloud, b.policies), b.checkpoint);
    }

    /**
     * The intent grace: the one given, which must exceed the longest a provision through the guard can take
     * (or reconcile in another process could settle an intent whose launch is still running, and the capacity
     * it was launching would be launched again); otherwise the default, or that longest plus a margin when it
     * is longer. A guard without a call timeout cannot say how long a provision takes, and any grace is taken.
     */
    static Duration intentGrace(GuardedCloud cloud, @Nullable Duration given) {
        Optional<Duration> longest = cloud.longestProvision();
        if (given == null) {
            Duration derived = longest.map(d -> d.plus(GRACE_MARGIN)).orElse(DEFAULT_INTENT_GRACE);
            return derived.compareTo(DEFAULT_INTENT_GRACE) > 0 ? derived : DEFAULT_INTENT_GRACE;
        }
        if (longest.isPresent() && given.compareTo(longest.get()) <= 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "intentGrace %s does not exceed the longest a provision through the guarded cloud can take, %s "
                            + "(%d attempts of a %s call timeout, each with a describe, and their backoffs and describe "
                            + "lag): reconcile could settle a launch still running and launch its capacity again; give "
                            + "a longer grace, or leave it out to have one derived",
                    given, longest.get(), cloud.maxAttempts(), cloud.callTimeout()));
        }
        return given;
    }

    /**
     * Starts building a pre-provisioner.
     *
     * @param cloud the provider; wrapped in a default {@link GuardedCloud} unless it already is one
     * @return a builder in {@link Mode#PLAN_ONLY} with {@link HardCaps#defaults()} and the UTC system clock
     */
    public static Builder builder(CloudProvider cloud) {
        return new Builder(Objects.requireNonNull(cloud, "cloud"));
    }

    /**
     * The mode runs use.
     *
     * @return plan-only or apply
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The cost gate's decision on a plan, without provisioning anything: the decision a run of the plan in
     * {@link Mode#PLAN_ONLY} reports, against the fleet's stored state, so what the plan's scale-outs
     * launched in earlier cycles (in whole or in part, or on its way in an open intent) costs nothing new.
     * A run in {@link Mode#APPLY} reconciles first and decides on what that settles, which differs only when
     * reconcile settles something.
     *
     * @param plan the provisional fleet state
     * @return the decision
     * @throws StateStoreException if the fleet's stored state is missing, unreadable or older than the plan
     * @throws CloudException if the offers cannot be read
     */
    public GateDecision gate(ProvisionalFleetState plan) {
        return run.gate(Objects.requireNonNull(plan, "plan"));
    }

    /**
     * Gates a plan and, in {@link Mode#APPLY}, carries out the approved changes that are due: scale-outs
     * are provisioned, scale-ins released; a change whose launch time is after the next cycle waits.
     *
     * @param plan the provisional fleet state
     * @return what was decided and done
     * @throws StateStoreException if the fleet's stored state is missing, unreadable or older than the
     *     plan; nothing was sent to the cloud
     * @throws CloudException if the offers cannot be read
     */
    public ProvisioningReport run(ProvisionalFleetState plan) {
        return run.run(Objects.requireNonNull(plan, "plan"), Optional.empty(), null);
    }

    /**
     * Like {@link #run(ProvisionalFleetState)}, under other caps; the override is logged at WARN. In
     * {@link Mode#APPLY} it is recorded in the audit log, the record of forced provisioning the expert overrides
     * keep too: a {@code CAPS_OVERRIDDEN} entry (author, reason, the configured caps and the override's) before
     * anything is sent to the cloud, and a {@code CAPS_OVERRIDE_CARRIED_OUT} entry under the same id with what
     * the run launched and released when it ends, even by an exception. A plan-only run sends nothing and
     * records nothing.
     *
     * @param plan the provisional fleet state
     * @param override the caps to use instead of the configured ones, why, and who decided it
     * @param audit the audit log the override is recorded in
     * @return what was decided and done
     * @throws java.io.UncheckedIOException if the audit log cannot be written: before the run, nothing was sent
     */
    public ProvisioningReport run(ProvisionalFleetState plan, CapOverride override, AuditLog audit) {
        Optional<CapOverride> given = Optional.of(Objects.requireNonNull(override, "override"));
        return run.run(Objects.requireNonNull(plan, "plan"), given, Objects.requireNonNull(audit, "audit"));
    }

    /**
     * Settles what a crash or a lost answer left open: each open launch intent older than the grace
     * period is resolved by asking the cloud which instances carry its idempotency key (counted in the
     * state if any, abandoned if none); each open release intent older than the grace period by asking
     * in what state its instances are (released again under the same key if any still runs, then taken
     * out of the state; an instance the cloud no longer lists has ended, and the others still running are
     * released under a key derived from the intent's); instances still not ready after the maximum
     * provisioning time are released; and instances that have ended (released, or spot instances
     * interrupted) are taken out of the state, as are those a done launch recorded that the cloud no
     * longer lists at all once the launch's intent is older than the grace period (a provider keeps an
     * ended instance only for a retention; a younger one may not be listed yet by a describe that lags a
     * launch). Running instances with the fleet's tag that the state counts but no intent holds, launched
     * more than the intent retention ago (their launch intents pruned by an earlier version), are
     * held again by a done launch intent, with the counts unchanged, so that their end is seen
     * ({@link ReconcileReport#orphans()}).
     *
     * @param fleetId the fleet
     * @return what was fixed
     * @throws StateStoreException if the fleet's stored state is missing or unreadable
     */
    public ReconcileReport reconcile(String fleetId) {
        return reconciler.reconcile(Objects.requireNonNull(fleetId, "fleetId"));
    }

    /** The fleet's cost per hour at current prices, with open intents at the price they were written with. */
    static double fleetCostPerHour(StoredFleet s, List<Offer> offers) {
        return CapAccounting.fleetCostPerHour(s, offers);
    }

    /** Builds a {@link PreProvisioner}; not thread-safe. */
    public static final class Builder {
        private final CloudProvider cloud;
        private @Nullable FleetStateStore store;
        private @Nullable CostGate gate;
        private HardCaps caps = HardCaps.defaults();
        private Clock clock = Clock.systemUTC();
        private Mode mode = Mode.PLAN_ONLY;
        private @Nullable SlaPolicies policies;
        private Duration maxProvisioningTime = Duration.ofMinutes(15);
        private @Nullable Duration intentGrace;
        private Duration capacityBackoff = Duration.ofMinutes(10);
        private Duration intentRetention = Duration.ofHours(24);
        private Consumer<Step> checkpoint = step -> { };

        private Builder(CloudProvider cloud) {
            this.cloud = cloud;
        }

        /**
         * The fleet state store; required.
         *
         * @param value the store
         * @return this builder
         */
        public Builder store(FleetStateStore value) {
            this.store = Objects.requireNonNull(value, "store");
            return this;
        }

        /**
         * The cost gate; required.
         *
         * @param value the gate
         * @return this builder
         */
        public Builder gate(CostGate value) {
            this.gate = Objects.requireNonNull(value, "gate");
            return this;
        }

        /**
         * The hard caps.
         *
         * @param value the caps
         * @return this builder
         */
        public Builder caps(HardCaps value) {
            this.caps = Objects.requireNonNull(value, "caps");
            return this;
        }

        /**
         * The clock.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Plan-only (the default) or apply.
         *
         * @param value the mode
         * @return this builder
         */
        public Builder mode(Mode value) {
            this.mode = Objects.requireNonNull(value, "mode");
            return this;
        }

        /**
         * The SLA policies: which families and regions may stand in when an offer has no capacity.
         *
         * @param value the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies value) {
            this.policies = Objects.requireNonNull(value, "slaPolicies");
            return this;
        }

        /**
         * How long an instance may stay pending after the cloud expected it ready ({@code Instance.readyAt()}: its
         * launch plus its offer's boot time) before reconcile gives up on it and releases it; 15 minutes by
         * default. Counted from the expected ready time, not the launch, so an offer that boots longer than this
         * is not given up while it boots.
         *
         * @param value positive
         * @return this builder
         */
        public Builder maxProvisioningTime(Duration value) {
            this.maxProvisioningTime = Checks.positive("maxProvisioningTime", value);
            return this;
        }

        /**
         * How old an open intent must be before reconcile settles it; it must exceed the longest a
         * guarded provision can take, so a live caller's intent is never settled under it. It is also how
         * old a done launch's intent must be before reconcile takes one of its instances that the cloud
         * does not list out of the state as ended, so it should exceed how long the provider's describe
         * may take to show a launch as well. Left out, it is {@link PreProvisioner#DEFAULT_INTENT_GRACE}, or,
         * when a provision through the guarded cloud can take longer (its attempts, call timeout, backoff and
         * describe lag allow it), that longest plus a minute.
         *
         * @param value positive
         * @return this builder
         */
        public Builder intentGrace(Duration value) {
            this.intentGrace = Checks.positive("intentGrace", value);
            return this;
        }

        /**
         * How long an offer that answered capacity unavailable is passed over.
         *
         * @param value positive
         * @return this builder
         */
        public Builder capacityBackoff(Duration value) {
            this.capacityBackoff = Checks.positive("capacityBackoff", value);
            return this;
        }

        /**
         * How long settled intents are kept after they were written (at least the caps' window; 24 hours
         * by default). A done launch is kept for as long as it holds the id of an instance the state
         * counts, however long that runs: it is how {@link PreProvisioner#reconcile(String)} sees the
         * instance end. Once all its instances have ended it is pruned like any other settled intent.
         * Running instances launched more than this long ago that no intent holds (a state an earlier
         * version wrote) are adopted by reconcile.
         *
         * @param value positive
         * @return this builder
         */
        public Builder intentRetention(Duration value) {
            this.intentRetention = Checks.positive("intentRetention", value);
            return this;
        }

        Builder checkpoint(Consumer<Step> value) {
            this.checkpoint = Objects.requireNonNull(value, "checkpoint");
            return this;
        }

        /**
         * Builds the pre-provisioner.
         *
         * @return a thread-safe pre-provisioner
         * @throws NullPointerException if the store or the gate is missing
         * @throws IllegalArgumentException if the intent grace given does not exceed the longest a provision
         *     through the guarded cloud can take (with a call timeout; the message says how that is counted)
         */
        public PreProvisioner build() {
            return new PreProvisioner(this);
        }
    }
}
