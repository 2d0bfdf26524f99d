package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provisions and releases whose records pass what a ConfigMap holds as text. The cluster refuses a ConfigMap
 * over 1 MiB as a real API server does (HTTP 422, "Too long"), which fabric8's CRUD mock server alone does not.
 * A record lists each instance, so instead of thousands of instances with short keys (about 400 bytes each as
 * JSON, 2,500 pass the limit), these use a few hundred with long keys, which take the same room.
 */
class KarpenterLargeRequestTest {

    /** The binary entry of a record that keeps its instances compressed. */
    private static final String COMPRESSED = "instances.json.gz";

    /** An idempotency key of about 3,000 characters: its instances take about 3.4 KB each in a record. */
    private static String longKey(String name) {
        return name + "-" + "k".repeat(3_000);
    }

    /**
     * A key of 40,000 characters no compressor can shorten much (seeded, printable, no character JSON escapes):
     * each instance under it adds more than 32 KB to a compressed record, as gzip finds no repeat farther back.
     */
    private static String incompressibleKey(long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder(40_000);
        while (b.length() < 40_000) {
            char c = (char) (35 + random.nextInt(90));  // '#' to '|': no quote, no backslash
            if (c != '\\') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static ProvisionRequest request(String key, int count) {
        return new ProvisionRequest(key, "m6i.large", "eu-west-1", PurchaseOption.ON_DEMAND, count, Map.of("service", "web"));
    }

    private ConfigMap configMap(String name) {
        return cluster.client.configMaps().inNamespace("default").withName(name).get();
    }

    @Test
    void provision_recordPastOneMebibyteAsText_isKeptCompressed_andTheKeyAnswersIt() {
        KarpenterCloud cloud = cluster.cloud();
        ProvisionRequest large = request(longKey("scale-out"), 400);

        ProvisionResult first = cloud.provision(large);

        assertEquals(400, first.instances().size());
        ConfigMap record = configMap(KarpenterCloud.provisionRecordName("general", KarpenterCloud.hash(large.idempotencyKey())));
        assertNotNull(record, "the provision's record");
        assertTrue(record.getBinaryData() != null && record.getBinaryData().containsKey(COMPRESSED),
                "the record keeps its instances compressed");
        // The key answers the first result once the claims are gone: from the record alone.
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).delete();
        assertEquals(first.instances(), cloud.provision(large).instances());
        assertEquals(List.of(), cluster.claimNames(), "nothing was made again");
    }

    @Test
    void provision_whoseRecordWouldNotFitEvenCompressed_isRefusedBeforeAnyClaimIsMade() {
        // 40 instances of a 40,000-character key: 1.6 MB as text, more than 1 MiB compressed.
        String key = incompressibleKey(7);

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request(key, 40)));

        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("1048576 bytes") && e.getMessage().contains("nothing was made"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
        // Fewer instances under the same key fit, and are made.
        assertEquals(10, cluster.cloud().provision(request(key, 10)).instances().size());
    }

    @Test
    void provision_ofMoreClaimsThanThePoolCanList_isRefusedBeforeAnyIsMade() {
        // Were one made, the cluster would refuse it: the provision would fail on that, not be refused up front.
        cluster.fail("POST", "/apis/karpenter.sh/v1/nodeclaims", 1, 500, FaultyCluster.status(500, "InternalError",
                "a claim was made"));

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request("huge", 500_001)));

        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("500000 NodeClaims") && e.getMessage().contains("nothing was made"),
                e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @Test
    void release_recordPastOneMebibyteAsText_isKeptCompressed_andARetryAnswersTheFirstResult() {
        KarpenterCloud cloud = cluster.cloud();
        Set<String> ids = new TreeSet<>();
        for (int batch = 0; batch < 4; batch++) {  // each provision's record fits as text
            cloud.provision(request(longKey("scale-out-" + batch), 100)).instances().forEach(i -> ids.add(i.id()));
        }
        ReleaseRequest scaleIn = ReleaseRequest.of("scale-in", ids);

        ReleaseResult first = cloud.release(scaleIn);

        assertEquals(ids, ids(first.instances()));
        assertEquals(List.of(), cluster.claims().stream().filter(c -> c.getMetadata().getDeletionTimestamp() == null)
                .map(c -> c.getMetadata().getName()).toList(), "every claim is deleted");
        ConfigMap record = configMap(KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash("scale-in")));
        assertNotNull(record, "the release's record");
        assertTrue(record.getBinaryData() != null && record.getBinaryData().containsKey(COMPRESSED),
                "the record keeps its instances compressed");
        assertTrue(record.getData().get("request").startsWith("sha256:"), record.getData().get("request"));
        assertEquals(first.instances(), cloud.release(scaleIn).instances(), "a retry answers the first result");
        List<String> fewer = new ArrayList<>(ids).subList(0, 399);
        CloudException reused = assertThrows(CloudException.class, () -> cloud.release(ReleaseRequest.of("scale-in", fewer)));
        assertEquals(Kind.INVALID_REQUEST, reused.kind(), reused.getMessage());
    }

    @Test
    void release_whoseRecordWouldNotFitEvenCompressed_isRefusedBeforeAnyClaimIsDeleted() {
        KarpenterCloud cloud = cluster.cloud();
        Set<String> ids = new TreeSet<>();
        for (int batch = 0; batch < 2; batch++) {  // 20 instances of a 40,000-character key: 800 KB, fits as text
            cloud.provision(request(incompressibleKey(batch), 20)).instances().forEach(i -> ids.add(i.id()));
        }

        CloudException e = assertThrows(CloudException.class, () -> cloud.release(ReleaseRequest.of("scale-in", ids)));

        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("1048576 bytes") && e.getMessage().contains("nothing was released"),
                e.getMessage());
        List<GenericKubernetesResource> claims = cluster.claims();
        assertEquals(ids, new TreeSet<>(claims.stream().map(c -> c.getMetadata().getName()).toList()));
        assertTrue(claims.stream().allMatch(c -> c.getMetadata().getDeletionTimestamp() == null), "no claim is deleted");
        assertFalse(cluster.requests.stream().anyMatch(r -> r.startsWith("DELETE")), "nothing was deleted");
        assertNull(configMap(KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash("scale-in"))));
        // Half of them under another key fit, and are released.
        List<String> half = new ArrayList<>(ids).subList(0, 20);
        assertEquals(20, cloud.release(ReleaseRequest.of("scale-in-1", half)).instances().size());
    }

    @Test
    void release_recordAnEarlierVersionWroteWithTheWholeListOfIds_stillAnswersTheKey() {
        KarpenterCloud cloud = cluster.cloud();
        List<Instance> launched = cloud.provision(request("scale-out", 30)).instances();
        Set<String> ids = ids(launched);
        String list = String.join(",", ids);
        assertTrue(list.length() > 1_024, "longer than a list kept whole now: " + list.length());
        List<Instance> ended = launched.stream()
                .map(i -> ClaimRecords.withState(i, io.fleetpredict.cloud.InstanceState.TERMINATING)).toList();
        // As an earlier version kept it: the list itself, however long, and the instances as text.
        cluster.client.configMaps().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName(KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash("scale-in")))
                .addToLabels(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER).addToLabels(KarpenterCloud.RECORD_POOL, "general")
                .addToLabels(KarpenterCloud.RELEASED, KarpenterCloud.hash("scale-in")).endMetadata()
                .withData(Map.of("request", list, "instances", ClaimRecords.writeInstances(ended))).build()).create();

        ReleaseResult answered = cloud.release(ReleaseRequest.of("scale-in", ids));

        assertEquals(ended, answered.instances(), "the recorded result");
        assertTrue(cluster.claims().stream().allMatch(c -> c.getMetadata().getDeletionTimestamp() == null),
                "nothing is deleted again");
    }

    @Test
    void body_countsBytesAsTheApiServerDoes_keysAndValuesInUtf8_binaryDecoded() {
        ClaimRecords.Body text = new ClaimRecords.Body(Map.of("ké", "€"), Map.of());
        assertEquals(3 + 3, text.bytes());  // "ké" is 3 bytes in UTF-8, "€" 3
        ClaimRecords.Body binary = new ClaimRecords.Body(Map.of(), Map.of("b", "AAECAw=="));
        assertEquals(1 + 4, binary.bytes());  // four bytes, eight as base64
    }

    @Test
    void body_ofAFiftyThousandInstanceScaleIn_fitsCompressed_andReadsBackWhole() {
        // 50,000 instances of 5,000 provisions, with keys and launch times as the core library makes them.
        List<Instance> instances = new ArrayList<>();
        java.time.Instant start = java.time.Instant.parse("2026-12-07T14:00:00.123456789Z");
        for (int p = 0; p < 5_000; p++) {
            String key = "fp-scale-out-web-" + KarpenterCloud.hash("provision " + p) + "-" + p;
            java.time.Instant launched = start.plusMillis(7_919L * p);
            for (int n = 0; n < 10; n++) {
                instances.add(new Instance(KarpenterCloud.claimName("general-purpose", KarpenterCloud.hash(key), n),
                        "m6i.large", "eu-west-1", PurchaseOption.ON_DEMAND, io.fleetpredict.cloud.InstanceState.TERMINATING,
                        launched, launched.plusSeconds(90), key, Map.of("service", "web", "team", "payments"), Map.of(),
                        0.107));
            }
        }
        String text = ClaimRecords.writeInstances(instances);
        assertTrue(text.length() > 10 * FaultyCluster.CONFIG_MAP_BYTES, "as text about 20 MB: " + text.length());

        ClaimRecords.Body body = ClaimRecords.body(Map.of("request", "sha256:..."), instances);

        assertTrue(body.fits(), "compressed: " + body.bytes());
        assertTrue(body.bytes() < FaultyCluster.CONFIG_MAP_BYTES / 2, "compressed: " + body.bytes());
        ConfigMap m = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("r").endMetadata()
                .withData(body.data()).withBinaryData(body.binaryData()).build();
        assertEquals(instances, ClaimRecords.readInstances(m));
    }

    private static Set<String> ids(List<Instance> instances) {
        return new TreeSet<>(instances.stream().map(Instance::id).toList());
    }
}
