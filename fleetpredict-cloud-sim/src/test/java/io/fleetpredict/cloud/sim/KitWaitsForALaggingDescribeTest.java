package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A provider whose describe lags a launch, as EC2's eventually consistent describe does, fails the kit
 * while it declares no lag and passes it once it declares the lag; a launch that shows only after longer
 * than the declared lag, or never, still fails it. Time passes on the simulated clock only: the kit waits
 * through {@code advanceTime}.
 */
class KitWaitsForALaggingDescribeTest {

    /** How long the lagging describe hides a launch. */
    private static final Duration HIDDEN_FOR = Duration.ofSeconds(30);

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

    private static String failureOf(TestExecutionSummary summary, String check) {
        return summary.getFailures().stream().filter(f -> f.getTestIdentifier().getDisplayName().equals(check))
                .map(f -> String.valueOf(f.getException().getMessage())).findFirst()
                .orElseThrow(() -> new AssertionError("'" + check + "' did not fail; failures:\n" + failures(summary)));
    }

    @Test
    void kit_launchHiddenAndNoLagDeclared_failsTheChecksThatDescribeALaunch() {
        TestExecutionSummary summary = run(NoLagDeclared.class);
        String message = failureOf(summary, "shows every instance a provision launched, with its key and tags");
        assertTrue(message.contains("no describe lag declared"), message);
        assertTrue(summary.getTotalFailureCount() > 10, () -> failures(summary));
    }

    @Test
    void kit_launchHiddenForTheDeclaredLag_passesEveryCheckTheUnhiddenCloudPasses() {
        TestExecutionSummary lagging = run(LagDeclared.class);
        TestExecutionSummary prompt = run(NothingHidden.class);
        assertEquals(0, prompt.getTotalFailureCount(), () -> failures(prompt));
        assertEquals(0, lagging.getTotalFailureCount(), () -> failures(lagging));
        assertEquals(prompt.getTestsSucceededCount(), lagging.getTestsSucceededCount(),
                "checks skipped while waiting for describe");
    }

    @Test
    void kit_launchShownOnlyAfterTheDeclaredLag_fails() {
        TestExecutionSummary summary = run(ShownAfterTheLag.class);
        String message = failureOf(summary, "shows every instance a provision launched, with its key and tags");
        assertTrue(message.contains("after PT30S, the declared describe lag"), message);
    }

    @Test
    void kit_launchNeverListed_failsNamingTheCheckAndTheInstance() {
        TestExecutionSummary summary = run(NeverListed.class);
        String message = failureOf(summary, "shows every instance a provision launched, with its key and tags");
        // A fresh simulated cloud per check numbers its instances from 1.
        assertTrue(message.startsWith("Describe shows every instance a provision launched, with its key and tags: "
                + "describe did not show [i-000000000001, i-000000000002]"), message);
        assertTrue(message.contains("after PT30S, the declared describe lag"), message);
    }

    @Test
    void kit_launchHiddenForTheDeclaredLag_everyLaunchReleasedAfterItsCheck() {
        CleanedUp.clouds.clear();
        TestExecutionSummary summary = run(CleanedUp.class);

        assertEquals(0, summary.getTotalFailureCount(), () -> failures(summary));
        assertTrue(CleanedUp.clouds.size() > 10, "one cloud per check: " + CleanedUp.clouds.size());
        for (SimulatedCloud cloud : CleanedUp.clouds) {
            assertEquals(List.of(), cloud.describe(DescribeRequest.active()).instances(),
                    "left running after its check, not yet listed by the lagging describe when it ended");
        }
    }

    @Test
    void kit_negativeLag_failsEveryCheckNamingTheLag() {
        TestExecutionSummary summary = run(NegativeLag.class);
        assertFalse(summary.getFailures().isEmpty());
        assertEquals(summary.getTestsStartedCount(), summary.getTotalFailureCount(), () -> failures(summary));
        String message = failureOf(summary, "are not empty");
        assertTrue(message.contains("describeLag() of " + NegativeLag.class.getName()
                + " must be zero or positive, was PT-1S"), message);
    }

    /** The kit against a simulated cloud behind a describe that hides every launch for a while. */
    abstract static class Lagging extends SimulatedCloudKit {
        /** How long describe hides a launch. */
        abstract Duration hiddenFor();

        @Override
        CloudProvider provider(SimulatedCloud checked, MutableClock time) {
            return new LaggingDescribe(checked, time, hiddenFor());
        }
    }

    /** Nothing hidden, no lag declared: what the kit checks of the simulated cloud with this set-up. */
    static class NothingHidden extends Lagging {
        @Override
        Duration hiddenFor() {
            return Duration.ZERO;
        }
    }

    /** A lagging describe whose lag is not declared. */
    static class NoLagDeclared extends Lagging {
        @Override
        Duration hiddenFor() {
            return HIDDEN_FOR;
        }
    }

    /** A lagging describe whose lag is declared. */
    static class LagDeclared extends NoLagDeclared {
        @Override
        protected Duration describeLag() {
            return HIDDEN_FOR;
        }
    }

    /** A lagging describe whose lag is declared, keeping each check's simulated cloud to look at afterwards. */
    static class CleanedUp extends LagDeclared {
        static final Queue<SimulatedCloud> clouds = new ConcurrentLinkedQueue<>();

        @Override
        protected CloudProvider createProvider() {
            CloudProvider provider = super.createProvider();
            clouds.add(cloud());
            return provider;
        }
    }

    /** A describe that lags a second longer than the lag it declares. */
    static class ShownAfterTheLag extends LagDeclared {
        @Override
        Duration hiddenFor() {
            return HIDDEN_FOR.plusSeconds(1);
        }
    }

    /** A describe that never lists a launch, however long the kit waits. */
    static class NeverListed extends LagDeclared {
        @Override
        Duration hiddenFor() {
            return Duration.ofDays(365_000);
        }
    }

    /** A lag that cannot be. */
    static class NegativeLag extends NothingHidden {
        @Override
        protected Duration describeLag() {
            return Duration.ofSeconds(-1);
        }
    }

    /** Hides each instance from describe until {@code hiddenFor} after its launch, on the cloud's clock. */
    private static final class LaggingDescribe extends ForwardingCloudProvider {
        private final CloudProvider cloud;
        private final MutableClock clock;
        private final Duration hiddenFor;

        LaggingDescribe(CloudProvider cloud, MutableClock clock, Duration hiddenFor) {
            this.cloud = cloud;
            this.clock = clock;
            this.hiddenFor = hiddenFor;
        }

        @Override
        protected CloudProvider delegate() {
            return cloud;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            DescribeResult real = super.describe(request);
            Instant now = clock.instant();
            return new DescribeResult(real.asOf(), real.instances().stream()
                    .filter(i -> !now.isBefore(i.launchedAt().plus(hiddenFor))).toList());
        }
    }
}
