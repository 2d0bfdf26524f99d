package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provision records are kept for the retention and then deleted by later provisions, the oldest first; the
 * times are the providers' clocks, each fixed at the instant a provision is made.
 */
class KarpenterRecordRetentionTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** A provider whose clock stands at {@code T0 + after}, with the default retention of seven days. */
    private KarpenterCloud at(Duration after) {
        return KarpenterCloud.builder(cluster.client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(T0.plus(after), ZoneOffset.UTC)).build();
    }

    private KarpenterCloud at(Duration after, Duration retention) {
        return KarpenterCloud.builder(cluster.client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(T0.plus(after), ZoneOffset.UTC)).recordRetention(retention).build();
    }

    private List<String> records() {
        return cluster.client.configMaps().inNamespace("default").withLabel(KarpenterCloud.PROVISIONED).list().getItems()
                .stream().map(m -> m.getMetadata().getName()).sorted().toList();
    }

    private static String record(String key) {
        return "fp-provision-" + KarpenterCloud.hash(key);
    }

    @Test
    void provision_pastTheDefaultRetention_deletesOlderRecords_andKeepsYoungerOnes() {
        at(Duration.ZERO).provision(KarpenterCloudFaultsTest.request("old", 1));
        at(Duration.ofHours(1)).provision(KarpenterCloudFaultsTest.request("boundary", 1));
        at(Duration.ofHours(2)).provision(KarpenterCloudFaultsTest.request("young", 1));

        // Seven days and one hour on: "old" is an hour past the retention, "boundary" exactly at it.
        at(DAY.multipliedBy(7).plusHours(1)).provision(KarpenterCloudFaultsTest.request("now", 1));

        assertEquals(List.of(record("boundary"), record("now"), record("young")).stream().sorted().toList(), records());
    }

    @Test
    void provision_pastTheRetention_deletesTheOldestRecordFirst() {
        // Made out of the order of their names, which is the order the API server lists them in.
        at(Duration.ofHours(2)).provision(KarpenterCloudFaultsTest.request("c-newest", 1));
        at(Duration.ZERO).provision(KarpenterCloudFaultsTest.request("a-oldest", 1));
        at(Duration.ofHours(1)).provision(KarpenterCloudFaultsTest.request("b-middle", 1));
        cluster.requests.clear();

        at(DAY.plusHours(3), DAY).provision(KarpenterCloudFaultsTest.request("now", 1));

        List<String> deletes = cluster.requests.stream().filter(r -> r.startsWith("DELETE") && r.contains("/configmaps/"))
                .map(r -> r.substring(r.lastIndexOf('/') + 1)).map(r -> r.contains("?") ? r.substring(0, r.indexOf('?')) : r)
                .toList();
        assertEquals(List.of(record("a-oldest"), record("b-middle"), record("c-newest")), deletes);
        assertEquals(List.of(record("now")), records());
    }

    /** Within the retention the same key answers its first result, though Karpenter has deleted its claims since. */
    @Test
    void provision_sameKeyWithinTheRetention_answersTheFirstResult_andMakesNothing() {
        ProvisionResult first = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("kept", 2));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).delete();
        at(DAY.minusSeconds(1), DAY).provision(KarpenterCloudFaultsTest.request("other", 1));

        ProvisionResult again = at(DAY.minusSeconds(1), DAY).provision(KarpenterCloudFaultsTest.request("kept", 2));

        assertEquals(first.instances().stream().map(Instance::id).toList(),
                again.instances().stream().map(Instance::id).toList());
        assertEquals(1, cluster.claimNames().size());
    }

    /** Only provision records are swept: a release's record and its instances' records stay. */
    @Test
    void provision_pastTheRetention_leavesReleaseRecords() {
        KarpenterCloud early = at(Duration.ZERO, DAY);
        String id = early.provision(KarpenterCloudFaultsTest.request("released", 1)).instances().get(0).id();
        early.release(io.fleetpredict.cloud.ReleaseRequest.of("release-1", List.of(id)));
        int before = cluster.client.configMaps().inNamespace("default").list().getItems().size();

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("later", 1));

        List<ConfigMap> after = cluster.client.configMaps().inNamespace("default").list().getItems();
        assertEquals(before, after.size(), after.toString());
        assertTrue(after.stream().noneMatch(m -> m.getMetadata().getName().equals(record("released"))));
    }

    /** A failed delete leaves the provision it follows alone; the next provision deletes the record. */
    @Test
    void provision_whoseRecordDeleteFails_succeeds_andTheNextProvisionDeletesTheRecord() {
        at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("old", 1));
        cluster.fail("DELETE", "/configmaps/", 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));

        assertEquals(1, at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("first", 1)).fulfilled());
        assertTrue(records().contains(record("old")));

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("second", 1));
        assertEquals(List.of(record("first"), record("second")).stream().sorted().toList(), records());
    }

    @Test
    void builder_retentionNotPositive_isRefused() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KarpenterCloud.builder(cluster.client, "general").recordRetention(bad));
            assertEquals("recordRetention must be positive, was " + bad, e.getMessage());
        }
    }
}
