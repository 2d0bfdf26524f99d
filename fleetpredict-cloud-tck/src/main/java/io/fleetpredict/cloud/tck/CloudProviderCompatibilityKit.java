package io.fleetpredict.cloud.tck;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInfo;
/**
 * The checks every {@link CloudProvider} must pass. A host's whole test is a subclass:
 *
 * <pre>{@code
 * class MyCloudCompatibilityTest extends CloudProviderCompatibilityKit {
 *     protected CloudProvider createProvider() {
 *         return new MyCloud(...);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a provider from {@link #createProvider()}, tags everything it launches with a
 * fresh run id, and releases it afterwards, so the kit can run against a real account; it launches
 * at most a few instances of the cheapest offer at a time. Checks of optional abilities are skipped
 * (not failed) when the provider does not declare the {@link Capability}; checks that need time to
 * pass are skipped unless the subclass overrides {@link #advanceTime(Duration)}; checks of what an
 * instance costs are skipped unless it overrides {@link #accruedCost(String)}.
 *
 * <p>By default the kit expects describe to show a launch, release or configure as soon as the call
 * returns. A provider whose describe is eventually consistent, as EC2's is, declares how long it may lag
 * by overriding {@link #describeLag()}, and lets the kit wait through {@link #advanceTime(Duration)}.
 *
 * <p>Every call the kit makes to the provider, its cleanup's included, is bounded by {@link #callTimeout()}
 * (60 seconds by default): a call that does not return in time fails its check, naming the call and the limit,
 * and the kit goes on with the next check.
 *
 * <p>A call whose thread is interrupted must end within 5 seconds (or the call timeout, if shorter), with its
 * answer or a {@code CloudException}: the kit makes a describe and a provision on a thread interrupted before
 * the call, and, when the subclass overrides {@link #stallCloud()}, a describe interrupted while it waits on a
 * cloud that does not answer.
 */
public abstract class CloudProviderCompatibilityKit {

    /** The tag key that marks instances launched by one test. */
    protected static final String RUN_TAG = "fleetpredict-tck-run";

    private static final Map<String, List<Throwable>> CLEANUP_FAILURES = new ConcurrentHashMap<>();

    /** The first pause between two describes that wait for a change to show; each later one doubles. */
    private static final Duration FIRST_DESCRIBE_PAUSE = Duration.ofMillis(250);

    /** The longest pause between two describes, so a long declared lag is still polled every few seconds. */
    private static final Duration LONGEST_DESCRIBE_PAUSE = Duration.ofSeconds(5);

    /** What {@link #callTimeout()} answers unless overridden. */
    private static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(60);

    /** How long an interrupted call may take to end, unless the call timeout is shorter. */
    static final int INTERRUPTED_CALL_SECONDS = 5;

    /** How long a call on a stalled cloud runs before it is interrupted: long enough to be waiting on the cloud. */
    private static final Duration BEFORE_THE_INTERRUPT = Duration.ofMillis(300);

    private CloudProvider provider;
    /** The provider as created, not bounded: the interruption checks run its calls on threads of their own. */
    private CloudProvider created;
    /** The ids every provision of the running test returned: what its cleanup releases, listed or not yet. */
    private final Set<String> launched = ConcurrentHashMap.newKeySet();
    private String runId;
    private String checkName = "";
    private final AtomicInteger keySequence = new AtomicInteger();

    /** Creates the kit; subclasses are instantiated by JUnit. */
    protected CloudProviderCompatibilityKit() {
    }

    /**
     * Returns the provider under test. Called before each test; may return a fresh provider or a
     * shared one.
     *
     * @return the provider
     */
    protected abstract CloudProvider createProvider();

    /**
     * Lets time pass for the provider, such as by advancing its clock. The default skips the calling
     * test; a provider on a real clock may sleep instead.
     *
     * @param amount how much time must pass
     */
    protected void advanceTime(Duration amount) {
        Assumptions.abort("the provider under test cannot advance time; override advanceTime to run this check");
    }

    /**
     * What an instance has cost so far, from launch until release or now, if the provider reports it
     * (a simulator, or a billing API that answers in time). The default reports nothing, which skips
     * the checks that need it.
     *
     * @param instanceId an instance the provider under test launched
     * @return its cost so far, or empty if the provider does not report costs
     */
    protected OptionalDouble accruedCost(String instanceId) {
        return OptionalDouble.empty();
    }

    /**
     * How long the provider's describe may lag a change the provider made: how long after a provision,
     * release or configure has returned describe may still answer as before it. The default, zero,
     * expects describe to show every change at once.
     *
     * <p>With a positive lag, every check that reads describe after such a change asks again until the
     * answer shows the change, pausing between two describes through {@link #advanceTime(Duration)}
     * (a quarter of a second at first, doubling up to five seconds, never past the lag), and fails,
     * naming the check and the instances describe did not show as expected, once the pauses add up to
     * the lag. So a provider that declares a lag must also let time pass: a provider on a real clock
     * overrides {@code advanceTime} to sleep, or the checks that have to wait are skipped. Declare the
     * longest lag the provider documents, and no longer than the library's {@code intentGrace} (10
     * minutes by default): the library takes an instance describe does not show after that grace as ended.
     *
     * @return the longest lag, zero or positive
     */
    protected Duration describeLag() {
        return Duration.ZERO;
    }

    /**
     * How long the kit waits for any one call it makes to the provider ({@code provision}, {@code release},
     * {@code describe}, {@code configure}, {@code offers}, {@code capabilities}, {@code name}) before it fails the
     * check that made the call, with a message naming the check, the call with its request, and this limit:
     *
     * <pre>{@code
     * Provisioning gives every launched instance its own id: provision(ProvisionRequest[...]) did not return
     * within 60 s (the kit's callTimeout(); override it if the provider needs longer)
     * }</pre>
     *
     * <p>The default, 60 seconds, lets a real cloud's provisioning call take tens of seconds; it is twice the call
     * timeout the library's guard gives a provider by default (30 seconds), so a provider that needs longer than
     * this also needs a longer call timeout where the library runs it. The checks that call from many threads at
     * once wait for each thread at most this limit for every call it makes, plus one.
     *
     * <p>Each call runs on a daemon thread of the kit's own. One that does not return in time is interrupted and
     * left behind: it keeps neither the JVM nor the next check waiting, and the cleanup after the check asks the
     * provider within the same limit.
     *
     * @return the longest a call may take, positive
     */
    protected Duration callTimeout() {
        return DEFAULT_CALL_TIMEOUT;
    }

    /**
     * Makes the provider's calls wait on the cloud, as when the cloud does not answer, until the returned action
     * runs: lets the kit check that a call waiting on the cloud gives up when its thread is interrupted. The default
     * skips that check; a provider tested against a fake server overrides it to hold the server's answers back (the
     * Kubernetes provider's kit test delays its fake API server's answers). A call made while the cloud is stalled
     * must wait on it, or the check fails saying the stall did not hold it.
     *
     * @return the action that lets the provider's calls through again
     */
    protected Runnable stallCloud() {
        return Assumptions.abort("the kit cannot make the provider's cloud stall; override stallCloud to run this check");
    }

    /**
     * The offer the kit launches. The default is the cheapest on-demand offer.
     *
     * @param offers the provider's offers, non-empty
     * @return one of them
     */
    protected Offer offerUnderTest(List<Offer> offers) {
        return offers.stream().min(Comparator.comparingDouble(Offer::onDemandPricePerHour)).orElseThrow();
    }

    @BeforeEach
    final void startRun(TestInfo info) {
        String group = info.getTestClass().map(c -> c.getAnnotation(DisplayName.class)).map(DisplayName::value)
                .orElse("");
        checkName = group.isEmpty() ? info.getDisplayName() : group + " " + info.getDisplayName();
        created = createProvider();
        launched.clear();
        Duration limit = callTimeout();
        boolean limitValid = limit.compareTo(Duration.ZERO) > 0;
        // A limit that cannot be is refused below; the cleanup after the refused check still asks within the default.
        provider = new BoundedProvider(created, limitValid ? limit : DEFAULT_CALL_TIMEOUT, checkName, launched);
        runId = UUID.randomUUID().toString();
        keySequence.set(0);
        // Checked once the run has its provider, so the cleanup after the refused check has one to ask.
        Duration lag = describeLag();
        if (lag.isNegative()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "describeLag() of %s must be zero or positive, was %s", getClass().getName(), lag));
        }
        if (!limitValid) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "callTimeout() of %s must be positive, was %s", getClass().getName(), limit));
        }
    }

    /**
     * Releases what the test launched: the active instances describe lists with the run's tag, and those
     * of the instances its provisions returned that describe lists as active once asked by id (for up to the
     * declared lag), so that a launch a lagging describe has not listed yet is not left running on the
     * provider's account. When describe fails or does not return, every instance the test's provisions
     * returned is released all the same: the provider knows each (a release of one already ended leaves it
     * ended), and an instance left running on a real account costs money. A provider whose release or describe
     * is broken fails the checks of those operations; its cleanup failures are collected and reported once,
     * after the last test, instead of once beside every test that launched something.
     */
    @AfterEach
    final void releaseWhatTheRunLaunched() {
        Set<String> left = new TreeSet<>();
        Throwable failed = null;
        try {
            provider.describe(DescribeRequest.active().withTags(Map.of(RUN_TAG, runId))).instances()
                    .forEach(i -> left.add(i.id()));
            if (!launched.isEmpty()) {
                // A describe that lags may not list yet what a provision returned: each id is asked for until
                // listed or the declared lag has passed; one still not listed then has ended and been forgotten.
                DescribeRequest byId = DescribeRequest.all().withInstanceIds(Set.copyOf(launched));
                List<Instance> listed;
                try {
                    listed = describeWithinLag(byId, answer -> answer.size() < byId.instanceIds().size()
                            ? Optional.of("not all listed") : Optional.empty()).answer();
                } catch (RuntimeException e) {
                    // A provider that cannot let time pass (advanceTime not overridden): what it lists now.
                    listed = provider.describe(byId).instances();
                }
                listed.stream().filter(i -> i.state().active()).forEach(i -> left.add(i.id()));
            }
        } catch (RuntimeException | AssertionError e) {
            failed = e;
            // Without a describe, what is still running is not known: release whatever the test launched.
            left.addAll(launched);
        }
        try {
            if (!left.isEmpty()) {
                provider.release(ReleaseRequest.of(key("cleanup"), left));
            }
        } catch (RuntimeException | AssertionError e) {
            if (failed == null) {
                failed = e;
            } else {
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            // One failure per test, so the report counts the tests whose cleanup failed.
            CLEANUP_FAILURES.computeIfAbsent(getClass().getName(), k -> new CopyOnWriteArrayList<>()).add(failed);
        }
    }

    /**
     * Fails once if any cleanup failed, naming how many and the first failure.
     *
     * @param info the test class
     */
    @AfterAll
    static void reportCleanupFailuresOnce(TestInfo info) {
        List<Throwable> failures = info.getTestClass().map(c -> CLEANUP_FAILURES.remove(c.getName())).orElse(null);
        if (failures != null && !failures.isEmpty()) {
            AssertionError once = new AssertionError(String.format(Locale.ROOT,
                    "releasing what the tests launched failed after %d tests; the first failure: %s",
                    failures.size(), failures.get(0)), failures.get(0));
            throw once;
        }
    }

    /**
     * How many threads the stress checks run at once. The default, 16, shows an unsynchronised provider
     * in practice; a provider on a real account may lower it to bound what a run launches.
     *
     * @return the thread count, at least 2
     */
    protected int stressThreads() {
        return 16;
    }

    /**
     * How many single-instance launches each stress thread makes; the default is 4.
     *
     * @return the launches per thread, at least 1
     */
    protected int stressLaunchesPerThread() {
        return 4;
    }

    /** A fresh idempotency key for this run; safe to call from several threads. */
    String key(String purpose) {
        return runId + "-" + purpose + "-" + keySequence.incrementAndGet();
    }

    /** The provider of the running test. */
    CloudProvider provider() {
        return provider;
    }

    /** The id the running test tags its instances with. */
    String runId() {
        return runId;
    }

    /**
     * Runs a task on each of {@code threads} daemon threads, all started at once, and returns what each returned,
     * in thread order. Every provider call a task makes is bounded by {@link #callTimeout()}, so a thread is
     * waited for at most that limit for each of its calls, plus one for the rest of its work.
     *
     * @param threads how many threads
     * @param callsEach how many provider calls each task makes, at most
     * @param task the task of each thread, given its number
     * @return what each task returned
     * @throws AssertionError naming the call, when a provider call did not return in time; naming the thread's
     *     failure, when a task failed otherwise; or when a thread did not finish in time
     */
    <T> List<T> onThreads(int threads, int callsEach, IntFunction<Callable<T>> task) throws InterruptedException {
        long limitNanos = BoundedProvider.nanosAtMost(callTimeout());
        long waitNanos = limitNanos > Long.MAX_VALUE / (callsEach + 1) ? Long.MAX_VALUE : limitNanos * (callsEach + 1);
        ExecutorService pool = Executors.newFixedThreadPool(threads, BoundedProvider.daemonThreads("fleetpredict-tck-thread"));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<T> call = task.apply(t);
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get(Math.max(0, waitNanos - (System.nanoTime() - started)), TimeUnit.NANOSECONDS));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof BoundedProvider.CallTimedOut timedOut) {
                        throw timedOut;
                    }
                    throw new AssertionError("a thread failed: " + e.getCause(), e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError(String.format(Locale.ROOT,
                            "%s: a thread did not finish within %s, %d times the kit's callTimeout() of %s",
                            checkName, BoundedProvider.seconds(Duration.ofNanos(waitNanos)), callsEach + 1,
                            BoundedProvider.seconds(callTimeout())), e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** What a call on an interrupted thread did: its answer, or the {@code CloudException} it threw. */
    record Interrupted<T>(@Nullable T answer, @Nullable CloudException thrown) {
    }

    /**
     * Makes a call to the provider under test on a daemon thread of its own (not through the kit's call bound),
     * interrupted before the call, or, with {@code whileWaiting}, once it has run for a moment (on a cloud
     * {@link #stallCloud() stalled}, while it waits on it), and waits for it to end at most
     * {@value #INTERRUPTED_CALL_SECONDS} seconds, or the call timeout if shorter, after the interrupt. The instances
     * a provision answers are released after the check.
     *
     * @param call the call, as a failure names it
     * @param action the call
     * @param whileWaiting interrupt the call while it runs rather than before it starts
     * @return what the call did
     * @throws AssertionError naming the check and the call: when it did not end in time after the interrupt (with
     *     the stack where it was as the cause), when it threw something other than a {@code CloudException}, or,
     *     with {@code whileWaiting}, when it ended before it was interrupted
     */
    <T> Interrupted<T> interrupted(String call, Function<CloudProvider, T> action, boolean whileWaiting) {
        FutureTask<T> task = new FutureTask<>(() -> {
            if (!whileWaiting) {
                Thread.currentThread().interrupt();
            }
            T answer = action.apply(created);
            if (answer instanceof ProvisionResult r) {
                r.instances().forEach(i -> launched.add(i.id()));
            }
            return answer;
        });
        Thread thread = BoundedProvider.daemonThreads("fleetpredict-tck-interrupted").newThread(task);
        thread.start();
        Duration limit = callTimeout().compareTo(Duration.ofSeconds(INTERRUPTED_CALL_SECONDS)) < 0 ? callTimeout()
                : Duration.ofSeconds(INTERRUPTED_CALL_SECONDS);
        try {
            if (whileWaiting) {
                try {
                    task.get(BEFORE_THE_INTERRUPT.toNanos(), TimeUnit.NANOSECONDS);
                    throw new AssertionError(String.format(Locale.ROOT, "%s: %s ended within %s on a stalled cloud, before"
                            + " it was interrupted: stallCloud() did not hold it", checkName, call,
                            BoundedProvider.seconds(BEFORE_THE_INTERRUPT)));
                } catch (TimeoutException expected) {
                    thread.interrupt();
                } catch (ExecutionException e) {
                    throw new AssertionError(String.format(Locale.ROOT, "%s: %s failed within %s on a stalled cloud,"
                            + " before it was interrupted: stallCloud() did not hold it: %s", checkName, call,
                            BoundedProvider.seconds(BEFORE_THE_INTERRUPT), e.getCause()), e.getCause());
                }
            }
            try {
                return new Interrupted<>(task.get(BoundedProvider.nanosAtMost(limit), TimeUnit.NANOSECONDS), null);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof CloudException c) {
                    return new Interrupted<>(null, c);
                }
                throw new AssertionError(String.format(Locale.ROOT, "%s: %s, its thread interrupted, threw %s instead of"
                        + " a CloudException", checkName, call, e.getCause()), e.getCause());
            } catch (TimeoutException e) {
                AssertionError failure = new AssertionError(String.format(Locale.ROOT, "%s: %s did not end within %s of"
                        + " its thread's interrupt: a provider must give up when interrupted (the library's guard"
                        + " interrupts a call that passed its time limit, and counts it stuck until it ends)",
                        checkName, call, BoundedProvider.seconds(limit)));
                Throwable where = new Throwable(call + " was here when the limit passed");
                where.setStackTrace(thread.getStackTrace());
                failure.initCause(where);
                throw failure;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(String.format(Locale.ROOT, "%s: interrupted while waiting for %s", checkName, call), e);
        }
    }

    /**
     * Describes until the answer shows what the running check expects, for at most the declared
     * {@linkplain #describeLag() describe lag}.
     *
     * @param request what to describe
     * @param shortfall what the answer lacks, in words naming the instances, or empty once it shows the change
     * @return the first answer that lacks nothing
     * @throws AssertionError naming the check, the shortfall and the last answer, once the lag has passed
     */
    List<Instance> awaitDescribe(DescribeRequest request, Function<List<Instance>, Optional<String>> shortfall) {
        Described last = describeWithinLag(request, shortfall);
        if (last.lacking().isPresent()) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: %s; describe(%s) answered %s %s",
                    checkName, last.lacking().get(), request, listed(last.answer()), describeLag().isZero()
                            ? "(no describe lag declared; override describeLag() if describe lags a change)"
                            : "after " + last.waited() + ", the declared describe lag"));
        }
        return last.answer();
    }

    /** A describe's last answer, what it still lacked (empty once nothing) and how long was waited for it. */
    private record Described(List<Instance> answer, Optional<String> lacking, Duration waited) {
    }

    /** Describes until the answer lacks nothing or the declared lag has passed, pausing as {@link #awaitDescribe}. */
    private Described describeWithinLag(DescribeRequest request, Function<List<Instance>, Optional<String>> shortfall) {
        Duration lag = describeLag();
        Duration waited = Duration.ZERO;
        Duration pause = FIRST_DESCRIBE_PAUSE;
        while (true) {
            List<Instance> answer = provider.describe(request).instances();
            Optional<String> lacking = shortfall.apply(answer);
            if (lacking.isEmpty() || waited.compareTo(lag) >= 0) {
                return new Described(answer, lacking, waited);
            }
            Duration step = pause.compareTo(lag.minus(waited)) < 0 ? pause : lag.minus(waited);
            advanceTime(step);
            waited = waited.plus(step);
            pause = pause.multipliedBy(2).compareTo(LONGEST_DESCRIBE_PAUSE) < 0
                    ? pause.multipliedBy(2) : LONGEST_DESCRIBE_PAUSE;
        }
    }

    private static String listed(List<Instance> instances) {
        return instances.stream().map(i -> i.id() + " " + i.state()).sorted().toList().toString();
    }

    /** What every group of checks runs against: this kit's provider, run and hooks. */
    abstract class Group implements KitGroup {
        @Override
        public CloudProviderCompatibilityKit kit() {
            return CloudProviderCompatibilityKit.this;
        }
    }

    @Nested
    @DisplayName("Offers")
    class Offers extends Group implements OfferChecks {
    }

    @Nested
    @DisplayName("Provisioning")
    class Provisioning extends Group implements ProvisioningChecks {
    }

    @Nested
    @DisplayName("Idempotent mutations")
    class Idempotency extends Group implements IdempotencyChecks {
    }

    @Nested
    @DisplayName("Release")
    class Release extends Group implements ReleaseChecks {
    }

    @Nested
    @DisplayName("Describe")
    class Describe extends Group implements DescribeChecks {
    }

    @Nested
    @DisplayName("Invalid requests")
    class InvalidRequests extends Group implements InvalidRequestChecks {
    }

    @Nested
    @DisplayName("Spot instances (capability SPOT)")
    class Spot extends Group implements SpotChecks {
    }

    @Nested
    @DisplayName("Configure (capability CONFIGURE)")
    class Configure extends Group implements ConfigureChecks {
    }

    @Nested
    @DisplayName("Describe by idempotency key")
    class DescribeByKey extends Group implements DescribeByKeyChecks {
    }

    @Nested
    @DisplayName("Many threads at once")
    class Stress extends Group implements StressChecks {
    }

    @Nested
    @DisplayName("Interrupted calls")
    class Interruption extends Group implements InterruptionChecks {
    }
}
