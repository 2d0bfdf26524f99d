package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Offer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * NodePools as Karpenter reads them: integer requirements on the labels of an instance type, and limits
 * beyond cpu and memory. The expected offers are worked out by hand from the test price list: m6i.large
 * (2 vCPUs, 8 GiB = 8192 MiB), m6i.xlarge (4, 16384 MiB), c6i.2xlarge (8, 16384 MiB), p4d.24xlarge (96,
 * 1179648 MiB).
 */
class KarpenterNodePoolTest {

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Requirements as JSON, the pool's offers by type: Karpenter's semantics of each operator. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['3']}]; m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['4']}]; c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lt','values':['8']}]; m6i.large m6i.xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['2']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lt','values':['8']}]; m6i.xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gte','values':['4']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lte','values':['8']}]; m6i.xlarge c6i.2xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['8']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lt','values':['8']}]; ",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'In','values':['2','8','96']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['4']}]; c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'NotIn','values':['96']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['2']}]; m6i.xlarge c6i.2xlarge",
            "[{'key':'karpenter.k8s.aws/instance-memory','operator':'Gt','values':['8191']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-memory','operator':'Gt','values':['8192']},"
                    + "{'key':'karpenter.k8s.aws/instance-memory','operator':'Lt','values':['100000']}]; m6i.xlarge c6i.2xlarge",
            "[{'key':'karpenter.k8s.aws/instance-generation','operator':'Gt','values':['5']}]; m6i.large m6i.xlarge c6i.2xlarge",
            "[{'key':'karpenter.k8s.aws/instance-category','operator':'In','values':['c','p']}]; c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-family','operator':'NotIn','values':['m6i']}]; c6i.2xlarge p4d.24xlarge",
            "[{'key':'karpenter.k8s.aws/instance-size','operator':'In','values':['xlarge','2xlarge']}]; m6i.xlarge c6i.2xlarge",
            // A non-integer label never passes an integer bound.
            "[{'key':'node.kubernetes.io/instance-type','operator':'Gt','values':['0']}]; ",
            "[{'key':'karpenter.k8s.aws/instance-family','operator':'Lt','values':['99']}]; ",
            // A label the provider cannot know from a price list is not checked.
            "[{'key':'karpenter.k8s.aws/instance-hypervisor','operator':'In','values':['nitro']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'kubernetes.io/os','operator':'In','values':['windows']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            // The test price list is all x86 (no Graviton 'g' after the generation): amd64.
            "[{'key':'kubernetes.io/arch','operator':'In','values':['arm64']}]; ",
            "[{'key':'kubernetes.io/arch','operator':'In','values':['amd64']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'kubernetes.io/arch','operator':'NotIn','values':['amd64']}]; ",
            // Every offer is in eu-west-1: a zone of another region takes none of them.
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['us-east-1a']}]; ",
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['us-east-1a','eu-west-1b']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['eu-west-10a']}]; ",
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['eu-west-1a']},"
                    + "{'key':'topology.kubernetes.io/zone','operator':'NotIn','values':['eu-west-1a']}]; ",
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['eu-west-1a']},"
                    + "{'key':'topology.kubernetes.io/zone','operator':'In','values':['eu-west-1b']}]; ",
            // The zones of a region the price list does not know: a NotIn leaves some.
            "[{'key':'topology.kubernetes.io/zone','operator':'NotIn','values':['eu-west-1a','eu-west-1b']}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            "[{'key':'topology.kubernetes.io/zone','operator':'Exists'}]; m6i.large m6i.xlarge c6i.2xlarge p4d.24xlarge",
            // Every node has a zone, and none is an integer.
            "[{'key':'topology.kubernetes.io/zone','operator':'DoesNotExist'}]; ",
            "[{'key':'topology.kubernetes.io/zone','operator':'Gt','values':['0']}]; "})
    void offers_poolRequirements_areReadAsKarpenterReadsThem(String requirements, String offered) {
        pool(requirements);
        List<String> expected = offered == null ? List.of() : List.of(offered.split(" "));
        assertEquals(expected, cluster.cloud().offers().stream().map(Offer::instanceType).toList());
    }

    @Test
    void provision_typeThePoolsIntegerRequirementForbids_isRefused_andMakesNothing() {
        pool("[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['4']}]");
        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("small", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("m6i.large") && e.getMessage().contains("'general'"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    /**
     * A requirement the price list can check and the offer fails: refused before anything is made, naming the
     * pool, the requirement and the offer, rather than a claim Karpenter could never fill.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "[{'key':'topology.kubernetes.io/zone','operator':'In','values':['us-east-1a','us-east-1b']}];"
                    + " topology.kubernetes.io/zone In [us-east-1a, us-east-1b]",
            "[{'key':'kubernetes.io/arch','operator':'In','values':['arm64']}]; kubernetes.io/arch In [arm64]",
            "[{'key':'topology.kubernetes.io/zone','operator':'DoesNotExist'}]; topology.kubernetes.io/zone DoesNotExist"})
    void provision_requirementTheOfferCannotMeet_isRefusedNamingPoolRequirementAndOffer_andMakesNothing(
            String requirements, String requirement) {
        pool(requirements);
        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("elsewhere", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("'general'") && e.getMessage().contains(requirement)
                && e.getMessage().contains("'m6i.large'") && e.getMessage().contains("'eu-west-1'"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    /**
     * The pool's requirements are the server's text: a value that holds a line break, or thousands of values,
     * neither forges a log line nor makes a message of megabytes.
     */
    @Test
    void provision_refusalQuotingThePoolsRequirements_isEscapedAndBounded() {
        StringBuilder values = new StringBuilder("'us-east-1a\\n2026-12-07 INFO forged line'");
        for (int i = 0; i < 5_000; i++) {
            values.append(",'us-east-1-zone-").append(i).append('\'');
        }
        // A pool of 5,000 values is a large object: written and read through a client that waits longer than the
        // others' two seconds, which the mock server's first handling of one can take on a busy machine.
        CloudException e;
        try (KubernetesClient patient = FaultyCluster.client(cluster.client.getConfiguration(), 30_000)) {
            GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
            p.setAdditionalProperty("spec", Map.of("template", Map.of("spec", Map.of("requirements", Serialization.unmarshal(
                    ("[{'key':'topology.kubernetes.io/zone','operator':'In','values':[" + values + "]}]").replace('\'', '"'),
                    List.class)))));
            patient.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
            KarpenterCloud cloud = KarpenterCloud.builder(patient, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                    .build();
            e = assertThrows(CloudException.class, () -> cloud.provision(KarpenterCloudFaultsTest.request("elsewhere", 1)));
        }
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains("us-east-1a\\u000a2026-12-07 INFO forged line"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 1_000 && e.getMessage().endsWith("characters); nothing was made"),
                e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    /** Graviton by the name as AWS spells it; a name of another form tells no architecture. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"m6g.large, arm64", "c7gn.xlarge, arm64", "t4g.micro, arm64", "im4gn.large, arm64", "is4gen.large, arm64",
            "g5g.xlarge, arm64", "a1.medium, arm64", "mac2-m2pro.metal, arm64", "mac1.metal, amd64", "m6i.large, amd64",
            "g5.xlarge, amd64", "g4ad.xlarge, amd64", "gr6.4xlarge, amd64", "u-6tb1.56xlarge, amd64",
            "c7i-flex.large, amd64", "m.xlarge, ", "n2-standard-4, ", "Standard_D2ps_v5, "})
    void architecture_isReadFromAnAwsTypeName(String type, String arch) {
        assertEquals(java.util.Optional.ofNullable(arch), NodePoolSpec.architecture(type));
    }

    /** A zone requirement on a region the provision is not in still passes through on the claim, as the pool writes it. */
    @Test
    @SuppressWarnings("unchecked")
    void provision_zoneOfTheOffersRegion_isAllowed_andGoesOnTheClaim() {
        pool("[{'key':'topology.kubernetes.io/zone','operator':'In','values':['us-east-1a','eu-west-1c']}]");
        cluster.cloud().provision(KarpenterCloudFaultsTest.request("zoned", 1));
        List<Map<String, Object>> reqs = (List<Map<String, Object>>) ((Map<String, Object>) cluster.claims().get(0)
                .getAdditionalProperties().get("spec")).get("requirements");
        assertTrue(reqs.contains(Map.of("key", KarpenterCloud.ZONE, "operator", "In",
                "values", List.of("us-east-1a", "eu-west-1c"))), reqs.toString());
    }

    /**
     * An offer always has an on-demand price, so a spot-only pool still lists it; an on-demand provision there
     * would ask for a capacity type the pool forbids, and is refused instead.
     */
    @Test
    void provision_onDemandInASpotOnlyPool_isRefused_andMakesNothing() {
        pool("[{'key':'karpenter.sh/capacity-type','operator':'NotIn','values':['on-demand']}]");
        KarpenterCloud cloud = cluster.cloud();
        assertTrue(cloud.offers().stream().anyMatch(o -> o.instanceType().equals("m6i.large") && o.spotAvailable()));
        CloudException e = assertThrows(CloudException.class,
                () -> cloud.provision(KarpenterCloudFaultsTest.request("on-demand", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("on-demand") && e.getMessage().contains("'general'"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
        assertEquals(1, cloud.provision(new io.fleetpredict.cloud.ProvisionRequest("spot", "m6i.large", "eu-west-1",
                io.fleetpredict.cloud.PurchaseOption.SPOT, 1, Map.of())).fulfilled());
    }

    /** Karpenter's schema admits one non-negative integer for the bounds, and only its own operators. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':['four']}]; requirements[0].values",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lt','values':['2','8']}]; requirements[0].values",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gt','values':[]}]; requirements[0].values",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Gte','values':['-1']}]; requirements[0].values",
            "[{'key':'karpenter.k8s.aws/instance-cpu','operator':'Lt','values':['1.5']}]; requirements[0].values",
            "[{'key':'karpenter.sh/capacity-type','operator':'In','values':['spot']},"
                    + "{'key':'karpenter.k8s.aws/instance-cpu','operator':'Between','values':['2']}]; requirements[1].operator"})
    void offers_requirementKarpenterWouldRefuse_namesThePoolAndTheField(String requirements, String field) {
        pool(requirements);
        CloudException e = assertThrows(CloudException.class, cluster.cloud()::offers);
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("'general'") && e.getMessage().contains(field), e.getMessage());
    }

    /**
     * Limits, the pool's status, how many m6i.large (2 vCPUs, 8 GiB) to make, and the refusal if any: a node
     * counts its vCPUs against {@code cpu}, its memory against {@code memory} and one against {@code nodes}; a resource the price list does not describe refuses only once its use is
     * already past the limit, as Karpenter then launches nothing in the pool.
     */
    @ParameterizedTest(name = "limits {0}, status {1}, {2} nodes: {3}")
    @CsvSource(delimiter = ';', value = {
            "{'cpu': '10'}; {'resources': {'cpu': '4'}}; 4; QUOTA_EXCEEDED",
            "{'cpu': '10'}; {'resources': {'cpu': '4'}}; 3; ",
            "{'cpu': '10000m'}; {'resources': {'cpu': '4500m'}}; 3; QUOTA_EXCEEDED",
            "{'memory': '40Gi'}; {}; 5; ",
            "{'memory': '40Gi'}; {}; 6; QUOTA_EXCEEDED",
            "{'cpu': '1000'}; {}; 100000; QUOTA_EXCEEDED",
            "{'cpu': 'lots'}; {}; 1; INVALID_REQUEST",
            "{'nodes': '3'}; {'resources': {'nodes': '1'}}; 2; ",
            "{'nodes': '3'}; {'resources': {'nodes': '1'}}; 3; QUOTA_EXCEEDED",
            "{'nodes': 3}; {'nodes': 2}; 2; QUOTA_EXCEEDED",
            "{'nodes': '3'}; {}; 3; ",
            "{'nodes': '3', 'cpu': '100'}; {'resources': {'cpu': '97500m'}}; 1; ",
            "{'nodes': '3', 'cpu': '100'}; {'resources': {'cpu': '97500m'}}; 2; QUOTA_EXCEEDED",
            "{'nvidia.com/gpu': '2'}; {'resources': {'nvidia.com/gpu': '3'}}; 1; QUOTA_EXCEEDED",
            "{'nvidia.com/gpu': '2'}; {'resources': {'nvidia.com/gpu': '2'}}; 1; ",
            "{'pods': '110', 'ephemeral-storage': '1Ti'}; {'resources': {'pods': '40', 'ephemeral-storage': '1100G'}}; 1; QUOTA_EXCEEDED",
            "{'pods': '110', 'ephemeral-storage': '1Ti'}; {'resources': {'pods': '40', 'ephemeral-storage': '1000G'}}; 1; ",
            "{'memory': '16Gi'}; {'resources': {'memory': '1G'}}; 1; ",
            "{'memory': '16Gi'}; {'resources': {'memory': '1G'}}; 2; QUOTA_EXCEEDED",
            "{'nodes': 'many'}; {}; 1; INVALID_REQUEST",
            "{'nodes': '3'}; {'nodes': 'some'}; 1; INVALID_REQUEST"})
    void provision_poolLimits_areEnforced_beforeAnythingIsMade(String limits, String status, int count,
            Kind refused) {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        spec.put("limits", json(limits));
        pool(spec, json(status));
        if (refused == null) {
            assertEquals(count, cluster.cloud().provision(KarpenterCloudFaultsTest.request("limited", count)).fulfilled());
            return;
        }
        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("limited", count)));
        assertEquals(refused, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("'general'"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    /**
     * A quantity's syntax allows any exponent, and adding one of {@code 1e-99999999} to the pool's use took
     * minutes and then the heap: Kubernetes holds none above 2^63 - 1 or finer than a nano, so such a limit or
     * use is refused as malformed, naming the pool and the field, with nothing made.
     */
    @ParameterizedTest(name = "limits {0}, status {1}")
    @CsvSource(delimiter = ';', value = {
            "{'cpu': '1e-99999999'}; {}; spec.limits.cpu",
            "{'cpu': '10'}; {'resources': {'cpu': '1e-99999999'}}; status.resources.cpu",
            "{'cpu': '10'}; {'resources': {'cpu': '1E+99999999'}}; status.resources.cpu",
            "{'memory': '0.1e-99999999'}; {}; spec.limits.memory",
            "{'cpu': '1e-12'}; {}; spec.limits.cpu",
            "{'nodes': '3'}; {'nodes': '12345678901234567890'}; status.nodes",
            "{'cpu': '10'}; {'resources': {'cpu': '0.00000000000000000000000000000000000000000000000000000000000000001'}};"
                    + " status.resources.cpu"})
    void provision_quantityBeyondWhatKubernetesHolds_isRefusedAsMalformed_andMakesNothing(String limits, String status,
            String field) {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        spec.put("limits", json(limits));
        pool(spec, json(status));
        CloudException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("limited", 1))));
        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("node pool 'general' has a malformed " + field + ": "), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @Test
    void provision_quantitiesAtTheEdgesOfWhatKubernetesHolds_areRead() {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        spec.put("limits", Map.of("cpu", "9223372036854775807", "memory", "8Ei", "nodes", "1000000000e-9"));
        pool(spec, Map.of("resources", Map.of("cpu", "0.000000001", "memory", "1n")));
        assertEquals(1, cluster.cloud().provision(KarpenterCloudFaultsTest.request("limited", 1)).fulfilled());
    }

    /**
     * Karpenter counts a claim in the pool's status only once it is launched: with the status held where it
     * was, the claims of a first provision still count against the limits of the next one.
     */
    @ParameterizedTest(name = "limits {0}, then {1} and {2} nodes: {3}")
    @CsvSource(delimiter = ';', value = {
            "{'nodes': '3'}; 2; 2; QUOTA_EXCEEDED",
            "{'nodes': '3'}; 2; 1; ",
            "{'cpu': '5'}; 2; 1; QUOTA_EXCEEDED",
            "{'cpu': '6'}; 2; 1; ",
            "{'memory': '24Gi'}; 1; 2; ",
            "{'memory': '24Gi'}; 2; 2; QUOTA_EXCEEDED"})
    void provision_afterAnotherWhileThePoolsStatusLags_countsTheUnlaunchedClaims(String limits, int first, int second,
            Kind refused) {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        spec.put("limits", json(limits));
        pool(spec, Map.of());
        KarpenterCloud cloud = cluster.cloud();
        assertEquals(first, cloud.provision(KarpenterCloudFaultsTest.request("first", first)).fulfilled());
        if (refused == null) {
            assertEquals(second, cloud.provision(KarpenterCloudFaultsTest.request("second", second)).fulfilled());
            return;
        }
        CloudException e = assertThrows(CloudException.class,
                () -> cloud.provision(KarpenterCloudFaultsTest.request("second", second)));
        assertEquals(refused, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("'general'") && e.getMessage().contains("not yet in the pool's status"),
                e.getMessage());
        assertEquals(first, cluster.claimNames().size());
    }

    /**
     * A claim Karpenter has launched (its capacity set) is in the pool's status, and one being deleted will
     * never launch: neither counts twice.
     */
    @Test
    void provision_claimsLaunchedOrBeingDeleted_areLeftToThePoolsStatus() {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        spec.put("limits", Map.of("nodes", "2"));
        pool(spec, Map.of());
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(KarpenterCloudFaultsTest.request("first", 2));
        List<GenericKubernetesResource> claims = cluster.claims();
        GenericKubernetesResource launched = claims.get(0);
        launched.setAdditionalProperty("status", Map.of("capacity", Map.of("cpu", "2", "memory", "8Gi")));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(launched).update();
        GenericKubernetesResource leaving = claims.get(1);
        leaving.getMetadata().setFinalizers(List.of("karpenter.sh/termination"));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(leaving).update();
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(leaving.getMetadata().getName())
                .delete();
        pool(spec, Map.of("resources", Map.of("nodes", "1")));
        assertEquals(1, cloud.provision(KarpenterCloudFaultsTest.request("second", 1)).fulfilled());
    }

    /**
     * A claim carries what Karpenter would put on a claim of the pool: the template's labels and annotations
     * (pods that select the pool's labels can use the node), taints and startup taints (pods that do not
     * tolerate them stay off), expiry and termination grace period, and the requirements on labels the
     * provider does not set itself.
     */
    @Test
    @SuppressWarnings("unchecked")
    void provision_claimCarriesThePoolTemplatesLabelsTaintsExpiryAndOtherRequirements() {
        pool(json("""
                {'template': {'metadata': {'labels': {'team': 'web', 'karpenter.sh/nodepool': 'other'},
                                           'annotations': {'example.com/owner': 'web-team'}},
                  'spec': {'nodeClassRef': {'group': 'karpenter.k8s.aws', 'kind': 'EC2NodeClass', 'name': 'default'},
                           'taints': [{'key': 'dedicated', 'value': 'web', 'effect': 'NoSchedule'}],
                           'startupTaints': [{'key': 'node.cilium.io/agent-not-ready', 'value': 'true', 'effect': 'NoExecute'}],
                           'expireAfter': 'Never', 'terminationGracePeriod': '48h',
                           'requirements': [
                             {'key': 'kubernetes.io/os', 'operator': 'In', 'values': ['linux']},
                             {'key': 'topology.kubernetes.io/zone', 'operator': 'NotIn', 'values': ['eu-west-1c']},
                             {'key': 'node.kubernetes.io/instance-type', 'operator': 'In', 'values': ['m6i.large', 'm6i.xlarge']},
                             {'key': 'karpenter.sh/capacity-type', 'operator': 'In', 'values': ['spot', 'on-demand']}]}}}
                """), Map.of());
        cluster.cloud().provision(KarpenterCloudFaultsTest.request("templated", 1));
        GenericKubernetesResource claim = cluster.claims().get(0);
        Map<String, String> labels = claim.getMetadata().getLabels();
        assertEquals("web", labels.get("team"));
        assertEquals("general", labels.get(KarpenterCloud.NODE_POOL));
        assertEquals(KarpenterCloud.MANAGER, labels.get(KarpenterCloud.MANAGED));
        assertEquals("web-team", claim.getMetadata().getAnnotations().get("example.com/owner"));
        Map<String, Object> spec = (Map<String, Object>) claim.getAdditionalProperties().get("spec");
        assertEquals(List.of(Map.of("key", "dedicated", "value", "web", "effect", "NoSchedule")), spec.get("taints"));
        assertEquals(List.of(Map.of("key", "node.cilium.io/agent-not-ready", "value", "true", "effect", "NoExecute")),
                spec.get("startupTaints"));
        assertEquals("Never", spec.get("expireAfter"));
        assertEquals("48h", spec.get("terminationGracePeriod"));
        assertEquals(List.of(
                Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "In", "values", List.of("m6i.large")),
                Map.of("key", KarpenterCloud.CAPACITY_TYPE, "operator", "In", "values", List.of("on-demand")),
                Map.of("key", KarpenterCloud.REGION, "operator", "In", "values", List.of("eu-west-1")),
                Map.of("key", "kubernetes.io/os", "operator", "In", "values", List.of("linux")),
                Map.of("key", KarpenterCloud.ZONE, "operator", "NotIn", "values", List.of("eu-west-1c"))),
                spec.get("requirements"));
    }

    @ParameterizedTest(name = "template metadata {0}")
    @CsvSource(delimiter = ';', value = {"{'labels': {'team': 7}}; spec.template.metadata.labels",
            "{'annotations': ['a']}; spec.template.metadata.annotations", "7; spec.template.metadata"})
    void offers_templateMetadataThatIsNotStrings_namesThePoolAndTheField(String metadata, String field) {
        pool(json("{'template': {'metadata': " + metadata + "}}"), Map.of());
        CloudException e = assertThrows(CloudException.class, cluster.cloud()::offers);
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("'general'") && e.getMessage().contains(field), e.getMessage());
    }

    /**
     * A node made ahead of demand has no pods yet, and Karpenter consolidates empty nodes within the pool's
     * {@code consolidateAfter}: the claims ask Karpenter not to disrupt them, since release
     * ends them, unless the pool's template says otherwise.
     */
    @ParameterizedTest(name = "template annotation {0}: claim {1}")
    @SuppressWarnings("unchecked")
    @CsvSource({"'', true", "false, false", "true, true"})
    void provision_claimAsksKarpenterNotToConsolidateIt_unlessThePoolSaysOtherwise(String template, String expected) {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        Map<String, Object> t = new HashMap<>((Map<String, Object>) spec.get("template"));
        if (!template.isEmpty()) {
            t.put("metadata", Map.of("annotations", Map.of(KarpenterCloud.DO_NOT_DISRUPT, template)));
        }
        spec.put("template", t);
        pool(spec, Map.of());
        cluster.cloud().provision(KarpenterCloudFaultsTest.request("kept", 1));
        assertEquals(expected, cluster.claims().get(0).getMetadata().getAnnotations().get(KarpenterCloud.DO_NOT_DISRUPT));
    }

    /**
     * As Karpenter's own claims: owned by the pool (deleting the pool deletes them), stamped with the pool's
     * hash (so Karpenter sees them drift when the pool changes), and without the pool's {@code minValues},
     * which a claim for one instance type could never meet.
     */
    @Test
    @SuppressWarnings("unchecked")
    void provision_claimIsOwnedByThePool_carriesItsHash_andDropsMinValues() {
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        Map<String, Object> spec = json("""
                {'template': {'spec': {'requirements': [
                  {'key': 'karpenter.k8s.aws/instance-family', 'operator': 'In', 'values': ['m6i', 'c6i'], 'minValues': 2}]}}}
                """);
        p.setAdditionalProperty("spec", spec);
        p.getMetadata().setAnnotations(Map.of("karpenter.sh/nodepool-hash", "1234", "karpenter.sh/nodepool-hash-version", "v3"));
        GenericKubernetesResource stored = cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
        cluster.cloud().provision(KarpenterCloudFaultsTest.request("owned", 1));
        GenericKubernetesResource claim = cluster.claims().get(0);
        assertEquals(1, claim.getMetadata().getOwnerReferences().size());
        var owner = claim.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("karpenter.sh/v1", "NodePool", "general", stored.getMetadata().getUid(), true),
                List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid(), owner.getBlockOwnerDeletion()));
        assertEquals("1234", claim.getMetadata().getAnnotations().get("karpenter.sh/nodepool-hash"));
        assertEquals("v3", claim.getMetadata().getAnnotations().get("karpenter.sh/nodepool-hash-version"));
        List<Map<String, Object>> reqs = (List<Map<String, Object>>) ((Map<String, Object>) claim.getAdditionalProperties()
                .get("spec")).get("requirements");
        assertTrue(reqs.contains(Map.of("key", "karpenter.k8s.aws/instance-family", "operator", "In",
                "values", List.of("m6i", "c6i"))), reqs.toString());
    }

    /**
     * A Ready node still under a startup taint of its claim (a network agent not yet up) or under Karpenter's
     * {@code karpenter.sh/unregistered} taint takes no pods yet: its instance is running only once they are gone.
     */
    @ParameterizedTest(name = "node taint {0}")
    @CsvSource({"node.cilium.io/agent-not-ready", "karpenter.sh/unregistered"})
    void describe_readyNodeUnderAStartupTaint_isPendingUntilTheTaintIsGone(String taint) {
        Map<String, Object> spec = new HashMap<>(spec(KarpenterCloudCompatibilityTest.nodePool()));
        @SuppressWarnings("unchecked")
        Map<String, Object> t = new HashMap<>((Map<String, Object>) spec.get("template"));
        @SuppressWarnings("unchecked")
        Map<String, Object> tspec = new HashMap<>((Map<String, Object>) t.get("spec"));
        tspec.put("startupTaints", List.of(Map.of("key", "node.cilium.io/agent-not-ready", "value", "true",
                "effect", "NoExecute")));
        t.put("spec", tspec);
        spec.put("template", t);
        pool(spec, Map.of());
        KarpenterCloud cloud = cluster.cloud();
        String id = cloud.provision(KarpenterCloudFaultsTest.request("tainted", 1)).instances().get(0).id();
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1")
                .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                .withNewSpec().addNewTaint().withKey(taint).withEffect("NoExecute").endTaint().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
                .create();
        GenericKubernetesResource claim = cluster.claims().get(0);
        claim.setAdditionalProperty("status", Map.of("nodeName", "node-1"));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();
        assertEquals(InstanceState.PENDING, cloud.describe(DescribeRequest.all()).instances().get(0).state());

        cluster.client.nodes().withName("node-1").edit(n -> new NodeBuilder(n).editSpec().withTaints(List.of()).endSpec().build());
        Instance running = cloud.describe(DescribeRequest.all()).instances().get(0);
        assertEquals(List.of(id, InstanceState.RUNNING), List.of(running.id(), running.state()));
    }

    /** Providers of two pools keep their records in one namespace: each sees and releases its own instances only. */
    @Test
    void describe_twoPoolsInOneNamespace_eachShowsOnlyItsOwnInstances() {
        GenericKubernetesResource gpu = KarpenterCloudCompatibilityTest.nodePool();
        gpu.getMetadata().setName("gpu");
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(gpu).create();
        KarpenterCloud general = cluster.cloud();
        KarpenterCloud other = KarpenterCloud.builder(cluster.client, "gpu").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .build();
        String mine = general.provision(KarpenterCloudFaultsTest.request("general-1", 1)).instances().get(0).id();
        List<String> theirs = other.provision(KarpenterCloudFaultsTest.request("gpu-1", 2)).instances().stream()
                .map(Instance::id).toList();
        other.release(io.fleetpredict.cloud.ReleaseRequest.of("gpu-release", List.of(theirs.get(0))));

        assertEquals(List.of(mine), general.describe(DescribeRequest.all()).instances().stream().map(Instance::id).toList());
        assertEquals(theirs, other.describe(DescribeRequest.all()).instances().stream().map(Instance::id).sorted().toList());
        CloudException e = assertThrows(CloudException.class,
                () -> general.release(io.fleetpredict.cloud.ReleaseRequest.of("cross", List.of(theirs.get(1)))));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertEquals(2, cluster.claimNames().size());
    }

    /** Karpenter launches nothing for a pool being deleted, and the claims would go with it. */
    @Test
    void provision_inAPoolBeingDeleted_isRefused_andMakesNothing() {
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        p.getMetadata().setFinalizers(List.of("karpenter.sh/termination"));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).withName("general").delete();
        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("late", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("'general'") && e.getMessage().contains("being deleted"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String json) {
        return Serialization.unmarshal(json.replace('\'', '"'), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource pool) {
        return (Map<String, Object>) pool.getAdditionalProperties().get("spec");
    }

    private void pool(String requirements) {
        pool(Map.of("template", Map.of("spec", Map.of("requirements",
                Serialization.unmarshal(requirements.replace('\'', '"'), List.class)))), Map.of());
    }

    /** Replaces the pool's spec and status. */
    void pool(Map<String, Object> spec, Map<String, Object> status) {
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        p.setAdditionalProperty("spec", new HashMap<>(spec));
        p.setAdditionalProperty("status", status);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
    }

    /** A pool that allows on-demand capacity only takes an on-demand provision. */
    @Test
    void provision_onDemandInAnOnDemandOnlyPool_isMade() {
        pool("[{'key':'karpenter.sh/capacity-type','operator':'In','values':['on-demand']}]");
        assertEquals(1, cluster.cloud().provision(KarpenterCloudFaultsTest.request("on-demand", 1)).fulfilled());
    }

    /**
     * A node that came up and then stops being Ready (its kubelet missed heartbeats: the node controller sets
     * {@code Ready} to {@code Unknown}; or the kubelet reports {@code False}), or whose Node object is gone, stays
     * running: Karpenter recorded it initialized, on the claim's {@code Initialized} condition or the node's
     * {@code karpenter.sh/initialized} label, which it never takes back. A node never initialized is pending
     * while it is not Ready, whatever else the claim says. The status is as Karpenter v1 writes it.
     */
    @ParameterizedTest(name = "claim Initialized {0}, node label {1}, node {2} Ready {3}: {4}")
    @CsvSource({"True, , node-1, Unknown, RUNNING", "True, , node-1, False, RUNNING", "True, , absent, True, RUNNING",
        ", true, node-1, Unknown, RUNNING", "True, true, node-1, True, RUNNING",
        "False, , node-1, Unknown, PENDING", "False, false, node-1, False, PENDING", ", , node-1, Unknown, PENDING"})
    void describe_nodeKarpenterInitializedOnce_staysRunningWhenItIsNotReady(String initialized, String label,
            String nodeName, String ready, InstanceState expected) {
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(KarpenterCloudFaultsTest.request("came-up", 1));
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName("node-1")
                .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready)
                .withReason("NodeStatusUnknown").endCondition().endStatus();
        if (label != null) {
            node.editMetadata().addToLabels(KarpenterCloud.INITIALIZED, label).endMetadata();
        }
        cluster.client.nodes().resource(node.build()).create();
        GenericKubernetesResource claim = cluster.claims().get(0);
        claim.setAdditionalProperty("status", karpenterStatus(nodeName, initialized));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();

        assertEquals(expected, cloud.describe(DescribeRequest.all()).instances().get(0).state());
    }

    /**
     * A NodeClaim's status as Karpenter v1 writes it: the node and provider ids, capacity, and the conditions
     * {@code Launched}, {@code Registered}, {@code Initialized} and {@code Ready} (true once the other three are),
     * each with its transition time; {@code initialized} {@code null} leaves that condition out.
     */
    static Map<String, Object> karpenterStatus(String nodeName, @org.jspecify.annotations.Nullable String initialized) {
        String at = "2026-12-07T10:00:00Z";
        List<Map<String, Object>> conditions = new java.util.ArrayList<>();
        conditions.add(Map.of("type", "Launched", "status", "True", "reason", "Launched", "message", "",
                "lastTransitionTime", at, "observedGeneration", 1));
        conditions.add(Map.of("type", "Registered", "status", "True", "reason", "Registered", "message", "",
                "lastTransitionTime", at, "observedGeneration", 1));
        if (initialized != null) {
            boolean done = "True".equals(initialized);
            conditions.add(Map.of("type", "Initialized", "status", initialized,
                    "reason", done ? "Initialized" : "NodeNotReady", "message", done ? "" : "Node status is NotReady",
                    "lastTransitionTime", at, "observedGeneration", 1));
            conditions.add(Map.of("type", "Ready", "status", initialized, "reason", done ? "Ready" : "UnhealthyDependents",
                    "message", done ? "" : "Initialized=False", "lastTransitionTime", at, "observedGeneration", 1));
        }
        return Map.of("nodeName", nodeName, "providerID", "aws:///eu-west-1a/i-0123456789abcdef0",
                "imageID", "ami-0123456789abcdef0", "capacity", Map.of("cpu", "2", "memory", "8Gi", "pods", "29"),
                "conditions", conditions);
    }

    /**
     * An instance runs once its claim names a node that exists, is Ready, and carries none of the taints that
     * wait for something: a taint of another kind (a dedicated node's, say) does not hold it back.
     */
    @ParameterizedTest(name = "node {0}, Ready {1}, taint {2}: {3}")
    @CsvSource({"node-1, True, dedicated, RUNNING", "node-1, True, , RUNNING", "node-1, False, , PENDING",
        "node-1, Unknown, , PENDING", "absent, True, , PENDING"})
    void describe_instanceState_followsItsNodesReadinessAndWaitingTaints(String nodeName, String ready,
            String taint, InstanceState expected) {
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(KarpenterCloudFaultsTest.request("node-state", 1));
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName("node-1")
                .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).endCondition().endStatus();
        if (taint != null) {
            node.withNewSpec().addNewTaint().withKey(taint).withValue("gpu").withEffect("NoSchedule").endTaint().endSpec();
        }
        cluster.client.nodes().resource(node.build()).create();
        GenericKubernetesResource claim = cluster.claims().get(0);
        claim.setAdditionalProperty("status", Map.of("nodeName", nodeName));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();

        assertEquals(expected, cloud.describe(DescribeRequest.all()).instances().get(0).state());
    }
}
