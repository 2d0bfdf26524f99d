package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Records meet writers that change them between the provider's read and its write, as the API server's
 * optimistic concurrency reports (HTTP 409 on a write carrying an older {@code resourceVersion}): the other
 * writer runs for real, through a second client, just before the provider's request leaves. No launch is lost
 * or made twice, a retry under the key is answered from the record, an ended instance is recorded once, and a
 * record that keeps meeting changes fails the call with a bounded number of writes.
 */
class KarpenterRecordConflictTest {

    private static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";

    private final FaultyCluster cluster = new FaultyCluster();
    private KubernetesClient racing = cluster.client;

    @AfterEach
    void stop() {
        if (racing != cluster.client) {
            racing.close();
        }
        cluster.close();
    }

    private static String record(String key) {
        return KarpenterCloud.provisionRecordName("general", KarpenterCloud.hash(key));
    }

    private static String claim(String key, int n) {
        return KarpenterCloud.claimName("general", KarpenterCloud.hash(key), n);
    }

    private KarpenterCloud cloudOf(KubernetesClient client) {
        return KarpenterCloud.builder(client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    private ConfigMap read(String name) {
        return cluster.client.configMaps().inNamespace("default").withName(name).get();
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).sorted().toList();
    }

    private long writesOf(String name) {
        return cluster.requests.stream().filter(r -> (r.startsWith("PUT ") && r.contains("/configmaps/" + name))
                || r.equals("POST " + CONFIG_MAPS)).count();
    }

    /**
     * Two provisions under one key: the first makes claims 0 and 1 and fails on claim 2; before its partial
     * record reaches the API server, the second makes claim 2 and records the provision complete. The partial
     * write must not replace that record: once Karpenter deletes claim 2, a retry would make it again.
     */
    @Test
    void provision_partialRecordMeetingARecordAConcurrentProvisionCompleted_keepsItComplete_andTheRetryMakesNothing() {
        ProvisionRequest r = KarpenterCloudFaultsTest.request("raced-partial", 3);
        cluster.failIf("POST", "/nodeclaims", 1, q -> q.getUtf8Body().contains(claim("raced-partial", 2)),
                q -> new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(500)
                        .setHeader("Content-Type", "application/json")
                        .setBody(FaultyCluster.status(500, "InternalError", "etcd is busy")));
        racing = cluster.clientWith("POST", "/configmaps", 1, q -> q.bodyString().contains(record("raced-partial")),
                () -> assertEquals(3, cluster.cloud().provision(r).fulfilled()));

        CloudException e = assertThrows(CloudException.class, () -> cloudOf(racing).provision(r));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        ConfigMap kept = read(record("raced-partial"));
        assertEquals("complete", kept.getData().get("state"));
        List<String> all = List.of(claim("raced-partial", 0), claim("raced-partial", 1), claim("raced-partial", 2));
        assertEquals(all, ids(ClaimRecords.readInstances(kept)));

        // Karpenter ends claim 2 (a spot interruption); the retry answers the record and makes nothing.
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(claim("raced-partial", 2)).delete();
        ProvisionResult retried = cluster.cloud().provision(r);
        assertEquals(all, ids(retried.instances()));
        assertEquals(all.subList(0, 2), cluster.claimNames().stream().sorted().toList());
    }

    /**
     * The retry of a provision that failed part way reads its partial record, makes the missing claim, and
     * writes the record complete on the version it read; meanwhile another provider's sweep marks that record.
     * The write meets the change, reads the record again and writes it complete, listing every claim.
     */
    @Test
    void provision_completeRecordMeetingAConcurrentChange_isWrittenAgainOnTheNewVersion_withEveryClaim() {
        ProvisionRequest r = KarpenterCloudFaultsTest.request("raced-complete", 2);
        cluster.failIf("POST", "/nodeclaims", 1, q -> q.getUtf8Body().contains(claim("raced-complete", 1)),
                q -> new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(500)
                        .setHeader("Content-Type", "application/json")
                        .setBody(FaultyCluster.status(500, "InternalError", "etcd is busy")));
        assertEquals(Kind.TIMED_OUT, assertThrows(CloudException.class, () -> cluster.cloud().provision(r)).kind());
        assertEquals(KarpenterCloud.PARTIAL, read(record("raced-complete")).getData().get("state"));

        String mark = "2026-03-01T00:00:00Z";
        racing = cluster.clientWith("PUT", "/configmaps/" + record("raced-complete"), 1, q -> true,
                () -> cluster.client.configMaps().inNamespace("default").withName(record("raced-complete"))
                        .edit(m -> {
                            m.getMetadata().getAnnotations().put(KarpenterCloud.CLAIMS_GONE, mark);
                            return m;
                        }));
        ProvisionResult done = cloudOf(racing).provision(r);

        List<String> all = List.of(claim("raced-complete", 0), claim("raced-complete", 1));
        assertEquals(all, ids(done.instances()));
        ConfigMap kept = read(record("raced-complete"));
        assertEquals("complete", kept.getData().get("state"));
        assertEquals(all, ids(ClaimRecords.readInstances(kept)));
        assertEquals(2, cluster.requests.stream().filter(q -> q.startsWith("PUT ")
                && q.contains("/configmaps/" + record("raced-complete"))).count(), cluster.requests.toString());
        long posts = cluster.requests.stream().filter(q -> q.startsWith("POST ") && q.contains("/nodeclaims")).count();
        assertEquals(done, cluster.cloud().provision(r));
        assertEquals(posts, cluster.requests.stream().filter(q -> q.startsWith("POST ") && q.contains("/nodeclaims")).count());
    }

    /**
     * Eight provisions of one request race. Just before this one's claim reaches the API server, another of them
     * makes the claim and records the provision complete; each later write of the record this one sent would meet
     * a change by yet another (six more, as writers that rewrite what they merged make). This one's claim meets
     * the other's (409) and its record meets the other's record (409), which lists that same claim, complete: it
     * answers that record as it is, writes nothing more, and gets the other's result, not a {@code TRANSIENT}
     * failure after five conflicts.
     */
    @Test
    void provision_recordMeetingTheSameRequestsRecordListingItsClaims_answersIt_withoutWritingItAgain() {
        ProvisionRequest r = KarpenterCloudFaultsTest.request("crowd", 1);
        String name = record("crowd");
        AtomicReference<ProvisionResult> first = new AtomicReference<>();
        AtomicInteger rewrites = new AtomicInteger();
        racing = cluster.clientWith(new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest q, Interceptor.RequestTags tags) {
                String path = q.uri().getPath();
                if (q.method().equals("POST") && path.endsWith("/nodeclaims") && first.get() == null) {
                    first.set(cluster.cloud().provision(r));
                } else if (q.method().equals("PUT") && path.endsWith("/configmaps/" + name) && rewrites.get() < 6) {
                    rewrites.incrementAndGet();
                    cluster.client.configMaps().inNamespace("default").withName(name).edit(m -> {
                        m.getMetadata().getAnnotations().put(KarpenterCloud.RECORDED, Instant.now().toString());
                        return m;
                    });
                }
            }
        });

        ProvisionResult answered = cloudOf(racing).provision(r);

        assertEquals(first.get(), answered);
        assertEquals(List.of(claim("crowd", 0)), ids(answered.instances()));
        assertEquals(0, rewrites.get(), "the record was sent again although it listed the claim already");
        assertEquals(List.of(claim("crowd", 0)), cluster.claimNames());
        ConfigMap kept = read(name);
        assertEquals("complete", kept.getData().get("state"));
        assertEquals(List.of(claim("crowd", 0)), ids(ClaimRecords.readInstances(kept)));
    }

    /** An API server that answers every write of the provision record with 409: five writes, then a typed failure. */
    @Test
    void provision_recordThatAlwaysMeetsAConflict_failsAfterFiveWrites_namingTheRecord() {
        String name = record("always-raced");
        String body = FaultyCluster.status(409, "Conflict", "the object has been modified");
        cluster.failIf("POST", "/configmaps", 100, q -> q.getUtf8Body().contains(name), q -> conflict(body));
        cluster.failIf("PUT", "/configmaps/" + name, 100, q -> true, q -> conflict(body));

        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().provision(KarpenterCloudFaultsTest.request("always-raced", 1)));
        // A claim was made, so the outcome is open; the cause says why the record was not written.
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        CloudException cause = assertInstanceOf(CloudException.class, e.getCause());
        assertEquals(Kind.TRANSIENT, cause.kind(), cause.getMessage());
        assertTrue(cause.getMessage().contains("default/" + name) && cause.getMessage().contains("5 times")
                && cause.getMessage().contains("409"), cause.getMessage());
        assertEquals(5, writesOf(name), cluster.requests.toString());
    }

    /**
     * A release retried after it wrote an instance's ended record and failed to delete its claim; before its
     * rewrite of that record reaches the API server, a concurrent release of the same instance under another
     * key rewrites it. Both releases succeed, the claim is deleted, and the instance is recorded once.
     */
    @Test
    void release_endedRecordMeetingAConcurrentRelease_isWrittenAgain_andTheInstanceIsRecordedOnce() {
        String id = cluster.cloud().provision(KarpenterCloudFaultsTest.request("to-end", 1)).instances().get(0).id();
        String ended = KarpenterCloud.endedRecordName("general", List.of(id));
        cluster.fail("DELETE", "/nodeclaims/" + id, 1, 500, FaultyCluster.status(500, "InternalError", "etcd is busy"));
        assertThrows(CloudException.class, () -> cluster.cloud().release(ReleaseRequest.of("end-1", List.of(id))));
        assertNotNull(read(ended));

        Instant later = Instant.parse("2026-12-01T00:00:00Z");
        racing = cluster.clientWith("PUT", "/configmaps/" + ended, 1, q -> true, () -> KarpenterCloud.builder(
                cluster.client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(later.minusSeconds(60), ZoneOffset.UTC)).build()
                .release(ReleaseRequest.of("end-2", List.of(id))));
        ReleaseResult result = KarpenterCloud.builder(racing, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(later, ZoneOffset.UTC)).build().release(ReleaseRequest.of("end-1", List.of(id)));

        assertEquals(List.of(id), ids(result.instances()));
        assertEquals(List.of(), cluster.claimNames());
        ConfigMap record = read(ended);
        assertEquals(List.of(id), ids(ClaimRecords.readInstances(record)));
        // The last write is this release's: the record's age counts from it.
        assertEquals(later.toString(), record.getMetadata().getAnnotations().get(KarpenterCloud.RECORDED));
        List<Instance> described = cluster.cloud().describe(DescribeRequest.all()).instances();
        assertEquals(List.of(id), ids(described));
        assertEquals(InstanceState.TERMINATED, described.get(0).state());
    }

    /**
     * A release retried after it wrote an instance's ended record and failed to delete its claim, against an API
     * server that answers every rewrite of that record with 409: five writes, then a typed failure, and the claim
     * is not deleted without its record.
     */
    @Test
    void release_endedRecordThatAlwaysMeetsAConflict_failsAfterFiveWrites_namingTheRecord_andDeletesNothing() {
        String id = cluster.cloud().provision(KarpenterCloudFaultsTest.request("never-ended", 1)).instances().get(0).id();
        String ended = KarpenterCloud.endedRecordName("general", List.of(id));
        cluster.fail("DELETE", "/nodeclaims/" + id, 1, 500, FaultyCluster.status(500, "InternalError", "etcd is busy"));
        assertThrows(CloudException.class, () -> cluster.cloud().release(ReleaseRequest.of("never", List.of(id))));
        String body = FaultyCluster.status(409, "Conflict", "the object has been modified");
        cluster.failIf("PUT", "/configmaps/" + ended, 100, q -> true, q -> conflict(body));
        int before = cluster.requests.size();

        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().release(ReleaseRequest.of("never", List.of(id))));
        assertEquals(Kind.TRANSIENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("default/" + ended) && e.getMessage().contains("5 times")
                && e.getMessage().contains("409"), e.getMessage());
        assertEquals(List.of(id), cluster.claimNames());
        List<String> after = cluster.requests.subList(before, cluster.requests.size());
        assertFalse(after.stream().anyMatch(q -> q.startsWith("DELETE ")), after.toString());
        assertEquals(5, after.stream().filter(q -> q.startsWith("PUT ") && q.contains("/configmaps/" + ended)).count(),
                after.toString());
    }

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** A provider through {@code client} whose clock stands at {@code T0 + after}, with a retention of a day. */
    private static KarpenterCloud at(KubernetesClient client, Duration after) {
        return KarpenterCloud.builder(client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(T0.plus(after), ZoneOffset.UTC)).recordRetention(Duration.ofDays(1)).build();
    }

    private @Nullable String claimsGoneAt(String name) {
        Map<String, String> annotations = read(name).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KarpenterCloud.CLAIMS_GONE);
    }

    private long putsOf(String name) {
        return cluster.requests.stream().filter(q -> q.startsWith("PUT ") && q.contains("/configmaps/" + name)).count();
    }

    /**
     * A marked provision record whose key has a claim again (a retry made the claim still missing and failed to
     * rewrite the record) is cleared by a sweep; just before the clear's write, another retry under the key
     * rewrites the record complete. The clear, written on the version it listed, meets that rewrite (409) and
     * leaves the record as the retry wrote it: complete, listing both claims, without the mark. Once the claims go,
     * a later call marks it, and it is kept for the retention from then.
     */
    @Test
    void sweep_clearOfAMarkMeetingARewriteByItsKeysRetry_leavesTheRewrittenRecord_markedOnlyWhenItsClaimsGo() {
        ProvisionRequest r = KarpenterCloudFaultsTest.request("retried", 2);
        String name = record("retried");
        cluster.failIf("POST", "/nodeclaims", 1, q -> q.getUtf8Body().contains(claim("retried", 1)),
                q -> new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(500)
                        .setHeader("Content-Type", "application/json")
                        .setBody(FaultyCluster.status(500, "InternalError", "etcd is busy")));
        assertThrows(CloudException.class, () -> at(cluster.client, Duration.ZERO).provision(r));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(claim("retried", 0)).delete();
        at(cluster.client, Duration.ofHours(1)).provision(KarpenterCloudFaultsTest.request("sweep-1", 1));
        assertEquals(T0.plus(Duration.ofHours(1)).toString(), claimsGoneAt(name));
        // The retry makes claim 1, and then its record is not written: the record keeps the mark, and claim 1 lives.
        cluster.failIf("PUT", "/configmaps/" + name, 1, q -> true, q -> new io.fabric8.mockwebserver.http.MockResponse()
                .setResponseCode(500).setHeader("Content-Type", "application/json")
                .setBody(FaultyCluster.status(500, "InternalError", "etcd is busy")));
        assertThrows(CloudException.class, () -> at(cluster.client, Duration.ofHours(2)).provision(r));
        assertEquals(Stream.of(claim("retried", 1), claim("sweep-1", 0)).sorted().toList(),
                cluster.claimNames().stream().sorted().toList());

        Duration rewritten = Duration.ofHours(3);
        racing = cluster.clientWith("PUT", "/configmaps/" + name, 1, q -> true,
                () -> at(cluster.client, rewritten).provision(r));
        long putsBefore = putsOf(name);
        assertEquals(1, at(racing, Duration.ofHours(4)).provision(KarpenterCloudFaultsTest.request("sweep-2", 1)).fulfilled());

        // The retry's write, then the clear's, answered 409 and not tried again.
        assertEquals(2, putsOf(name) - putsBefore, cluster.requests.toString());
        ConfigMap kept = read(name);
        assertEquals("complete", kept.getData().get("state"));
        List<String> both = List.of(claim("retried", 0), claim("retried", 1));
        assertEquals(both, ids(ClaimRecords.readInstances(kept)));
        assertEquals(T0.plus(rewritten).toString(), kept.getMetadata().getAnnotations().get(KarpenterCloud.RECORDED));
        assertNull(claimsGoneAt(name));

        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(claim("retried", 1)).delete();
        Duration noticed = Duration.ofHours(5);
        at(cluster.client, noticed).provision(KarpenterCloudFaultsTest.request("sweep-3", 1));
        assertEquals(T0.plus(noticed).toString(), claimsGoneAt(name));
        KarpenterCloud edge = at(cluster.client, noticed.plus(Duration.ofDays(1)));
        edge.provision(KarpenterCloudFaultsTest.request("sweep-4", 1));
        List<String> claimsBefore = cluster.claimNames();
        assertEquals(both, ids(edge.provision(r).instances()));
        assertEquals(claimsBefore, cluster.claimNames());
    }

    private static String releaseRecord(String key) {
        return KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash(key));
    }

    /**
     * A client whose write of the release record under {@code key} is preceded by another release under the
     * same key, through the cluster's own client: it records first, and this client's write meets it (409).
     */
    private KubernetesClient racedByRelease(String key, List<String> otherIds) {
        return cluster.clientWith("POST", "/configmaps", 1, q -> q.bodyString().contains(releaseRecord(key)),
                () -> cluster.cloud().release(ReleaseRequest.of(key, otherIds)));
    }

    /**
     * Two releases of one instance under one key (a retry sent while the first is still running): the first to
     * record wins, and the other, meeting its record, answers that result, as a repeated release does.
     */
    @Test
    void release_recordMeetingTheSameRequestsRecord_answersTheRecordedResult() {
        String id = cluster.cloud().provision(KarpenterCloudFaultsTest.request("to-free", 1)).instances().get(0).id();
        racing = racedByRelease("free", List.of(id));

        ReleaseResult result = cloudOf(racing).release(ReleaseRequest.of("free", List.of(id)));

        List<Instance> recorded = ClaimRecords.readInstances(read(releaseRecord("free")));
        // The other release came after this one deleted the claim, so it recorded the instance as ended.
        assertEquals(List.of(InstanceState.TERMINATED), recorded.stream().map(Instance::state).toList());
        assertEquals(recorded, result.instances());
        assertEquals(result, cluster.cloud().release(ReleaseRequest.of("free", List.of(id))));
        assertEquals(List.of(), cluster.claimNames());
    }

    /**
     * One key reused at the same moment to release another instance: this release has deleted its claim when
     * its record meets the other's. Its outcome is open ({@code TIMED_OUT}, naming the claim it deleted), the
     * cause says the key was used for another release, and the record is the other's: a retry is refused.
     */
    @Test
    void release_recordMeetingAnotherRequestsRecordUnderTheKey_afterDeletingAClaim_failsOpen_withTheReusedKeyAsCause() {
        List<String> ids = ids(cluster.cloud().provision(KarpenterCloudFaultsTest.request("pair", 2)).instances());
        racing = racedByRelease("shared", List.of(ids.get(1)));

        CloudException e = assertThrows(CloudException.class,
                () -> cloudOf(racing).release(ReleaseRequest.of("shared", List.of(ids.get(0)))));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("deleted NodeClaims [" + ids.get(0) + "]"), e.getMessage());
        CloudException cause = assertInstanceOf(CloudException.class, e.getCause());
        assertEquals(Kind.INVALID_REQUEST, cause.kind(), cause.getMessage());
        assertTrue(cause.getMessage().contains("'shared'") && cause.getMessage().contains(ids.get(1)), cause.getMessage());
        assertEquals(List.of(), cluster.claimNames());
        assertEquals(List.of(ids.get(1)), ids(ClaimRecords.readInstances(read(releaseRecord("shared")))));
        assertEquals(Kind.INVALID_REQUEST, assertThrows(CloudException.class,
                () -> cluster.cloud().release(ReleaseRequest.of("shared", List.of(ids.get(0))))).kind());
    }

    /**
     * The same, for a release that changed nothing (its instance had ended already): it is refused as a reused
     * key, {@code INVALID_REQUEST}, as it would be had the other release recorded before it began.
     */
    @Test
    void release_ofAnEndedInstanceMeetingAnotherRequestsRecordUnderTheKey_isRefusedAsAReusedKey() {
        List<String> ids = ids(cluster.cloud().provision(KarpenterCloudFaultsTest.request("pair", 2)).instances());
        cluster.cloud().release(ReleaseRequest.of("end-first", List.of(ids.get(0))));
        racing = racedByRelease("reused", List.of(ids.get(1)));

        CloudException e = assertThrows(CloudException.class,
                () -> cloudOf(racing).release(ReleaseRequest.of("reused", List.of(ids.get(0)))));

        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("'reused'") && e.getMessage().contains(ids.get(1)), e.getMessage());
        assertEquals(List.of(ids.get(1)), ids(ClaimRecords.readInstances(read(releaseRecord("reused")))));
    }

    private static io.fabric8.mockwebserver.http.MockResponse conflict(String body) {
        return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(409)
                .setHeader("Content-Type", "application/json").setBody(body);
    }
}
