package io.fleetpredict.core.provision;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.core.internal.ActiveFleetSnapshot;
import io.fleetpredict.core.internal.Nanos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CloudProvider} wrapped so that calling it is safe to repeat.
 *
 * <ul>
 *   <li>Every call runs under a time limit (on an executor); a call that does not answer in time is
 *       reported as {@link Kind#TIMED_OUT}. Its thread is interrupted; a provider must then give up
 *       ({@link CloudProvider}'s contract), which a blocking read without a time limit does not. An attempt
 *       still running after it timed out is counted ({@link #stuckCalls()}, with a warning): while
 *       {@code maxStuckCalls} of them run, no new attempt is started (the call fails
 *       {@link Kind#TRANSIENT}, nothing sent), so a provider that hangs holds at most
 *       {@code maxStuckCalls} threads, plus one for each call made at the same moment as the last of
 *       them.</li>
 *   <li>A mutation is not sent again while an earlier attempt of the same call, under the same
 *       idempotency key, is still running in the provider: the call ends {@link Kind#TIMED_OUT} instead,
 *       so no provider sees two requests under one key at once.</li>
 *   <li>A stray runtime exception from the provider becomes a {@link CloudException}:
 *       {@link Kind#TIMED_OUT} for a mutation (it may have been applied), {@link Kind#TRANSIENT} for a
 *       read. So does an answer that breaks the contract: {@code null} from any call, or a result that
 *       answers another request than the one sent; the exception names the provider and the call.</li>
 *   <li>A describe answers only the instances its request matches ({@link DescribeRequest#matches}): any
 *       others a provider lists, a filter it does not apply, are left out, with a warning the first time,
 *       so that no caller acts on instances it did not ask about (another fleet's, or ended ones).</li>
 *   <li>Retryable kinds are retried, with the same request and so the same idempotency key, after an
 *       exponential backoff with full jitter (a uniform draw between zero and
 *       {@code min(maxDelay, baseDelay * 2^(attempt-1))}), up to {@code maxAttempts} attempts per call
 *       and within a retry budget shared by all calls.</li>
 *   <li>After {@link Kind#TIMED_OUT} a mutation is reconciled with {@link CloudProvider#describe}
 *       before any retry: a provision whose instances show up under its key is answered from them. Not
 *       shown, the call's outcome stays unknown: however its later attempts fail (a retry refused as
 *       {@link Kind#TRANSIENT} did nothing itself, which says nothing of the attempt that timed out), the
 *       call ends {@link Kind#TIMED_OUT}, so that its caller looks for what it may have done.</li>
 *   <li>{@link Kind#CAPACITY_UNAVAILABLE} on a provision is not retried: the caller routes around it
 *       (the {@link PreProvisioner} backs the offer off and uses the next cheapest one).</li>
 *   <li>Within a {@code FleetPredictor} cycle, what each launch and release answered keeps the cycle's one
 *       describe of the fleet's active instances current, so that the cycle need not describe them again; a
 *       mutation that fails makes the cycle describe them afresh.</li>
 * </ul>
 *
 * <p>Thread-safe. Waiting goes through the {@link Sleeper}, so tests run in simulated time.
 */
public final class GuardedCloud implements CloudProvider {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedCloud.class);
    private static final ExecutorService DEFAULT_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fleetpredict-cloud-call");
        t.setDaemon(true);
        return t;
    });

    private enum Op { CAPABILITIES, OFFERS, PROVISION, RELEASE, DESCRIBE, CONFIGURE }

    private final CloudProvider delegate;
    private final Sleeper sleeper;
    private final Duration callTimeout;
    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final RetryBudget budget;
    private final SplittableRandom random;
    private final ExecutorService executor;
    private final Duration describeLag;
    private final AtomicLong excludedOffers = new AtomicLong();
    private final AtomicBoolean warnedUnmatched = new AtomicBoolean();
    private final int maxStuckCalls;
    /** Attempts that timed out and whose thread is still in the provider. */
    private final AtomicInteger stuck = new AtomicInteger();

    private GuardedCloud(Builder b) {
        this.delegate = b.delegate;
        this.sleeper = b.sleeper;
        this.callTimeout = b.callTimeout;
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.budget = new RetryBudget(b.budgetRatio, b.budgetReserve);
        // SplittableRandom mixes its seed, so guards seeded 0, 1, 2, ... do not draw alike.
        this.random = new SplittableRandom(b.seed);
        this.executor = b.executor;
        this.describeLag = b.describeLag;
        this.maxStuckCalls = b.maxStuckCalls;
    }

    /**
     * Starts building a guard around a provider, with at most 5 attempts per call, backoff from 200 ms
     * to 20 s, a retry budget of 20% of calls plus 50 in reserve, a 30 s call timeout and
     * {@link Sleeper#system()}.
     *
     * @param delegate the provider to guard
     * @return a builder
     */
    public static Builder builder(CloudProvider delegate) {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * The provider this guard wraps.
     *
     * @return the delegate
     */
    public CloudProvider delegate() {
        return delegate;
    }

    /**
     * The most attempts this guard makes for one call.
     *
     * @return the attempt limit
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** The time limit of one call; zero for none. */
    Duration callTimeout() {
        return callTimeout;
    }

    /**
     * The longest a provision through this guard can take before its caller learns how it ended, and
     * describe shows what it did: every attempt timing out, each followed by the wait for describe and
     * a describe that times out as well, with the longest backoff drawn between attempts, and the
     * describe lag once more after the last. Empty when calls have no time limit.
     */
    Optional<Duration> longestProvision() {
        if (callTimeout.isZero()) {
            return Optional.empty();
        }
        double lag = nanos(describeLag);
        double total = maxAttempts * (2 * nanos(callTimeout) + lag) + lag;
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            double ceiling = nanos(baseDelay) * Math.pow(2, attempt - 1);
            if (ceiling >= nanos(maxDelay)) {
                // Every later backoff is at most maxDelay too; maxAttempts may be large.
                total += (double) (maxAttempts - attempt) * nanos(maxDelay);
                break;
            }
            total += ceiling;
        }
        // The cast saturates at about 292 years, which no grace is compared against in earnest.
        return Optional.of(Duration.ofNanos((long) total));
    }

    @Override
    public String name() {
        return delegate.name();
    }

    /**
     * The provider's capabilities.
     *
     * @throws CloudException of kind {@link Kind#TRANSIENT} if the provider answers {@code null}
     */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> declared = delegate.capabilities();
        if (declared == null) {
            throw new CloudException(Kind.TRANSIENT, brokenContract(Op.CAPABILITIES, "returned null"));
        }
        return declared;
    }

    /**
     * The provider's offers, less any that cannot be priced safely: a missing entry, or a price so high
     * that a fleet of them would cost more than a {@code double} holds. Such an offer is left out and
     * counted ({@link #excludedOffers()}), so one poisoned entry does not cost the others.
     */
    @Override
    public List<Offer> offers() {
        List<Offer> offered = call(Op.OFFERS, delegate::offers, r -> true, Optional::empty);
        List<Offer> usable = new ArrayList<>(offered.size());
        for (Offer offer : offered) {
            if (offer != null && priceable(offer.onDemandPricePerHour())
                    && (offer.spotPricePerHour().isEmpty() || priceable(offer.spotPricePerHour().getAsDouble()))) {
                usable.add(offer);
            } else {
                excludedOffers.incrementAndGet();
                LOG.warn("offer left out, its price cannot be summed safely: {}", offer == null ? "null"
                        : String.format(Locale.ROOT, "'%s' in '%s' at %s per hour", offer.instanceType(),
                                offer.region(), offer.onDemandPricePerHour()));
            }
        }
        return List.copyOf(usable);
    }

    /** A price per hour that stays finite for the largest fleet over a leap year. */
    static boolean priceable(double pricePerHour) {
        return Double.isFinite(pricePerHour * Integer.MAX_VALUE * 24.0 * 366);
    }

    /**
     * How many attempts timed out and are still running in the provider now: threads a provider that
     * ignores interruption holds. At most {@code maxStuckCalls} plus the calls made at once (see the
     * class description).
     *
     * @return the count
     */
    public int stuckCalls() {
        return stuck.get();
    }

    /**
     * How many offers {@link #offers()} has left out since this guard was built.
     *
     * @return the count
     */
    public long excludedOffers() {
        return excludedOffers.get();
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        Objects.requireNonNull(request, "request");
        ProvisionResult result = mutation(() -> call(Op.PROVISION, () -> delegate.provision(request),
                r -> request.equals(r.request()), () -> reconcileProvision(request)));
        ActiveFleetSnapshot.current().ifPresent(s -> s.launched(result.instances()));
        return result;
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        Objects.requireNonNull(request, "request");
        ReleaseResult result = mutation(() -> call(Op.RELEASE, () -> delegate.release(request),
                r -> request.equals(r.request()), () -> reconcileRelease(request)));
        ActiveFleetSnapshot.current().ifPresent(s -> s.released(request.instanceIds()));
        return result;
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        Objects.requireNonNull(request, "request");
        return call(Op.DESCRIBE, () -> matching(request, delegate.describe(request)), r -> true, Optional::empty);
    }

    /**
     * The answer with only the instances the request matches. A provider that lists more than it was asked
     * for (a filter it does not apply) breaks its contract, and each caller would act on instances it did not
     * ask about: give another fleet's up as stuck, release them in a scale-in, count them as ready capacity,
     * adopt them into a launch. They are left out, with a warning the first time.
     */
    private @Nullable DescribeResult matching(DescribeRequest request, @Nullable DescribeResult answer) {
        if (answer == null) {
            return null;
        }
        List<Instance> matched = answer.instances().stream().filter(request::matches).toList();
        int extra = answer.instances().size() - matched.size();
        if (extra == 0) {
            return answer;
        }
        // The request's sizes, not its sets: a request by id may name the whole fleet.
        String broken = brokenContract(Op.DESCRIBE, String.format(Locale.ROOT,
                "listed %d instances the request does not match (tags %s, states %s, %d keys, %d ids); left out",
                extra, request.tags(), request.states(), request.idempotencyKeys().size(),
                request.instanceIds().size()));
        if (warnedUnmatched.compareAndSet(false, true)) {
            LOG.warn("{} (said once; later ones at debug)", broken);
        } else {
            LOG.debug(broken);
        }
        return new DescribeResult(answer.asOf(), matched);
    }

    @Override
    public ConfigureResult configure(ConfigureRequest request) {
        Objects.requireNonNull(request, "request");
        if (!capabilities().contains(Capability.CONFIGURE)) {
            throw new UnsupportedOperationException(delegate.name() + " does not support configure");
        }
        return mutation(() -> call(Op.CONFIGURE, () -> delegate.configure(request), r -> request.equals(r.request()),
                () -> reconcileConfigure(request)));
    }

    /**
     * Runs a mutation. One that fails drops the answer of the cycle's snapshot of the fleet's active instances,
     * if one is open on this thread ({@link ActiveFleetSnapshot}): what the call did is not known, so the next
     * look at the fleet describes it afresh. One that answers is told to the snapshot by its caller here.
     */
    private static <T> T mutation(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            ActiveFleetSnapshot.current().ifPresent(ActiveFleetSnapshot::dropAnswer);
            throw e;
        }
    }

    /**
     * Calls the provider under the guard.
     *
     * @param answers whether a result answers the call (a mutation's result must answer the request sent)
     * @param reconcile what describe shows of the call's effect, for a mutation whose answer was lost
     */
    private <T> T call(Op op, Supplier<@Nullable T> action, Predicate<T> answers, Supplier<Optional<T>> reconcile) {
        budget.onCall();
        boolean mutation = op == Op.PROVISION || op == Op.RELEASE || op == Op.CONFIGURE;
        // Set once an attempt of a mutation timed out and describe did not show what it did: from then on the
        // call's outcome is unknown, whatever later attempts answer, since a later attempt's failure says only
        // that it did nothing itself, not that the attempt which timed out did nothing.
        @Nullable CloudException unresolved = null;
        // The attempt of this call last sent, to tell whether it is still running in the provider.
        Attempt last = null;
        for (int attempt = 1; ; attempt++) {
            CloudException failure;
            if (mutation && last != null && last.stillRunning()) {
                // Sending the key again while the provider still works on it would put two requests under one
                // key in flight at once, and add a thread per attempt to a provider that hangs.
                throw unknownIf(unresolved, new CloudException(Kind.TIMED_OUT, "attempt " + (attempt - 1)
                        + " is still running in the provider; not sent again under the same idempotency key"),
                        String.format(Locale.ROOT, "%s failed after %d attempts: attempt %d is still running in "
                                + "the provider, not sent again under the same idempotency key",
                                op.name().toLowerCase(Locale.ROOT), attempt - 1, attempt - 1));
            }
            last = new Attempt();
            try {
                T answer = timed(op, action, mutation, last);
                if (answer != null && answers.test(answer)) {
                    return answer;
                }
                return fromDescribe(op, answer, mutation, reconcile);
            } catch (CloudException e) {
                failure = e;
            }
            if (!failure.retryable() || (op == Op.PROVISION && failure.kind() == Kind.CAPACITY_UNAVAILABLE)) {
                throw unresolved == null ? failure : unknownIf(unresolved, failure, String.valueOf(failure.getMessage()));
            }
            if (attempt >= maxAttempts) {
                throw unknownIf(unresolved, failure, String.format(Locale.ROOT, "%s failed after %d attempts: %s",
                        op.name().toLowerCase(Locale.ROOT), attempt, failure.getMessage()));
            }
            if (failure.kind() == Kind.TIMED_OUT) {
                if (mutation) {
                    awaitDescribe(failure);
                }
                Optional<T> found = quietly(reconcile);
                if (found.isPresent()) {
                    LOG.debug("{} timed out but was applied; answered from describe", op);
                    return found.get();
                }
                if (mutation && unresolved == null) {
                    unresolved = failure;
                }
            }
            if (!budget.tryRetry()) {
                throw unknownIf(unresolved, failure, String.format(Locale.ROOT,
                        "%s failed and the retry budget is spent: %s", op.name().toLowerCase(Locale.ROOT),
                        failure.getMessage()));
            }
            Duration delay = backoff(attempt);
            LOG.debug("{} attempt {} failed with {}; retrying in {}", op, attempt, failure.kind(), delay);
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException(unresolved != null ? Kind.TIMED_OUT : failure.kind(),
                        "interrupted while backing off: " + failure.getMessage(), e);
            }
        }
    }

    /**
     * The failure a call ends with: of the last attempt's kind, or {@link Kind#TIMED_OUT} when an earlier attempt
     * of the mutation timed out unresolved, so that the caller looks for what it may have done (by describe, by
     * its idempotency key) rather than take it for nothing applied.
     */
    private static CloudException unknownIf(@Nullable CloudException unresolved, CloudException last, String message) {
        if (unresolved == null || last.kind() == Kind.TIMED_OUT) {
            return new CloudException(last.kind(), message, last);
        }
        CloudException unknown = new CloudException(Kind.TIMED_OUT, message + "; an earlier attempt timed out ("
                + unresolved.getMessage() + ") and describe did not show whether it was applied", last);
        unknown.addSuppressed(unresolved);
        return unknown;
    }

    /** Full jitter: uniform in [0, min(maxDelay, baseDelay * 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        double ceiling = Math.min(nanos(maxDelay), nanos(baseDelay) * Math.pow(2, attempt - 1));
        double u;
        synchronized (random) {
            u = random.nextDouble();
        }
        // The cast saturates: a delay is at most a long of nanoseconds, about 292 years.
        return Duration.ofNanos((long) (u * ceiling));
    }

    /** Nanoseconds as a double: {@code toNanos()} overflows for durations of about 292 years and more. */
    private static double nanos(Duration d) {
        return d.getSeconds() * 1e9 + d.getNano();
    }

    /**
     * One attempt run on the executor: whether its thread is in the provider, and whether it was left
     * there when the attempt timed out, counted in {@link #stuck} until it returns.
     */
    private final class Attempt {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;
        private final AtomicInteger state = new AtomicInteger(NEW);

        /** On the executor's thread, before the provider is called: false if the attempt was given up unstarted. */
        boolean start() {
            return state.compareAndSet(NEW, RUNNING);
        }

        /** On the executor's thread, once the provider returned or threw. */
        void finish() {
            if (!state.compareAndSet(RUNNING, DONE)) {
                state.set(DONE);
                stuck.decrementAndGet();
            }
        }

        /** On the caller's thread, once it stopped waiting: counts the attempt if the provider still has it. */
        void abandon(Op op) {
            if (state.compareAndSet(NEW, DONE)) {
                return;
            }
            // Counted before it is marked, so that a finish() which sees the mark has a count to take back.
            int now = stuck.incrementAndGet();
            if (state.compareAndSet(RUNNING, ABANDONED)) {
                LOG.warn("{} {}: still running after {} and interrupted; {} calls to it are stuck (a provider "
                        + "should give up when interrupted)", delegate.name(), op.name().toLowerCase(Locale.ROOT),
                        callTimeout, now);
            } else {
                stuck.decrementAndGet();
            }
        }

        boolean stillRunning() {
            return state.get() == ABANDONED;
        }
    }

    private <T> T timed(Op op, Supplier<T> action, boolean mutation, Attempt attempt) {
        if (callTimeout.isZero()) {
            return guard(op, action, mutation);
        }
        int held = stuck.get();
        if (held >= maxStuckCalls) {
            // Nothing is sent, so even a mutation is known to have done nothing here.
            throw new CloudException(Kind.TRANSIENT, String.format(Locale.ROOT, "%s not sent: %d calls to %s are "
                    + "still running after timing out, the most this guard leaves in a provider (maxStuckCalls)",
                    op.name().toLowerCase(Locale.ROOT), held, delegate.name()));
        }
        Callable<T> task = () -> {
            if (!attempt.start()) {
                return null;
            }
            try {
                return guard(op, action, mutation);
            } finally {
                attempt.finish();
            }
        };
        Future<T> future = executor.submit(task);
        try {
            return future.get(Nanos.atMost(callTimeout, Long.MAX_VALUE), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            attempt.abandon(op);
            throw new CloudException(Kind.TIMED_OUT, String.format(Locale.ROOT,
                    "%s gave no answer within %s", op.name().toLowerCase(Locale.ROOT), callTimeout), e);
        } catch (InterruptedException e) {
            future.cancel(true);
            attempt.abandon(op);
            Thread.currentThread().interrupt();
            throw new CloudException(mutation ? Kind.TIMED_OUT : Kind.TRANSIENT, "interrupted while waiting for "
                    + op.name().toLowerCase(Locale.ROOT), e);
        } catch (ExecutionException e) {
            Throwable thrown = e.getCause();
            Throwable cause = thrown != null ? thrown : e;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CloudException(mutation ? Kind.TIMED_OUT : Kind.TRANSIENT, String.valueOf(cause), cause);
        }
    }

    private <T> T guard(Op op, Supplier<T> action, boolean mutation) {
        try {
            return action.get();
        } catch (CloudException | UnsupportedOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            // The provider broke its contract; a mutation may have been applied, so its outcome is unknown.
            throw new CloudException(mutation ? Kind.TIMED_OUT : Kind.TRANSIENT, String.format(Locale.ROOT,
                    "%s threw %s", op.name().toLowerCase(Locale.ROOT), e), e);
        }
    }

    /**
     * The answer to a call that returned without one the contract allows, or the failure it stands for. The
     * call returned, so what it did is what describe shows: a mutation shown applied is answered from
     * describe; not shown applied, it is a {@link Kind#TRANSIENT} failure, which a retry under the same
     * idempotency key repeats safely; if describe cannot tell, the outcome is unknown, as after a timeout. A
     * read changed nothing.
     *
     * @throws CloudException naming the provider and the call, when describe does not show it applied
     */
    private <T> T fromDescribe(Op op, @Nullable T answer, boolean mutation, Supplier<Optional<T>> reconcile) {
        String broken = brokenContract(op, answer == null ? "returned null"
                : "answered another request than the one sent: " + answer);
        if (!mutation) {
            throw new CloudException(Kind.TRANSIENT, broken);
        }
        awaitDescribe(new CloudException(Kind.TIMED_OUT, broken));
        Optional<T> found;
        try {
            found = reconcile.get();
        } catch (CloudException | IllegalArgumentException e) {
            throw new CloudException(Kind.TIMED_OUT, broken + ", and describe cannot tell what it did: " + e, e);
        }
        if (found.isEmpty()) {
            throw new CloudException(Kind.TRANSIENT, broken + "; describe does not show it applied");
        }
        LOG.warn("{}; describe shows it applied, answered from describe", broken);
        return found.get();
    }

    /** Waits for describe to catch up with a mutation, when the provider's describe lags. */
    private void awaitDescribe(CloudException failure) {
        if (describeLag.isZero()) {
            return;
        }
        // A describe that catches up within a bound shows an applied mutation only after it.
        try {
            sleeper.sleep(describeLag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CloudException(failure.kind(), "interrupted while waiting for describe: "
                    + failure.getMessage(), e);
        }
    }

    private String brokenContract(Op op, String what) {
        return String.format(Locale.ROOT, "provider %s broke its contract: %s %s", delegate.name(),
                op.name().toLowerCase(Locale.ROOT), what);
    }

    private <T> Optional<T> quietly(Supplier<Optional<T>> reconcile) {
        try {
            return reconcile.get();
        } catch (CloudException | IllegalArgumentException e) {
            LOG.debug("reconcile by describe failed: {}", e.toString());
            return Optional.empty();
        }
    }

    /** One describe, under the time limit and without retries, for a mutation's reconciliation. */
    private List<Instance> describeOnce(DescribeRequest request) {
        DescribeResult result = timed(Op.DESCRIBE, () -> matching(request, delegate.describe(request)), false,
                new Attempt());
        if (result == null) {
            throw new CloudException(Kind.TRANSIENT, brokenContract(Op.DESCRIBE, "returned null"));
        }
        return result.instances();
    }

    private Optional<ProvisionResult> reconcileProvision(ProvisionRequest request) {
        List<Instance> found = describeOnce(DescribeRequest.all().withIdempotencyKey(request.idempotencyKey()));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ProvisionResult(request, found));
    }

    private Optional<ReleaseResult> reconcileRelease(ReleaseRequest request) {
        List<Instance> found = describeOnce(DescribeRequest.all().withInstanceIds(request.instanceIds()));
        if (found.size() != request.instanceIds().size() || found.stream().anyMatch(i -> i.state().active())) {
            return Optional.empty();
        }
        return Optional.of(new ReleaseResult(request, found));
    }

    private Optional<ConfigureResult> reconcileConfigure(ConfigureRequest request) {
        List<Instance> found = describeOnce(DescribeRequest.all().withInstanceIds(request.instanceIds()));
        boolean applied = found.size() == request.instanceIds().size() && found.stream()
                .allMatch(i -> i.configuration().entrySet().containsAll(request.settings().entrySet()));
        return applied ? Optional.of(new ConfigureResult(request, found)) : Optional.empty();
    }

    /** Builds a {@link GuardedCloud}; not thread-safe. */
    public static final class Builder {
        private final CloudProvider delegate;
        private Sleeper sleeper = Sleeper.system();
        private Duration callTimeout = Duration.ofSeconds(30);
        private int maxAttempts = 5;
        private Duration baseDelay = Duration.ofMillis(200);
        private Duration maxDelay = Duration.ofSeconds(20);
        private double budgetRatio = 0.2;
        private int budgetReserve = 50;
        private long seed = System.nanoTime();
        private Duration describeLag = Duration.ZERO;
        private ExecutorService executor = DEFAULT_EXECUTOR;
        private int maxStuckCalls = 8;

        private Builder(CloudProvider delegate) {
            this.delegate = delegate;
        }

        /**
         * How to wait between attempts.
         *
         * @param value the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The longest one call may take before it counts as timed out; zero runs calls on the caller's
         * thread without a limit. One longer than {@link Long#MAX_VALUE} nanoseconds (about 292 years) counts
         * as that long.
         *
         * @param value not negative
         * @return this builder
         */
        public Builder callTimeout(Duration value) {
            Objects.requireNonNull(value, "callTimeout");
            if (value.isNegative()) {
                throw new IllegalArgumentException("callTimeout must not be negative, was " + value);
            }
            this.callTimeout = value;
            return this;
        }

        /**
         * The most attempts per call, the first included.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxAttempts(int value) {
            if (value < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "maxAttempts must be at least 1, was %d", value));
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * The backoff range: the ceiling of the first retry's delay, doubling per attempt up to {@code max}.
         *
         * @param base positive
         * @param max at least {@code base}
         * @return this builder
         */
        public Builder backoff(Duration base, Duration max) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(max, "max");
            if (base.isZero() || base.isNegative() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < base <= max, was " + base + " and " + max);
            }
            this.baseDelay = base;
            this.maxDelay = max;
            return this;
        }

        /**
         * The retry budget: retries may add at most {@code ratio} of the calls made, plus {@code reserve}.
         *
         * @param ratio between 0 and 1
         * @param reserve not negative
         * @return this builder
         */
        public Builder retryBudget(double ratio, int reserve) {
            if (!(ratio >= 0 && ratio <= 1) || reserve < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "retryBudget needs 0 <= ratio <= 1 and reserve >= 0, was %s and %d", ratio, reserve));
            }
            this.budgetRatio = ratio;
            this.budgetReserve = reserve;
            return this;
        }

        /**
         * How long the provider's {@code describe} may take to show a mutation it applied; zero (the
         * default) for a provider whose describe is current. After a mutation times out the guard waits
         * this long before it asks describe whether the mutation was applied, so a provider that does not
         * de-duplicate by idempotency key still launches nothing twice when its describe is consistent
         * within this bound.
         *
         * @param value not negative
         * @return this builder
         */
        public Builder describeLag(Duration value) {
            Objects.requireNonNull(value, "describeLag");
            if (value.isNegative()) {
                throw new IllegalArgumentException("describeLag must not be negative, was " + value);
            }
            this.describeLag = value;
            return this;
        }

        /**
         * The seed of the jitter.
         *
         * @param value any seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * The executor calls run on when a call timeout is set; by default a shared pool of daemon threads.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(ExecutorService value) {
            this.executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * The most attempts that may stay running in the provider after timing out before the guard starts
         * no new one (8 by default): the bound on the threads a provider that hangs and ignores
         * interruption holds, give or take the calls made at the same moment.
         *
         * @param value at least 1
         * @return this builder
         */
        public Builder maxStuckCalls(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxStuckCalls must be at least 1, was " + value);
            }
            this.maxStuckCalls = value;
            return this;
        }

        /**
         * Builds the guard.
         *
         * @return a thread-safe guard
         */
        public GuardedCloud build() {
            return new GuardedCloud(this);
        }
    }
}
