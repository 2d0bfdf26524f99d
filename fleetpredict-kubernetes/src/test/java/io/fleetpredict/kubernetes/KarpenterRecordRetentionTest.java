package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records of provisions and releases are kept for the retention and then deleted by later provisions, the
 * oldest first: a provision's record while any of its claims exists and for the retention after a call first
 * finds them all gone, a release's and its ended instances' for the retention after the release. The times
 * are the providers' clocks, each fixed at the instant a call is made.
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
        return KarpenterCloud.provisionRecordName("general", KarpenterCloud.hash(key));
    }

    /** Deletes a key's claims out of band, as Karpenter does on a spot interruption or at a claim's expiry. */
    private void endOutOfBand(String key) {
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .withLabel(KarpenterCloud.KEY_HASH, KarpenterCloud.hash(key)).delete();
    }

    /** When a call found all the claims of a provision record gone, as the record says; null if it has not. */
    private @Nullable String claimsGoneAt(String record) {
        ConfigMap m = cluster.client.configMaps().inNamespace("default").withName(record).get();
        assertNotNull(m, record + " was deleted");
        Map<String, String> annotations = m.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KarpenterCloud.CLAIMS_GONE);
    }

    @Test
    void provision_pastTheDefaultRetention_deletesRecordsWhoseClaimsWentBeforeIt_andKeepsTheOthers() {
        for (String key : List.of("old", "boundary", "young")) {
            at(Duration.ZERO).provision(KarpenterCloudFaultsTest.request(key, 1));
        }
        // Each provision after a key's claim went finds it gone; the key's retention counts from there.
        endOutOfBand("old");
        at(Duration.ZERO).provision(KarpenterCloudFaultsTest.request("sweep-1", 1));
        endOutOfBand("boundary");
        at(Duration.ofHours(1)).provision(KarpenterCloudFaultsTest.request("sweep-2", 1));
        endOutOfBand("young");
        at(Duration.ofHours(2)).provision(KarpenterCloudFaultsTest.request("sweep-3", 1));

        // Seven days and one hour on: "old" is an hour past the retention, "boundary" exactly at it.
        at(DAY.multipliedBy(7).plusHours(1)).provision(KarpenterCloudFaultsTest.request("now", 1));

        assertEquals(Stream.of("boundary", "young", "sweep-1", "sweep-2", "sweep-3", "now")
                .map(KarpenterRecordRetentionTest::record).sorted().toList(), records());
    }

    @Test
    void provision_pastTheRetention_deletesTheOldestRecordFirst() {
        for (String key : List.of("c-newest", "a-oldest", "b-middle")) {
            at(Duration.ZERO).provision(KarpenterCloudFaultsTest.request(key, 1));
        }
        // Their claims found gone out of the order of their names, which is the order the API server lists them in.
        endOutOfBand("c-newest");
        at(Duration.ofHours(2), DAY).provision(KarpenterCloudFaultsTest.request("sweep-c", 1));
        endOutOfBand("a-oldest");
        at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("sweep-a", 1));
        endOutOfBand("b-middle");
        at(Duration.ofHours(1), DAY).provision(KarpenterCloudFaultsTest.request("sweep-b", 1));
        cluster.requests.clear();

        at(DAY.plusHours(3), DAY).provision(KarpenterCloudFaultsTest.request("now", 1));

        List<String> deletes = cluster.requests.stream().filter(r -> r.startsWith("DELETE") && r.contains("/configmaps/"))
                .map(r -> r.substring(r.lastIndexOf('/') + 1)).map(r -> r.contains("?") ? r.substring(0, r.indexOf('?')) : r)
                .toList();
        assertEquals(List.of(record("a-oldest"), record("b-middle"), record("c-newest")), deletes);
        assertEquals(Stream.of("sweep-a", "sweep-b", "sweep-c", "now").map(KarpenterRecordRetentionTest::record).sorted()
                .toList(), records());
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

    /** Karpenter's part: the claim gets a node of the pool whose Ready condition is true. */
    private void launch(String id) {
        String node = "node-" + id;
        cluster.client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node)
                .addToLabels(KarpenterCloud.NODE_POOL, "general").endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build()).create();
        GenericKubernetesResource claim = cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(id).get();
        claim.setAdditionalProperty("status", Map.of("nodeName", node));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim).update();
    }

    /** A claim outlives the retention (a long-running node): its provision's record is kept, and it is still running. */
    @Test
    void provision_pastTheRetentionOfARecordWhoseClaimLives_keepsTheRecord_andTheInstanceRuns() {
        String id = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("long-lived", 1)).instances().get(0).id();
        launch(id);

        KarpenterCloud later = at(DAY.multipliedBy(30), DAY);
        later.provision(KarpenterCloudFaultsTest.request("other", 1));

        assertTrue(records().contains(record("long-lived")), records().toString());
        assertNull(claimsGoneAt(record("long-lived")));
        assertEquals(InstanceState.RUNNING, find(later.describe(DescribeRequest.all()).instances(), id).state());
    }

    /**
     * A claim that outlived the retention is then deleted by Karpenter (its expiry, say): the instance is
     * {@code TERMINATED} and its key answers the first result, making nothing, for the retention from the call
     * that found the claim gone; a later call deletes the record.
     */
    @Test
    void provision_afterAClaimOfALongLivedRecordIsDeletedOutOfBand_keepsItTerminatedForTheRetentionFromThen() {
        ProvisionResult first = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("expiring", 1));
        String id = first.instances().get(0).id();
        launch(id);
        at(DAY.multipliedBy(30), DAY).provision(KarpenterCloudFaultsTest.request("a", 1));
        assertTrue(records().contains(record("expiring")), records().toString());
        endOutOfBand("expiring");

        Duration noticed = DAY.multipliedBy(31);
        at(noticed, DAY).provision(KarpenterCloudFaultsTest.request("b", 1));
        assertEquals(T0.plus(noticed).toString(), claimsGoneAt(record("expiring")));

        // Exactly the retention after the claim was found gone: not past it.
        KarpenterCloud edge = at(noticed.plus(DAY), DAY);
        edge.provision(KarpenterCloudFaultsTest.request("c", 1));
        assertEquals(InstanceState.TERMINATED, find(edge.describe(DescribeRequest.all()).instances(), id).state());
        List<String> claimsBefore = cluster.claimNames();
        ProvisionResult again = edge.provision(KarpenterCloudFaultsTest.request("expiring", 1));
        assertEquals(first.instances().stream().map(Instance::id).toList(), again.instances().stream().map(Instance::id).toList());
        assertEquals(claimsBefore, cluster.claimNames());
        assertFalse(cluster.claimNames().contains(id), cluster.claimNames().toString());

        KarpenterCloud past = at(noticed.plus(DAY).plusSeconds(1), DAY);
        past.provision(KarpenterCloudFaultsTest.request("d", 1));
        assertFalse(records().contains(record("expiring")), records().toString());
        assertTrue(past.describe(DescribeRequest.all()).instances().stream().noneMatch(i -> i.id().equals(id)));
    }

    /**
     * A record as every earlier version wrote it carries no mark of its claims being gone: one whose claims
     * went long ago is marked by the first call that finds them gone, and kept for the retention from then.
     */
    @Test
    void provision_unmarkedRecordWhoseClaimsAreGone_isMarked_notDeletedAtOnce() {
        String id = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("legacy", 1)).instances().get(0).id();
        endOutOfBand("legacy");

        KarpenterCloud upgraded = at(DAY.multipliedBy(10), DAY);
        upgraded.provision(KarpenterCloudFaultsTest.request("other", 1));

        assertTrue(records().contains(record("legacy")), records().toString());
        assertEquals(T0.plus(DAY.multipliedBy(10)).toString(), claimsGoneAt(record("legacy")));
        assertEquals(InstanceState.TERMINATED, find(upgraded.describe(DescribeRequest.all()).instances(), id).state());
    }

    /**
     * The mark is written on the version of the record the call listed: when a provision under its key rewrote
     * the record since (the API server answers 409), the record is left as it is, the call succeeds, and a later
     * call marks it.
     */
    @Test
    void provision_whoseMarkOfARecordMeetsAConcurrentRewrite_leavesTheRecord_andALaterCallMarksIt() {
        at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("raced", 1));
        endOutOfBand("raced");
        String listed = cluster.client.configMaps().inNamespace("default").withName(record("raced")).get().getMetadata()
                .getResourceVersion();
        cluster.failIf("PUT", "/configmaps/" + record("raced"), 1,
                r -> r.getUtf8Body().contains("\"resourceVersion\":\"" + listed + "\""),
                r -> new MockResponse().setResponseCode(409).setHeader("Content-Type", "application/json")
                        .setBody(FaultyCluster.status(409, "Conflict", "the object has been modified")));

        assertEquals(1, at(DAY.multipliedBy(10), DAY).provision(KarpenterCloudFaultsTest.request("other", 1)).fulfilled());
        assertTrue(records().contains(record("raced")), records().toString());
        assertNull(claimsGoneAt(record("raced")));

        at(DAY.multipliedBy(10).plusHours(1), DAY).provision(KarpenterCloudFaultsTest.request("next", 1));
        assertEquals(T0.plus(DAY.multipliedBy(10).plusHours(1)).toString(), claimsGoneAt(record("raced")));
    }

    /**
     * A marked record's key gets a claim again without the record being rewritten: the retry of a provision
     * that failed part way makes the claim still missing, and then fails to write its record. The next call
     * finds the claim and clears the mark, so the record's retention counts from when that claim is found gone
     * too, not from the first time its claims were gone.
     */
    @Test
    void provision_markedRecordWhoseKeyHasAClaimAgain_clearsTheMark_andKeepsTheRecordForTheRetentionFromItsEnd() {
        String first = KarpenterCloud.claimName("general", KarpenterCloud.hash("retried"), 0);
        String second = KarpenterCloud.claimName("general", KarpenterCloud.hash("retried"), 1);
        cluster.failIf("POST", "/nodeclaims", 1, r -> r.getUtf8Body().contains(second), r -> new MockResponse()
                .setResponseCode(500).setBody(FaultyCluster.status(500, "InternalError", "etcd is away")));
        assertThrows(CloudException.class, () -> at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("retried", 2)));
        endOutOfBand("retried");
        at(Duration.ofHours(1), DAY).provision(KarpenterCloudFaultsTest.request("sweep-1", 1));
        assertEquals(T0.plus(Duration.ofHours(1)).toString(), claimsGoneAt(record("retried")));
        // The retry makes the second claim, and then its record is not written (an update of the partial one).
        cluster.fail("PUT", "/configmaps/" + record("retried"), 1, 500, FaultyCluster.status(500, "InternalError",
                "etcd is away"));
        assertThrows(CloudException.class, () -> at(Duration.ofHours(2), DAY).provision(
                KarpenterCloudFaultsTest.request("retried", 2)));
        assertTrue(cluster.claimNames().contains(second), cluster.claimNames().toString());

        at(DAY, DAY).provision(KarpenterCloudFaultsTest.request("sweep-2", 1));
        assertNull(claimsGoneAt(record("retried")));

        endOutOfBand("retried");
        Duration noticed = DAY.plusHours(2);
        at(noticed, DAY).provision(KarpenterCloudFaultsTest.request("sweep-3", 1));
        assertEquals(T0.plus(noticed).toString(), claimsGoneAt(record("retried")));
        KarpenterCloud edge = at(noticed.plus(DAY), DAY);
        edge.provision(KarpenterCloudFaultsTest.request("sweep-4", 1));
        assertTrue(records().contains(record("retried")), records().toString());
        assertEquals(InstanceState.TERMINATED, find(edge.describe(DescribeRequest.all()).instances(), first).state());
    }

    /** Every record of a provider, of provisions, releases and the instances releases ended, by name. */
    private List<String> allRecords() {
        return cluster.client.configMaps().inNamespace("default").withLabel(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER)
                .list().getItems().stream().map(m -> m.getMetadata().getName()).sorted().toList();
    }

    private static List<String> sorted(String... names) {
        return Stream.of(names).sorted().toList();
    }

    /** The name of the record a release writes of this one instance it ends. */
    private static String ended(String id) {
        return KarpenterCloud.endedRecordName("general", List.of(id));
    }

    private static String releaseRecord(String key) {
        return KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash(key));
    }

    private static Instance find(List<Instance> instances, String id) {
        return instances.stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void provision_pastTheRetention_deletesTheRecordsOfAReleaseAndOfTheInstancesItEnded() {
        KarpenterCloud early = at(Duration.ZERO, DAY);
        String id = early.provision(KarpenterCloudFaultsTest.request("released", 1)).instances().get(0).id();
        early.release(ReleaseRequest.of("release-1", List.of(id)));
        assertEquals(sorted(record("released"), ended(id), releaseRecord("release-1")), allRecords());

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("later", 1));

        assertEquals(List.of(record("later")), allRecords());
    }

    /**
     * The provision's record is gone (an earlier version deleted it a retention after it was written, though a
     * claim of it lived on), its release's records are within the retention: the released instance is still
     * ended, its provision's key does not make it again, and the release answers its first result.
     */
    @Test
    void provision_recordGoneButItsReleaseWithinTheRetention_keepsWhatTheReleaseGuarantees() {
        List<String> ids = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("kept", 2)).instances().stream()
                .map(Instance::id).toList();
        ReleaseRequest drop = ReleaseRequest.of("drop", List.of(ids.get(0)));
        ReleaseResult released = at(Duration.ofHours(12), DAY).release(drop);
        cluster.client.configMaps().inNamespace("default").withName(record("kept")).delete();
        KarpenterCloud later = at(DAY.plusHours(1), DAY);
        later.provision(KarpenterCloudFaultsTest.request("other", 1));
        assertFalse(allRecords().contains(record("kept")), allRecords().toString());

        assertEquals(InstanceState.TERMINATED, find(later.describe(DescribeRequest.all()).instances(), ids.get(0)).state());
        assertEquals(released, later.release(drop));
        assertEquals(ids, later.provision(KarpenterCloudFaultsTest.request("kept", 2)).instances().stream().map(Instance::id)
                .toList());
        assertFalse(cluster.claimNames().contains(ids.get(0)), cluster.claimNames().toString());
    }

    /**
     * A release whose claim delete failed leaves the instance's record behind; its retry, past the retention,
     * writes the record again, so the record is kept for the retention after the release that ended the claim.
     */
    @Test
    void release_retriedPastTheRetention_keepsTheEndedInstanceForTheRetentionFromTheRetry() {
        String id = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("slow", 1)).instances().get(0).id();
        cluster.fail("DELETE", "/nodeclaims/" + id, 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        ReleaseRequest drop = ReleaseRequest.of("drop", List.of(id));
        assertThrows(CloudException.class, () -> at(Duration.ZERO, DAY).release(drop));

        KarpenterCloud later = at(DAY.multipliedBy(2), DAY);
        later.release(drop);
        later.provision(KarpenterCloudFaultsTest.request("other", 1));

        // The provision's record stays too: the release just ended its claim, from which its retention counts.
        assertEquals(sorted(ended(id), record("other"), record("slow"), releaseRecord("drop")), allRecords());
        assertEquals(InstanceState.TERMINATED, find(later.describe(DescribeRequest.all()).instances(), id).state());
    }

    /** Providers of two pools share the namespace: each deletes only its own pool's records, by its own retention. */
    @Test
    void provision_pastTheRetention_leavesTheRecordsOfAnotherPool() {
        GenericKubernetesResource gpu = KarpenterCloudCompatibilityTest.nodePool();
        gpu.getMetadata().setName("gpu");
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(gpu).create();
        KarpenterCloud theirs = KarpenterCloud.builder(cluster.client, "gpu").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(T0, ZoneOffset.UTC)).build();
        String id = theirs.provision(KarpenterCloudFaultsTest.request("gpu-1", 1)).instances().get(0).id();
        theirs.release(ReleaseRequest.of("gpu-release", List.of(id)));
        List<String> before = allRecords();

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("general-1", 1));

        assertEquals(Stream.concat(before.stream(), Stream.of(record("general-1"))).sorted().toList(), allRecords());
    }

    /** A failed delete leaves the provision it follows alone; the next provision deletes the record. */
    @Test
    void provision_whoseRecordDeleteFails_succeeds_andTheNextProvisionDeletesTheRecord() {
        at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("old", 1));
        endOutOfBand("old");
        at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("sweep", 1));
        cluster.fail("DELETE", "/configmaps/", 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));

        assertEquals(1, at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("first", 1)).fulfilled());
        assertTrue(records().contains(record("old")));

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("second", 1));
        assertEquals(List.of(record("first"), record("second"), record("sweep")).stream().sorted().toList(), records());
    }

    /** A provider that only releases deletes expired records as well. */
    @Test
    void release_pastTheRetention_deletesExpiredRecords() {
        KarpenterCloud early = at(Duration.ZERO, DAY);
        List<String> ids = early.provision(KarpenterCloudFaultsTest.request("both", 2)).instances().stream()
                .map(Instance::id).toList();
        early.release(ReleaseRequest.of("drop-0", List.of(ids.get(0))));

        at(DAY.multipliedBy(2), DAY).release(ReleaseRequest.of("drop-1", List.of(ids.get(1))));

        // The provision's record stays: the release just ended its last claim, from which its retention counts.
        assertEquals(sorted(ended(ids.get(1)), record("both"), releaseRecord("drop-1")), allRecords());
        assertEquals(T0.plus(DAY.multipliedBy(2)).toString(), claimsGoneAt(record("both")));
    }

    /**
     * One release writes at most {@link KarpenterCloud#SWEEP_LIMIT} times to delete records, the oldest first,
     * and to mark provision records whose claims are gone, the deletes first; the next call goes on.
     */
    @Test
    void release_pastTheRetention_deletesAtMostTheLimit_theOldestFirst() {
        String id = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("one", 1)).instances().get(0).id();
        List<String> made = agedRecords(KarpenterCloud.SWEEP_LIMIT + 1);

        at(DAY.multipliedBy(2), DAY).release(ReleaseRequest.of("drop", List.of(id)));

        // The 50 oldest of those made go; the youngest stays, and so does the provision's record, whose claim
        // the release ended: the deletes took every write, so it is not marked yet.
        List<String> kept = made.subList(KarpenterCloud.SWEEP_LIMIT, made.size());
        assertEquals(Stream.concat(kept.stream(), Stream.of(ended(id), record("one"), releaseRecord("drop"))).sorted()
                .toList(), allRecords());
        assertNull(claimsGoneAt(record("one")));

        at(DAY.multipliedBy(2).plusHours(1), DAY).provision(KarpenterCloudFaultsTest.request("next", 1));
        assertFalse(allRecords().contains(kept.get(0)), allRecords().toString());
        assertEquals(T0.plus(DAY.multipliedBy(2).plusHours(1)).toString(), claimsGoneAt(record("one")));
    }

    /**
     * {@code count} records of ended instances of the pool, recorded one to {@code count} minutes after T0 and
     * named against their age (the youngest first by name), oldest first in the list.
     */
    private List<String> agedRecords(int count) {
        List<String> made = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String name = String.format(Locale.ROOT, "fp-ended-aged-%03d", 1000 - n);
            cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(name).withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER,
                            KarpenterCloud.RECORD_POOL, "general", KarpenterCloud.KEY_HASH, "aged"))
                    .withAnnotations(Map.of(KarpenterCloud.RECORDED, T0.plus(Duration.ofMinutes(n)).toString()))
                    .endMetadata().withData(Map.of("instances", "[]")).build()).create();
            made.add(name);
        }
        return made;
    }

    /**
     * A release that ends the instances of 60 provisions writes 61 records (one of each provision's instances,
     * and its own), more than the least a call deletes: it deletes up to twice what it wrote (122), the oldest
     * first, so that records cannot pile up faster than they go.
     */
    @Test
    void release_ofManyInstancesPastTheRetention_deletesTwiceWhatItWrote_theOldestFirst() {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            ids.add(at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("many-" + n, 1)).instances().get(0).id());
        }
        List<String> made = agedRecords(130);

        at(DAY.multipliedBy(2), DAY).release(ReleaseRequest.of("drop-all", ids));

        // The 122 oldest of those made go; the 8 youngest stay, and so do the provisions' records, whose
        // claims the release ended.
        List<String> kept = made.subList(122, made.size());
        List<String> expected = new ArrayList<>(kept);
        for (int n = 0; n < 60; n++) {
            expected.add(record("many-" + n));
        }
        ids.forEach(id -> expected.add(ended(id)));
        expected.add(releaseRecord("drop-all"));
        assertEquals(expected.stream().sorted().toList(), allRecords());
    }

    /** A failed delete leaves the release it follows alone; the next release deletes the record. */
    @Test
    void release_whoseRecordDeleteFails_succeeds_andTheNextReleaseDeletesTheRecord() {
        List<String> ids = at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request("three", 3)).instances()
                .stream().map(Instance::id).toList();
        String aged = agedRecords(1).get(0);
        cluster.fail("DELETE", "/configmaps/", 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        KarpenterCloud later = at(DAY.multipliedBy(2), DAY);

        assertEquals(1, later.release(ReleaseRequest.of("drop-0", List.of(ids.get(0)))).instances().size());
        assertTrue(allRecords().contains(aged), allRecords().toString());

        later.release(ReleaseRequest.of("drop-1", List.of(ids.get(1))));
        assertFalse(allRecords().contains(aged), allRecords().toString());
    }

    /**
     * The factory's {@code record-retention} is the provider's retention: a provision record whose claims were
     * found gone two days ago stays under the default of seven days, and goes under one day. The factory's
     * provider keeps the system clock's time.
     */
    @Test
    void factory_recordRetentionSetting_isTheRetentionOfItsProvider(@TempDir Path dir) throws IOException {
        Path prices = dir.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n");
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fp-provision-aged").withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER,
                        KarpenterCloud.RECORD_POOL, "general", KarpenterCloud.PROVISIONED, "aged"))
                .withAnnotations(Map.of(KarpenterCloud.RECORDED, Instant.now().minus(Duration.ofDays(3)).toString(),
                        KarpenterCloud.CLAIMS_GONE, Instant.now().minus(Duration.ofDays(2)).toString()))
                .endMetadata().withData(Map.of("request", "-", "state", "complete", "instances", "[]")).build()).create();
        Map<String, String> settings = Map.of("node-pool", "general", "price-list", prices.toString());

        cluster.fromFactory(settings).provision(KarpenterCloudFaultsTest.request("default-retention", 1));
        assertTrue(allRecords().contains("fp-provision-aged"), allRecords().toString());

        Map<String, String> oneDay = new HashMap<>(settings);
        oneDay.put("record-retention", "P1D");
        cluster.fromFactory(oneDay).provision(KarpenterCloudFaultsTest.request("one-day", 1));
        assertFalse(allRecords().contains("fp-provision-aged"), allRecords().toString());
    }

    @Test
    void builder_retentionNotPositive_isRefused() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KarpenterCloud.builder(cluster.client, "general").recordRetention(bad));
            assertEquals("recordRetention must be positive, was " + bad, e.getMessage());
        }
    }

    /** Two provision records whose claims went at the same time, so both expire together, "a" listed first. */
    private void twoExpiredRecordsMarkedAt(Duration at) {
        for (String key : List.of("a-gone", "b-gone")) {
            at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request(key, 1));
        }
        endOutOfBand("a-gone");
        endOutOfBand("b-gone");
        at(at, DAY).provision(KarpenterCloudFaultsTest.request("sweep", 1));
        assertEquals(T0.plus(at).toString(), claimsGoneAt(record("a-gone")));
        assertEquals(T0.plus(at).toString(), claimsGoneAt(record("b-gone")));
    }

    /**
     * A delete of an expired record that meets a rewrite since it was listed (409) or another provider's delete
     * (404) leaves that record to later calls and goes on with the next one.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "HTTP {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {409, 404})
    void provision_pastTheRetention_whoseDeleteOfOneRecordMeetsARaceOrItsAbsence_deletesTheNext(int code) {
        twoExpiredRecordsMarkedAt(Duration.ZERO);
        String first = Stream.of(record("a-gone"), record("b-gone")).sorted().findFirst().orElseThrow();
        String second = first.equals(record("a-gone")) ? record("b-gone") : record("a-gone");
        cluster.fail("DELETE", "/configmaps/" + first, 1, code, FaultyCluster.status(code, "Conflict", "raced"));

        at(DAY.multipliedBy(2), DAY).provision(KarpenterCloudFaultsTest.request("later", 1));

        assertTrue(records().contains(first), records().toString());
        assertFalse(records().contains(second), records().toString());
    }

    /** Likewise a mark that meets a rewrite or the record's absence: the next record is still marked. */
    @org.junit.jupiter.params.ParameterizedTest(name = "HTTP {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {409, 404})
    void provision_whoseMarkOfOneRecordMeetsARaceOrItsAbsence_marksTheNext(int code) {
        for (String key : List.of("a-gone", "b-gone")) {
            at(Duration.ZERO, DAY).provision(KarpenterCloudFaultsTest.request(key, 1));
        }
        endOutOfBand("a-gone");
        endOutOfBand("b-gone");
        cluster.fail("PUT", "/configmaps/", 1, code, FaultyCluster.status(code, "Conflict", "raced"));

        at(Duration.ofHours(1), DAY).provision(KarpenterCloudFaultsTest.request("sweep", 1));

        List<String> marked = Stream.of(record("a-gone"), record("b-gone")).filter(r -> claimsGoneAt(r) != null).toList();
        assertEquals(1, marked.size(), marked.toString());
        assertEquals(T0.plus(Duration.ofHours(1)).toString(), claimsGoneAt(marked.get(0)));
    }

    /** Only the provider's records are swept: another ConfigMap with its labels, however old, is left alone. */
    @Test
    void provision_pastTheRetention_leavesAConfigMapOfThePoolThatIsNotARecord() {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fp-settings").addToLabels(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER)
                .addToLabels(KarpenterCloud.RECORD_POOL, "general").addToAnnotations(KarpenterCloud.RECORDED, T0.toString())
                .endMetadata().addToData("note", "kept").build()).create();

        at(DAY.multipliedBy(30), DAY).provision(KarpenterCloudFaultsTest.request("now", 1));

        assertNotNull(cluster.client.configMaps().inNamespace("default").withName("fp-settings").get());
    }
}
