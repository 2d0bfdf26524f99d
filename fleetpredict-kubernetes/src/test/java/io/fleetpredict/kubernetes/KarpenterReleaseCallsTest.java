package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The calls a release makes to the API server: one delete per claim, and a record of the instances it ends for
 * each provision key among them, not one per instance, so that a scale-in of tens of thousands of instances
 * makes about as many calls as it ends instances, not twice as many.
 */
class KarpenterReleaseCallsTest {

    private static final String CLAIM_DELETE = "DELETE /apis/karpenter.sh/v1/nodeclaims/";
    private static final String CONFIG_MAP_CREATE = "POST /api/v1/namespaces/default/configmaps";

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void release_ofTwoHundredInstancesOfOneProvision_makesOneDeleteEach_andAFewCallsBesides() {
        KarpenterCloud cloud = cluster.cloud();
        List<String> ids = ids(cloud.provision(KarpenterCloudFaultsTest.request("scale-out", 200)).instances());
        cluster.requests.clear();

        List<Instance> released = cloud.release(ReleaseRequest.of("scale-in", ids)).instances();

        assertEquals(ids, ids(released));
        List<String> calls = List.copyOf(cluster.requests);
        assertEquals(200, calls.stream().filter(c -> c.startsWith(CLAIM_DELETE)).count(), summary(calls));
        // Besides the deletes: the reads of the key's record, one page of each list, the record of the ended
        // instances and the release's record, and the sweep's writes (none here, nothing has expired).
        assertEquals(2, calls.stream().filter(c -> c.startsWith(CONFIG_MAP_CREATE)).count(), summary(calls));
        assertTrue(calls.size() <= 200 + 12, calls.size() + " calls: " + summary(calls));
        assertEquals(List.of(), cluster.claimNames());
        List<Instance> described = cloud.describe(DescribeRequest.all()).instances();
        assertEquals(ids, ids(described));
        assertTrue(described.stream().allMatch(i -> i.state() == InstanceState.TERMINATED), described.toString());
    }

    @Test
    void release_ofInstancesOfSeveralProvisions_recordsTheInstancesOfEachProvisionKeyTogether() {
        KarpenterCloud cloud = cluster.cloud();
        Map<String, List<String>> byKey = new TreeMap<>();
        List<String> all = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            List<String> ids = ids(cloud.provision(KarpenterCloudFaultsTest.request("web-" + n, 25)).instances());
            byKey.put(KarpenterCloud.hash("web-" + n), ids);
            all.addAll(ids);
        }
        cluster.requests.clear();

        cloud.release(ReleaseRequest.of("scale-in", all));

        assertEquals(4 + 1, cluster.requests.stream().filter(c -> c.startsWith(CONFIG_MAP_CREATE)).count(),
                summary(cluster.requests));
        Map<String, List<String>> recorded = new TreeMap<>();
        for (ConfigMap m : endedRecords()) {
            List<Instance> instances = ClaimRecords.readInstances(m);
            assertTrue(instances.stream().allMatch(i -> i.state() == InstanceState.TERMINATING), instances.toString());
            recorded.put(m.getMetadata().getLabels().get(KarpenterCloud.KEY_HASH), ids(instances));
            assertEquals(KarpenterCloud.endedRecordName("general", ids(instances)), m.getMetadata().getName());
        }
        assertEquals(byKey, recorded);
    }

    /**
     * A release whose delete fails part way has recorded each claim it deleted; its retry records the rest, and
     * once every record of the provision is gone but those of the release, its key makes none of them again.
     */
    @Test
    void release_failingPartWay_hasRecordedEveryClaimItDeleted_andItsRetryTheRest() {
        KarpenterCloud cloud = cluster.cloud();
        List<String> ids = ids(cloud.provision(KarpenterCloudFaultsTest.request("web", 10)).instances());
        cluster.fail("DELETE", "/nodeclaims/" + ids.get(4), 1, 500, FaultyCluster.status(500, "InternalError",
                "etcd is busy"));
        ReleaseRequest scaleIn = ReleaseRequest.of("scale-in", ids);

        CloudException e = assertThrows(CloudException.class, () -> cloud.release(scaleIn));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("deleted NodeClaims " + ids.subList(0, 4)), e.getMessage());
        assertEquals(ids.subList(4, 10), cluster.claimNames().stream().sorted().toList());
        assertEquals(List.of(ids), endedRecords().stream().map(m -> ids(ClaimRecords.readInstances(m))).toList());

        assertEquals(ids, ids(cloud.release(scaleIn).instances()));

        assertEquals(List.of(), cluster.claimNames());
        assertEquals(List.of(ids, ids.subList(4, 10)), endedRecords().stream()
                .map(m -> ids(ClaimRecords.readInstances(m))).sorted((a, b) -> b.size() - a.size()).toList());
        cluster.client.configMaps().inNamespace("default")
                .withName(KarpenterCloud.provisionRecordName("general", KarpenterCloud.hash("web"))).delete();
        assertEquals(ids, ids(cloud.provision(KarpenterCloudFaultsTest.request("web", 10)).instances()));
        assertEquals(List.of(), cluster.claimNames(), "nothing is made again");
    }

    private List<ConfigMap> endedRecords() {
        return cluster.client.configMaps().inNamespace("default").withLabel(KarpenterCloud.KEY_HASH).list().getItems();
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).sorted().toList();
    }

    /** The calls by method and path, the names of claims and records left out, with how many of each. */
    private static String summary(List<String> calls) {
        Map<String, Integer> counts = new TreeMap<>();
        calls.forEach(c -> counts.merge(c.replaceAll("/fp-[^/?]*", "/fp-*"), 1, Integer::sum));
        return counts.toString();
    }
}
