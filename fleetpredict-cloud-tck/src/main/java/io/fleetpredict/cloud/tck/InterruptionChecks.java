package io.fleetpredict.cloud.tck;

import static io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit.RUN_TAG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of the kit's group "Interrupted calls": a call whose thread is interrupted ends promptly, with its
 * answer or a {@link CloudException}, and the provider serves the next calls. The library's guard interrupts an
 * attempt that did not answer in time and counts it as stuck until it ends.
 */
interface InterruptionChecks extends KitGroup {

    private DescribeRequest runsInstances() {
        return DescribeRequest.active().withTags(Map.of(RUN_TAG, runId()));
    }

    @Test
    @DisplayName("end a describe made on an interrupted thread promptly, and answer the next one")
    default void describeOnAnInterruptedThread() {
        DescribeRequest request = runsInstances();
        kit().interrupted("describe(" + request + ")", p -> p.describe(request), false);
        provider().describe(request);
    }

    @Test
    @DisplayName("launch nothing under a provision made on an interrupted thread unless it answers or fails TIMED_OUT")
    default void provisionOnAnInterruptedThread() {
        ProvisionRequest request = onDemand(1);
        CloudProviderCompatibilityKit.Interrupted<ProvisionResult> first =
                kit().interrupted("provision(" + request + ")", p -> p.provision(request), false);
        CloudException thrown = first.thrown();
        if (thrown != null && thrown.kind() != CloudException.Kind.TIMED_OUT) {
            // Failed as not applied: nothing launched, and the key not consumed.
            awaitExactly(launchedBy(request.idempotencyKey()), Set.of());
        }
        ProvisionResult again = provider().provision(request);
        if (first.answer() != null) {
            assertEquals(first.answer(), again, "the same key and request answer the interrupted call's result");
        }
        awaitExactly(launchedBy(request.idempotencyKey()), ids(again.instances()));
    }

    @Test
    @DisplayName("give up a describe waiting on a cloud that does not answer when its thread is interrupted")
    default void describeWaitingOnTheCloud() {
        DescribeRequest request = runsInstances();
        Runnable resume = kit().stallCloud();
        try {
            kit().interrupted("describe(" + request + ")", p -> p.describe(request), true);
        } finally {
            resume.run();
        }
        List<Instance> answer = provider().describe(request).instances();
        assertEquals(List.of(), answer, "the run launched nothing");
    }
}
