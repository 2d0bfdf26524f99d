package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.tck.CloudProviderCompatibilityKit;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

/**
 * The compatibility kit against fabric8's mock API server in CRUD mode: the provider's NodeClaims,
 * ConfigMaps and NodePool are stored and listed by label as a real API server would. No Karpenter runs
 * there, so {@link #advanceTime} plays its part: it gives each claim a node and marks the node Ready.
 */
@DisplayName("KarpenterCloud passes the compatibility kit")
class KarpenterCloudCompatibilityTest extends CloudProviderCompatibilityKit {

    static KubernetesMockServer server;
    static KubernetesClient client;
    /** Whether the API server holds its answers back, as one that does not answer: see {@link #stallCloud}. */
    static volatile boolean stalled;

    /** fabric8's mock API server in CRUD mode, told that NodeClaims and NodePools are cluster-scoped. */
    static synchronized KubernetesClient client() {
        if (client == null) {
            server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(List.of(crd(KarpenterCloud.NODE_CLAIMS), crd(KarpenterCloud.NODE_POOLS))) {
                        @Override
                        public MockResponse dispatch(RecordedRequest request) {
                            MockResponse answer = super.dispatch(request);
                            // Held back for longer than the client waits (10 s) and the kit waits for an
                            // interrupted call (5 s): only the interrupt can end the call in time.
                            return stalled ? answer.setBodyDelay(30, TimeUnit.SECONDS) : answer;
                        }
                    },
                    false);
            server.init();
            client = server.createClient();
        }
        return client;
    }

    static CustomResourceDefinitionContext crd(ResourceDefinitionContext c) {
        return new CustomResourceDefinitionContext.Builder().withGroup(c.getGroup()).withVersion(c.getVersion())
                .withKind(c.getKind()).withPlural(c.getPlural()).withScope("Cluster").build();
    }

    @AfterAll
    static synchronized void stop() {
        if (server != null) {
            client.close();
            server.destroy();
            client = null;
            server = null;
        }
    }

    static final List<Offer> PRICES = List.of(
            new Offer("m6i.large", "m6i", "eu-west-1", 2, 8, 12.5, 0, 0.107, OptionalDouble.of(0.038), 0.05,
                    Duration.ofSeconds(90)),
            new Offer("m6i.xlarge", "m6i", "eu-west-1", 4, 16, 12.5, 0, 0.214, OptionalDouble.of(0.071), 0.05,
                    Duration.ofSeconds(90)),
            new Offer("c6i.2xlarge", "c6i", "eu-west-1", 8, 16, 12.5, 0, 0.386, OptionalDouble.empty(), 0,
                    Duration.ofSeconds(90)),
            // Outside the pool's instance types: never offered.
            new Offer("p4d.24xlarge", "p4d", "eu-west-1", 96, 1152, 400, 0, 32.77, OptionalDouble.empty(), 0,
                    Duration.ofSeconds(300)));

    static GenericKubernetesResource nodePool() {
        GenericKubernetesResource pool = new GenericKubernetesResource();
        pool.setApiVersion("karpenter.sh/v1");
        pool.setKind("NodePool");
        pool.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("general").build());
        pool.setAdditionalProperty("spec", Map.of("template", Map.of("spec", Map.of(
                "nodeClassRef", Map.of("group", "karpenter.k8s.aws", "kind", "EC2NodeClass", "name", "default"),
                "requirements", List.of(
                        Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "In",
                                "values", List.of("m6i.large", "m6i.xlarge", "c6i.2xlarge")),
                        Map.of("key", KarpenterCloud.CAPACITY_TYPE, "operator", "In", "values", List.of("spot", "on-demand")),
                        Map.of("key", KarpenterCloud.ZONE, "operator", "In", "values", List.of("eu-west-1a", "eu-west-1b")))))));
        return pool;
    }

    @Override
    protected CloudProvider createProvider() {
        client();
        if (client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).withName("general").get() == null) {
            client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(nodePool()).create();
        }
        return KarpenterCloud.builder(client, "general").priceList(PRICES).build();
    }

    /** An API server that does not answer: the provider's calls wait on it until the interrupt. */
    @Override
    protected Runnable stallCloud() {
        stalled = true;
        return () -> stalled = false;
    }

    /** Karpenter's part: every pending claim gets a Ready node. */
    @Override
    protected void advanceTime(Duration amount) {
        for (GenericKubernetesResource claim : client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).list().getItems()) {
            String node = "node-" + claim.getMetadata().getName();
            if (client.nodes().withName(node).get() == null) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                        .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                        .build()).create();
            }
            claim.setAdditionalProperty("status", Map.of("nodeName", node));
            client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();
        }
    }
}
