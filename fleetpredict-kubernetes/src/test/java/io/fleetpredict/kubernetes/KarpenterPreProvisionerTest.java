package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PlanBasis;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.provision.ChangeOutcome;
import io.fleetpredict.core.provision.CostGate;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.ProvisioningIntent;
import io.fleetpredict.core.provision.ReconcileReport;
import io.fleetpredict.core.provision.StoredFleet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider under the core library's loop ({@link PreProvisioner} over {@link GuardedCloud}), against the
 * scripted API server: what a fault the provider reports, or a state it describes, leads the loop to do to the
 * cluster's nodes and to the fleet's record of them.
 */
class KarpenterPreProvisionerTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    private static final String FLEET = "shop-eu";

    private final FaultyCluster cluster = new FaultyCluster();
    private final FleetStateStore store = FleetStateStores.inMemory();
    private final KarpenterCloud cloud = KarpenterCloud.builder(cluster.client, "general")
            .priceList(KarpenterCloudCompatibilityTest.PRICES).clock(Clock.fixed(T0, ZoneOffset.UTC)).build();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** The loop at {@code now}: its guard retries without waiting. */
    private PreProvisioner loop(Instant now) {
        return PreProvisioner.builder(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(d -> { })
                        .seed(1).build())
                .store(store).gate(CostGate.builder(1_000).build()).clock(Clock.fixed(now, ZoneOffset.UTC))
                .mode(PreProvisioner.Mode.APPLY).build();
    }

    /** A plan, on the fleet as stored, to scale the checkout service out by {@code count} m6i.xlarge now. */
    private ProvisionalFleetState scaleOut(int count) {
        FleetState fleet = store.read(FLEET).state();
        ProvisionalChange change = new ProvisionalChange("out-1", "checkout", ChangeAction.SCALE_OUT, "m6i.xlarge",
                "eu-west-1", count, PurchaseOption.ON_DEMAND,
                List.of(ResourceAmount.of(ResourceType.CPU, 4.0 * count, ResourceUnit.CORES)), 1,
                "forecast exceeds allocation", 0.214 * count, null, T0.plusSeconds(3600), T0, ChangeStatus.PROPOSED,
                null);
        return new ProvisionalFleetState(fleet, List.of(change),
                PlanBasis.of(T0.plusSeconds(3600), Horizon.SHORT_TERM, fleet.version()), null);
    }

    private void createFleet() {
        store.create(StoredFleet.of(new FleetState(1, FLEET, 0, T0.minusSeconds(60),
                List.of(new ServiceState("checkout", "critical", List.of(), List.of())))));
    }

    /**
     * The control plane is unavailable (503) for the first four of the guard's five attempts at the loop's
     * provision; at the last, the API server stores the NodeClaim and answers its create 500 (etcd changed
     * leader). The create's outcome is unknown, so the loop keeps its launch intent open rather than settling it
     * failed; the next reconcile finds the claim by the intent's key and counts it in the fleet. The claim is the
     * fleet's, not an orphan that only Karpenter's expiry would end, and no second claim is made for the need.
     */
    @Test
    void run_createStoredThenAnsweredServerError_keepsTheClaimInTheFleet_andLaunchesNoOther() {
        createFleet();
        // Each attempt first reads the key's provision record (describe lists records instead, unhindered).
        cluster.fail("GET", "/configmaps/fp-provision-", 4, 503, FaultyCluster.status(503, "ServiceUnavailable",
                "the server is currently unable to handle the request"));
        cluster.fail("POST", "/nodeclaims", 1, r -> {
            cluster.store(r);
            return new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json")
                    .setBody(FaultyCluster.status(500, "InternalError", "etcdserver: leader changed"));
        });

        ChangeOutcome outcome = loop(T0).run(scaleOut(1)).outcomes().get(0);

        assertEquals(Kind.TIMED_OUT, assertInstanceOf(ChangeOutcome.Failed.class, outcome).kind(), outcome.toString());
        List<String> claims = cluster.claimNames();
        assertEquals(1, claims.size(), claims.toString());
        ProvisioningIntent open = store.read(FLEET).intents().get(0);
        assertEquals(ProvisioningIntent.Status.OPEN, open.status());

        // The next cycle, past the grace an open intent is given, reconciles it.
        ReconcileReport reconciled = loop(T0.plus(PreProvisioner.DEFAULT_INTENT_GRACE).plusSeconds(60)).reconcile(FLEET);

        assertEquals(List.of(open.id()), reconciled.adopted());
        StoredFleet after = store.read(FLEET);
        ProvisioningIntent done = after.intents().get(0);
        assertEquals(List.of(ProvisioningIntent.Status.DONE, claims), List.of(done.status(), done.instanceIds()));
        assertEquals(1, after.state().services().get(0).instanceGroups().get(0).count());
        assertEquals(claims, cluster.claimNames());
    }

    /**
     * Two claims of a launch: Karpenter brings the first up (its claim recorded Initialized, its node Ready),
     * the second never gets a node. Hours later the first node's kubelet misses its heartbeats and the node
     * controller sets its Ready condition to Unknown. The loop's reconcile, which releases instances still not
     * ready long after they were due, releases the launch that never came up and keeps the node that did.
     */
    @Test
    void reconcile_nodeThatCameUpAndIsNotReadyForAMoment_isKept_whileALaunchThatNeverCameUpIsReleased() {
        createFleet();
        ChangeOutcome.Provisioned launched = assertInstanceOf(ChangeOutcome.Provisioned.class,
                loop(T0).run(scaleOut(2)).outcomes().get(0));
        String up = launched.instanceIds().get(0);
        String never = launched.instanceIds().get(1);
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1")
                .addToLabels(KarpenterCloud.NODE_POOL, "general").addToLabels(KarpenterCloud.INITIALIZED, "true")
                .endMetadata().withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .endStatus().build()).create();
        GenericKubernetesResource claim = cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .withName(up).get();
        claim.setAdditionalProperty("status", KarpenterNodePoolTest.karpenterStatus("node-1", "True"));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();
        assertEquals(InstanceState.RUNNING, state(up));

        Node node = cluster.client.nodes().withName("node-1").get();
        node.getStatus().setConditions(List.of(new NodeConditionBuilder().withType("Ready").withStatus("Unknown")
                .withReason("NodeStatusUnknown").withMessage("Kubelet stopped posting node status.").build()));
        cluster.client.nodes().resource(node).updateStatus();
        ReconcileReport reconciled = loop(T0.plus(Duration.ofHours(3))).reconcile(FLEET);

        assertEquals(InstanceState.RUNNING, state(up));
        assertEquals(List.of(never), reconciled.givenUp());
        assertEquals(List.of(up), cluster.claimNames());
        assertEquals(1, store.read(FLEET).state().services().get(0).instanceGroups().get(0).count());
    }

    private InstanceState state(String id) {
        Instance i = cloud.describe(DescribeRequest.all().withInstanceIds(java.util.Set.of(id))).instances().get(0);
        return i.state();
    }
}
