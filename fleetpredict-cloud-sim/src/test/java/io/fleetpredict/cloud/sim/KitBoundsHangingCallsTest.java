package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A provider call that never returns fails the check that made it, naming the call with its request and the
 * kit's call timeout, and the kit goes on with the next check: the whole kit ends, the checks that do not make
 * the hung call still pass, and the cleanup after each check does not wait on the hung provider for longer than
 * the limit either. The hung calls here ignore the interrupt the kit sends them, as a call blocked in a socket
 * read does; they run on daemon threads, so they keep neither the JVM nor a later check waiting.
 *
 * <p>Each run of the kit gets the whole of {@link #RUN_LIMIT}: a kit that waits on a hung call without a limit
 * never ends, and fails the test there.
 */
class KitBoundsHangingCallsTest {

    /** The call timeout these runs declare: short, so that a run of the whole kit takes seconds, and still far above
     * what a call of the simulated cloud that does not hang takes on a loaded machine (microseconds). */
    private static final Duration LIMIT = Duration.ofMillis(300);

    /** How the limit reads in a failure. */
    private static final String WITHIN_LIMIT = "did not return within 0.3 s (the kit's callTimeout()";

    /** How long a run of the whole kit may take before the kit is taken to wait without a limit. */
    private static final long RUN_LIMIT = 120;

    /** Opened once the tests are over, to let every hung call go so that its thread ends. */
    private static final CountDownLatch LET_GO = new CountDownLatch(1);

    /** For every call that hung, whether its thread was a daemon. */
    private static final Queue<Boolean> HUNG_ON_DAEMON = new ConcurrentLinkedQueue<>();

    @AfterAll
    static void letHungCallsGo() {
        LET_GO.countDown();
    }

    private static TestExecutionSummary run(Class<?> kit) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build(), listener);
        return listener.getSummary();
    }

    private static String failures(TestExecutionSummary summary) {
        return summary.getFailures().stream().map(f -> f.getTestIdentifier().getDisplayName() + ": "
                + f.getException().getMessage()).collect(Collectors.joining("\n"));
    }

    private static Throwable thrownBy(TestExecutionSummary summary, String check) {
        return summary.getFailures().stream().filter(f -> f.getTestIdentifier().getDisplayName().equals(check))
                .map(f -> f.getException()).findFirst()
                .orElseThrow(() -> new AssertionError("'" + check + "' did not fail; failures:\n" + failures(summary)));
    }

    private static String failureOf(TestExecutionSummary summary, String check) {
        return String.valueOf(thrownBy(summary, check).getMessage());
    }

    /** The failures of one group of checks, by the simple name of its nested class. */
    private static List<String> failuresOfGroup(TestExecutionSummary summary, String group) {
        return summary.getFailures().stream()
                .filter(f -> f.getTestIdentifier().getUniqueId().contains("[nested-class:" + group + "]"))
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException().getMessage()).toList();
    }

    /** The failure the kit reports once for all the cleanups that failed, if any. */
    private static String cleanupFailure(TestExecutionSummary summary) {
        List<String> cleanup = summary.getFailures().stream().map(f -> String.valueOf(f.getException().getMessage()))
                .filter(m -> m.startsWith("releasing what the tests launched failed")).toList();
        assertEquals(1, cleanup.size(), () -> failures(summary));
        return cleanup.get(0);
    }

    /** Never returns, whatever interrupts it, until the tests are over; then fails. */
    private static <T> T hang() {
        HUNG_ON_DAEMON.add(Thread.currentThread().isDaemon());
        boolean interrupted = false;
        while (true) {
            try {
                if (LET_GO.await(1, TimeUnit.HOURS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        throw new CloudException(CloudException.Kind.TRANSIENT, "let go once the tests were over");
    }

    @Test
    @Timeout(value = RUN_LIMIT, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void kit_provisionNeverReturns_failsEachCheckThatProvisionsNamingTheCallAndTheLimit() {
        TestExecutionSummary summary = run(ProvisionHangs.class);

        String message = failureOf(summary, "launches instances that match the request, its key and its tags");
        assertTrue(message.startsWith("Provisioning launches instances that match the request, its key and its tags: "
                + "provision(ProvisionRequest[idempotencyKey="), message);
        assertTrue(message.contains(WITHIN_LIMIT), message);
        Throwable where = thrownBy(summary, "launches instances that match the request, its key and its tags").getCause();
        assertTrue(where != null && Arrays.stream(where.getStackTrace()).anyMatch(f -> f.getMethodName().equals("hang")),
                () -> "the failure does not show where the call hung: " + where);
        for (String check : List.of(
                // An expected refusal: the check names the hung call, not an exception of the wrong type.
                "fail with INVALID_REQUEST for an unknown instance type",
                // Calls from many threads at once.
                "launch only once when the same request races on many threads",
                "launch exactly what every thread asks for, with distinct ids, while others describe")) {
            String failure = failureOf(summary, check);
            assertTrue(failure.contains("provision(ProvisionRequest[") && failure.contains(WITHIN_LIMIT), failure);
        }
        assertTrue(summary.getTotalFailureCount() > 20, () -> failures(summary));
        assertEquals(List.of(), failuresOfGroup(summary, "Offers"), "checks that do not provision");
        assertFalse(HUNG_ON_DAEMON.isEmpty());
        assertFalse(HUNG_ON_DAEMON.contains(false), "a hung call ran on a thread that keeps the JVM alive");
    }

    @Test
    @Timeout(value = RUN_LIMIT, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void kit_describeNeverReturns_failsTheChecksAndTheirCleanupWithinTheLimit() {
        TestExecutionSummary summary = run(DescribeHangs.class);

        String message = failureOf(summary, "filters by tags");
        assertTrue(message.startsWith("Describe filters by tags: describe(DescribeRequest["), message);
        assertTrue(message.contains(WITHIN_LIMIT), message);
        String cleanup = cleanupFailure(summary);
        assertTrue(cleanup.contains("describe(DescribeRequest[") && cleanup.contains(WITHIN_LIMIT), cleanup);
        // Without a describe the cleanups released what the checks' provisions returned: nothing left running.
        assertTrue(DescribeHangs.CLOUDS.stream().anyMatch(c -> !c.describe(DescribeRequest.all()).instances().isEmpty()),
                "some check launched instances");
        for (SimulatedCloud c : DescribeHangs.CLOUDS) {
            assertEquals(List.of(), c.describe(DescribeRequest.active()).instances());
        }
    }

    @Test
    @Timeout(value = RUN_LIMIT, unit = TimeUnit.SECONDS, threadMode = ThreadMode.SEPARATE_THREAD)
    void kit_releaseNeverReturns_failsTheChecksThatReleaseAndTheirCleanupWithinTheLimit() {
        TestExecutionSummary summary = run(ReleaseHangs.class);

        String message = failureOf(summary, "takes released instances out of the active set");
        assertTrue(message.startsWith("Release takes released instances out of the active set: release(ReleaseRequest["),
                message);
        assertTrue(message.contains(WITHIN_LIMIT), message);
        String failure = failureOf(summary, "release concurrently, each instance once, leaving none active");
        assertTrue(failure.contains("release(ReleaseRequest[") && failure.contains(WITHIN_LIMIT), failure);
        String cleanup = cleanupFailure(summary);
        assertTrue(cleanup.contains("release(ReleaseRequest[") && cleanup.contains(WITHIN_LIMIT), cleanup);
    }

    @Test
    void kit_callTimeoutNotPositive_failsEveryCheckNamingIt() {
        TestExecutionSummary summary = run(NoTimeToCall.class);

        assertFalse(summary.getFailures().isEmpty());
        assertEquals(summary.getTestsStartedCount(), summary.getTotalFailureCount(), () -> failures(summary));
        String message = failureOf(summary, "are not empty");
        assertTrue(message.contains("callTimeout() of " + NoTimeToCall.class.getName() + " must be positive, was PT0S"),
                message);
    }

    /** The kit against the simulated cloud, with the short call timeout. */
    abstract static class ShortLimit extends SimulatedCloudKit {
        @Override
        protected Duration callTimeout() {
            return LIMIT;
        }
    }

    /** A provision that never returns. */
    static class ProvisionHangs extends ShortLimit {
        @Override
        CloudProvider provider(SimulatedCloud checked, MutableClock time) {
            return new ForwardingCloudProvider() {
                @Override
                protected CloudProvider delegate() {
                    return checked;
                }

                @Override
                public ProvisionResult provision(ProvisionRequest request) {
                    return hang();
                }
            };
        }
    }

    /** A describe that never returns. */
    static class DescribeHangs extends ShortLimit {
        /** Every check's cloud, to see afterwards what the cleanups left running. */
        static final Queue<SimulatedCloud> CLOUDS = new ConcurrentLinkedQueue<>();

        @Override
        CloudProvider provider(SimulatedCloud checked, MutableClock time) {
            CLOUDS.add(checked);
            return new ForwardingCloudProvider() {
                @Override
                protected CloudProvider delegate() {
                    return checked;
                }

                @Override
                public DescribeResult describe(DescribeRequest request) {
                    return hang();
                }
            };
        }
    }

    /** A release that never returns. */
    static class ReleaseHangs extends ShortLimit {
        @Override
        CloudProvider provider(SimulatedCloud checked, MutableClock time) {
            return new ForwardingCloudProvider() {
                @Override
                protected CloudProvider delegate() {
                    return checked;
                }

                @Override
                public ReleaseResult release(ReleaseRequest request) {
                    return hang();
                }
            };
        }
    }

    /** A call timeout that leaves no time for a call. */
    static class NoTimeToCall extends SimulatedCloudKit {
        @Override
        protected Duration callTimeout() {
            return Duration.ZERO;
        }
    }
}
