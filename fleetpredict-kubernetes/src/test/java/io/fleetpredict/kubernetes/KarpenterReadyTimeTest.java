package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ReleaseRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance's {@code readyAt} is, as the SPI says, when it became {@code RUNNING}, or is expected to: the
 * time Karpenter recorded its node initialized once it has come up, else its launch plus its offer's boot time
 * (90 s for m6i.large in the test price list). The claims are launched at {@link #T0} by the provider's clock.
 */
class KarpenterReadyTimeTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Duration BOOT = Duration.ofSeconds(90);

    private final FaultyCluster cluster = new FaultyCluster();
    private final MovableClock clock = new MovableClock(T0);
    private final KarpenterCloud cloud = KarpenterCloud.builder(cluster.client, "general")
            .priceList(KarpenterCloudCompatibilityTest.PRICES).clock(clock).build();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private String provisioned() {
        return cloud.provision(KarpenterCloudFaultsTest.request("ready-time", 1)).instances().get(0).id();
    }

    /** Node {@code node-1} of the pool, its {@code Ready} condition of this status since {@code since}. */
    private void node(String ready, Instant since, @Nullable String initializedLabel) {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName("node-1")
                .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready)
                .withLastTransitionTime(since.toString()).endCondition().endStatus();
        if (initializedLabel != null) {
            node.editMetadata().addToLabels(KarpenterCloud.INITIALIZED, initializedLabel).endMetadata();
        }
        cluster.client.nodes().resource(node.build()).create();
    }

    /**
     * The claim's status as Karpenter v1 writes it, naming {@code node-1}: {@code Launched} and {@code Registered}
     * at launch plus 20 s, and {@code Initialized} (and {@code Ready}) {@code True} since {@code initializedAt}, or
     * left out when {@code null}.
     */
    private void claimStatus(@Nullable String initializedAt) {
        String early = T0.plusSeconds(20).toString();
        List<Map<String, Object>> conditions = new ArrayList<>();
        conditions.add(Map.of("type", "Launched", "status", "True", "reason", "Launched", "lastTransitionTime", early));
        conditions.add(Map.of("type", "Registered", "status", "True", "reason", "Registered", "lastTransitionTime", early));
        if (initializedAt != null) {
            conditions.add(Map.of("type", "Initialized", "status", "True", "reason", "Initialized",
                    "lastTransitionTime", initializedAt));
            conditions.add(Map.of("type", "Ready", "status", "True", "reason", "Ready", "lastTransitionTime", initializedAt));
        }
        GenericKubernetesResource claim = cluster.claims().get(0);
        claim.setAdditionalProperty("status", Map.of("nodeName", "node-1", "conditions", conditions));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();
    }

    private Instance described() {
        return cloud.describe(DescribeRequest.all()).instances().get(0);
    }

    /** A node that took four minutes to come up, not the 90 s its offer expects: ready when it came up. */
    @Test
    void describe_nodeThatCameUpLaterThanExpected_isReadyWhenKarpenterInitializedIt() {
        provisioned();
        node("True", T0.plusSeconds(230), null);
        claimStatus(T0.plusSeconds(240).toString());
        clock.now = T0.plus(Duration.ofMinutes(10));

        Instance i = described();
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(240)), List.of(i.state(), i.readyAt()));
    }

    /** A node up in 40 s is running at 60 s, and was ready at 40 s: not at 90 s, still to come. */
    @Test
    void describe_nodeThatCameUpSoonerThanExpected_isRunningAndReadyInThePast() {
        provisioned();
        node("True", T0.plusSeconds(35), null);
        claimStatus(T0.plusSeconds(40).toString());
        clock.now = T0.plusSeconds(60);

        Instance i = described();
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(40)), List.of(i.state(), i.readyAt()));
    }

    /**
     * A node that served for hours and then missed heartbeats (its {@code Ready} condition {@code Unknown} since
     * an hour ago), or turned Ready again since: ready when Karpenter initialized it, not when its {@code Ready}
     * condition last changed.
     */
    @Test
    void describe_nodeNotReadyOrReadyAgainLater_keepsTheTimeItFirstCameUp() {
        provisioned();
        node("Unknown", T0.plus(Duration.ofHours(5)), null);
        claimStatus(T0.plusSeconds(100).toString());
        clock.now = T0.plus(Duration.ofHours(6));
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(100)), List.of(described().state(), described().readyAt()));

        cluster.client.nodes().withName("node-1").delete();
        node("True", T0.plus(Duration.ofHours(5).plusMinutes(30)), null);
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(100)), List.of(described().state(), described().readyAt()));
    }

    /** Usable before Karpenter records it initialized: ready when its node turned Ready. */
    @Test
    void describe_usableNodeNotYetRecordedInitialized_isReadyWhenItsNodeTurnedReady() {
        provisioned();
        node("True", T0.plusSeconds(50), null);
        claimStatus(null);
        clock.now = T0.plusSeconds(55);

        Instance i = described();
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(50)), List.of(i.state(), i.readyAt()));
    }

    /** Pending, an instance is expected ready after its boot time, however long past that it is. */
    @Test
    void describe_pendingInstance_isExpectedReadyAfterItsBootTime() {
        provisioned();
        node("False", T0.plusSeconds(30), null);
        claimStatus(null);
        clock.now = T0.plus(Duration.ofMinutes(20));

        Instance i = described();
        assertEquals(List.of(InstanceState.PENDING, T0.plus(BOOT)), List.of(i.state(), i.readyAt()));
    }

    /**
     * The API server's clock is not the provider's: a time before the launch (the server's clock behind) is the
     * launch, one after the describe is the describe; with no time to tell (the node's label only, its
     * {@code Ready} condition {@code Unknown}), the time it was expected, or the describe if that is to come.
     */
    @Test
    void describe_readyTimeOutsideLaunchAndNow_orUnknown_isKeptBetweenThem() {
        provisioned();
        node("Unknown", T0.plusSeconds(10), "true");
        claimStatus(T0.minusSeconds(30).toString());
        clock.now = T0.plusSeconds(60);
        assertEquals(T0, described().readyAt());

        claimStatus(T0.plusSeconds(300).toString());
        assertEquals(T0.plusSeconds(60), described().readyAt());

        claimStatus(null);
        assertEquals(List.of(InstanceState.RUNNING, T0.plusSeconds(60)), List.of(described().state(), described().readyAt()));
        clock.now = T0.plusSeconds(600);
        assertEquals(T0.plus(BOOT), described().readyAt());
    }

    /** Released and gone, the instance keeps the time it came up: the record of its end holds it. */
    @Test
    void release_keepsTheTimeTheInstanceCameUp_afterItsClaimIsGone() {
        String id = provisioned();
        node("True", T0.plusSeconds(230), null);
        claimStatus(T0.plusSeconds(240).toString());
        clock.now = T0.plus(Duration.ofHours(1));

        Instance released = cloud.release(ReleaseRequest.of("end", List.of(id))).instances().get(0);
        assertEquals(T0.plusSeconds(240), released.readyAt());
        assertEquals(List.of(), cluster.claimNames());
        Instance gone = described();
        assertEquals(List.of(InstanceState.TERMINATED, T0.plusSeconds(240)), List.of(gone.state(), gone.readyAt()));
    }

    /** A provision reports its instances as launched, expected ready after the boot time, repeated or not. */
    @Test
    void provision_reportsItsInstancesExpectedReadyAfterTheBootTime_evenOnceTheyCameUp() {
        Instance first = cloud.provision(KarpenterCloudFaultsTest.request("ready-time", 1)).instances().get(0);
        node("True", T0.plusSeconds(30), null);
        claimStatus(T0.plusSeconds(40).toString());
        clock.now = T0.plusSeconds(60);

        assertEquals(T0.plus(BOOT), first.readyAt());
        assertEquals(first, cloud.provision(KarpenterCloudFaultsTest.request("ready-time", 1)).instances().get(0));
    }
}
