package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a caller gets when the API server fails, answers late or with nonsense, or holds objects in a state
 * this provider did not leave them in: a {@link CloudException} of the kind that says whether to retry,
 * naming what failed, and no claim left that the caller cannot find again.
 */
class KarpenterCloudFaultsTest {

    private static final String CLAIMS = "/apis/karpenter.sh/v1/nodeclaims";
    private static final String POOLS = "/apis/karpenter.sh/v1/nodepools";

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    static ProvisionRequest request(String key, int count) {
        return new ProvisionRequest(key, "m6i.large", "eu-west-1", PurchaseOption.ON_DEMAND, count, Map.of("service", "web"));
    }

    @ParameterizedTest(name = "HTTP {0} on the node pool is {1}")
    @CsvSource({"401, UNAUTHORIZED", "403, UNAUTHORIZED", "429, THROTTLED", "500, TRANSIENT", "503, TRANSIENT",
            "422, INVALID_REQUEST"})
    void offersAndCapabilities_apiFailure_isACloudExceptionOfTheStatusKind(int code, Kind kind) {
        cluster.fail("GET", POOLS, 2, code, FaultyCluster.status(code, "Reason", "the server says no"));
        KarpenterCloud cloud = cluster.cloud();
        CloudException offers = assertThrows(CloudException.class, cloud::offers);
        assertEquals(kind, offers.kind());
        assertTrue(offers.getMessage().contains("the server says no"), offers.getMessage());
        assertEquals(kind, assertThrows(CloudException.class, cloud::capabilities).kind());
    }

    @Test
    void offers_malformedJson_isTransientAndSaysTheAnswerWasUnreadable() {
        cluster.fail("GET", POOLS, 1, 200, "{not json");
        CloudException e = assertThrows(CloudException.class, cluster.cloud()::offers);
        assertEquals(Kind.TRANSIENT, e.kind());
        assertFalse(e.getMessage().contains("HTTP -1"), e.getMessage());
        assertTrue(e.getMessage().contains("node pool 'general'") && e.getMessage().contains("could not be read"),
                e.getMessage());
    }

    @Test
    void provision_malformedListAnswer_isTransient_namesTheRequest_andCreatesNothing() {
        cluster.fail("GET", CLAIMS, 1, 200, "{\"items\": [1,2");
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request("bad-json", 1)));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertFalse(e.getMessage().contains("HTTP -1"), e.getMessage());
        assertTrue(e.getMessage().contains("list NodeClaims") && e.getMessage().contains("could not be read"),
                e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @Test
    void provision_noAnswerToACreate_isTimedOut_andARetryWithTheKeyAnswersFromTheClaim() {
        // The API server stores the claim and answers too late.
        cluster.fail("POST", CLAIMS, 1, r -> cluster.store(r).setBodyDelay(3, TimeUnit.SECONDS));
        KarpenterCloud impatient = cloudWithTimeout(500);
        CloudException e = assertThrows(CloudException.class, () -> impatient.provision(request("slow", 1)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        String claim = KarpenterCloud.claimName("general", KarpenterCloud.hash("slow"), 0);
        assertTrue(e.getMessage().contains(claim), e.getMessage());

        ProvisionResult retried = cluster.cloud().provision(request("slow", 1));
        assertEquals(List.of(claim), retried.instances().stream().map(Instance::id).toList());
        assertEquals(List.of(claim), cluster.claimNames());
    }

    /**
     * The API server stores the claim and then answers a server error: 500 when etcd changes leader after the
     * write, 502 or 503 from a proxy that had forwarded it, 504 or 408 (Request Timeout) from a proxy or load
     * balancer that stopped waiting for the API server's answer. The create may have been applied, so the failure
     * is {@code TIMED_OUT}, not {@code TRANSIENT} ("nothing was applied", which a caller settles as failed and so
     * leaves the claim running unaccounted); the same key then answers from the claim and makes no second one.
     */
    @ParameterizedTest(name = "HTTP {0} after the create was stored")
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void provision_serverErrorToACreateItApplied_isTimedOut_andARetryWithTheKeyAnswersFromTheClaim(int code) {
        cluster.fail("POST", CLAIMS, 1, r -> {
            cluster.store(r);
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody(FaultyCluster.status(code, "InternalError", "etcdserver: leader changed"));
        });
        KarpenterCloud cloud = cluster.cloud();
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("applied", 1)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        String claim = KarpenterCloud.claimName("general", KarpenterCloud.hash("applied"), 0);
        assertTrue(e.getMessage().contains(claim) && e.getMessage().contains("HTTP " + code)
                && e.getMessage().contains("may have been applied"), e.getMessage());
        assertEquals(List.of(claim), cloud.describe(DescribeRequest.all().withIdempotencyKey("applied")).instances()
                .stream().map(Instance::id).toList());

        assertEquals(List.of(claim), cloud.provision(request("applied", 1)).instances().stream().map(Instance::id).toList());
        assertEquals(List.of(claim), cluster.claimNames());
    }

    /**
     * A release whose only delete the API server applied and then answered 500 (or a proxy 408 or 504, having
     * stopped waiting) is {@code TIMED_OUT}: the claim is gone, and the same key finishes the release, answering
     * the instance ended.
     */
    @ParameterizedTest(name = "HTTP {0} after the delete was applied")
    @ValueSource(ints = {408, 500, 504})
    void release_serverErrorToADeleteItApplied_isTimedOut_andARetryWithTheKeyFinishes(int code) {
        String id = cluster.cloud().provision(request("to-release", 1)).instances().get(0).id();
        // Just before the provider's delete leaves, the claim is deleted, and the delete is then answered 500.
        KubernetesClient applying = cluster.clientWith("DELETE", "/nodeclaims/" + id, 1, q -> true, () -> {
            cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(id).delete();
            cluster.fail("DELETE", "/nodeclaims/" + id, 1, code, FaultyCluster.status(code, "InternalError",
                    "etcdserver: leader changed"));
        });
        KarpenterCloud cloud = KarpenterCloud.builder(applying, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                .build();
        ReleaseRequest release = ReleaseRequest.of("release-applied", List.of(id));
        CloudException e = assertThrows(CloudException.class, () -> cloud.release(release));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP " + code) && e.getMessage().contains("may have been applied"),
                e.getMessage());
        assertEquals(List.of(), cluster.claimNames());

        ReleaseResult finished = cloud.release(release);
        assertEquals(List.of(id), finished.instances().stream().map(Instance::id).toList());
        assertEquals(InstanceState.TERMINATED, finished.instances().get(0).state());
    }

    /**
     * A create the API server refused before storing it: 429 from its priority and fairness, which turns a request
     * away before handling it, is {@code THROTTLED}; nothing was made, so it is never {@code TIMED_OUT}, and the
     * same key makes the claim.
     */
    @Test
    void provision_throttledCreate_isThrottled_notTimedOut_andMakesNothing() {
        cluster.fail("POST", CLAIMS, 1, 429, FaultyCluster.status(429, "TooManyRequests", "too many requests, please try again later"));
        KarpenterCloud cloud = cluster.cloud();
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("throttled", 1)));
        assertEquals(Kind.THROTTLED, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("may have been applied"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
        assertEquals(1, cloud.provision(request("throttled", 1)).fulfilled());
    }

    /**
     * A create the API server refused for its size: 413 (Payload Too Large), sent for a body over its limit before
     * the body is decoded. Nothing was made, and the same request is refused again however often it is sent, so it
     * is {@code INVALID_REQUEST}, which no caller retries, as 400 and 422 are.
     */
    @Test
    void provision_createRefusedForItsSize_isInvalidRequest_andMakesNothing() {
        cluster.fail("POST", CLAIMS, 1, 413, FaultyCluster.status(413, "RequestEntityTooLarge",
                "Request entity too large: limit is " + FaultyCluster.REQUEST_BYTES));
        KarpenterCloud cloud = cluster.cloud();
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("too-large", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertFalse(e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 413") && e.getMessage().contains("Request entity too large"),
                e.getMessage());
        assertFalse(e.getMessage().contains("may have been applied"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    /** Reads change nothing: a server error or a timeout to one is {@code TRANSIENT}, whatever the code. */
    @ParameterizedTest(name = "HTTP {0} to a list")
    @ValueSource(ints = {408, 500, 502, 503, 504})
    void describe_serverErrorToARead_isTransient(int code) {
        cluster.fail("GET", CLAIMS, 1, code, FaultyCluster.status(code, "InternalError", "etcd is away"));
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));
        assertEquals(Kind.TRANSIENT, e.kind(), e.getMessage());
        assertFalse(e.getMessage().contains("may have been applied"), e.getMessage());
    }

    @Test
    void provision_noAnswerToARead_isTransient() {
        cluster.fail("GET", CLAIMS, 1, r -> new MockResponse().setResponseCode(200).setBody("{}")
                .setBodyDelay(3, TimeUnit.SECONDS));
        CloudException e = assertThrows(CloudException.class, () -> cloudWithTimeout(500).provision(request("slow-read", 1)));
        assertEquals(Kind.TRANSIENT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @Test
    void provision_connectionRefused_isTransient_andSaysWhereItConnected() {
        KubernetesClient refused = FaultyCluster.client(new ConfigBuilder().withMasterUrl("http://127.0.0.1:1").build(), 1000);
        try {
            KarpenterCloud cloud = KarpenterCloud.builder(refused, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                    .build();
            CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("refused", 1)));
            assertEquals(Kind.TRANSIENT, e.kind());
            assertFalse(e.getMessage().contains("HTTP -1"), e.getMessage());
            assertTrue(e.getMessage().contains("127.0.0.1:1") || e.getMessage().contains("Connect"), e.getMessage());
        } finally {
            refused.close();
        }
    }

    /**
     * The factory's own client leaves retries to the library's guard (fabric8 would retry each call ten
     * times with backoff, about 20 s against a refused connection), unless the environment names a limit.
     */
    @ParameterizedTest(name = "backoff limit property {0}: {1} requests")
    @CsvSource({"'', 1", "2, 3"})
    void factory_ownClient_retriesOnlyAsTheEnvironmentSays(String limit, int requests, @TempDir Path dir) throws IOException {
        Path prices = dir.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n");
        cluster.fail("GET", POOLS, 10, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        Map<String, String> properties = new HashMap<>(Map.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY,
                cluster.client.getConfiguration().getMasterUrl(), Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false",
                Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false"));
        if (!limit.isEmpty()) {
            properties.put(Config.KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT_SYSTEM_PROPERTY, limit);
            properties.put(Config.KUBERNETES_REQUEST_RETRY_BACKOFFINTERVAL_SYSTEM_PROPERTY, "10");
        }
        properties.keySet().forEach(k -> assertEquals(null, System.getProperty(k), k));
        properties.forEach(System::setProperty);
        try {
            CloudProvider cloud = new KarpenterCloudFactory().create(Map.of("node-pool", "general", "price-list",
                    prices.toString()));
            assertEquals(Kind.TRANSIENT, assertThrows(CloudException.class, cloud::offers).kind());
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
        assertEquals(requests, cluster.requests.stream().filter(r -> r.startsWith("GET " + POOLS)).count());
    }

    /** The second claim's create fails: the first stays, so the caller must be told the outcome is open. */
    @Test
    void provision_failureAfterSomeClaims_isTimedOut_andARetryMakesTheRest() {
        String second = KarpenterCloud.claimName("general", KarpenterCloud.hash("half"), 1);
        failCreateOf(second);
        KarpenterCloud cloud = cluster.cloud();
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("half", 3)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(KarpenterCloud.claimName("general", KarpenterCloud.hash("half"), 0)), e.getMessage());
        assertTrue(e.getMessage().contains("etcd is away"), e.getMessage());
        assertEquals(1, cluster.claimNames().size());

        ProvisionResult retried = cloud.provision(request("half", 3));
        assertEquals(3, retried.fulfilled());
        assertEquals(3, cluster.claimNames().size());
        assertEquals(retried, cloud.provision(request("half", 3)));
    }

    /** The second claim's delete fails: the first is gone, so the caller must not read "nothing was applied". */
    @Test
    void release_failureAfterSomeDeletes_isTimedOut_andARetryFinishes() {
        KarpenterCloud cloud = cluster.cloud();
        List<String> ids = cloud.provision(request("rel", 2)).instances().stream().map(Instance::id).toList();
        cluster.fail("DELETE", ids.get(1), 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        ReleaseRequest release = ReleaseRequest.of("rel-1", ids);
        CloudException e = assertThrows(CloudException.class, () -> cloud.release(release));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(ids.get(0)) && e.getMessage().contains("etcd is away"), e.getMessage());
        assertEquals(List.of(ids.get(1)), cluster.claimNames());

        assertEquals(2, cloud.release(release).instances().size());
        assertEquals(List.of(), cluster.claimNames());
        assertTrue(cloud.describe(DescribeRequest.all()).instances().stream()
                .allMatch(i -> i.state() == io.fleetpredict.cloud.InstanceState.TERMINATED));
    }

    /** A repeated provision answers as the first did, whether its claims are gone or still being drained. */
    @Test
    void provision_sameKeyAfterARelease_answersTheFirstResult_andMakesNothing() {
        KarpenterCloud cloud = cluster.cloud();
        ProvisionResult first = cloud.provision(request("again", 3));
        List<String> ids = first.instances().stream().map(Instance::id).toList();
        cloud.release(ReleaseRequest.of("drop-0", List.of(ids.get(0))));
        // Karpenter drains the second one slowly: the API server accepts the delete and the claim stays listed.
        cluster.fail("DELETE", ids.get(1), 1, 200, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}");
        cloud.release(ReleaseRequest.of("drop-1", List.of(ids.get(1))));
        assertEquals(List.of(ids.get(1), ids.get(2)), cluster.claimNames().stream().sorted().toList());

        ProvisionResult again = cloud.provision(request("again", 3));
        assertEquals(ids, again.instances().stream().map(Instance::id).toList());
        assertEquals(2, cluster.claimNames().size());
    }

    /**
     * Karpenter deletes claims by itself (consolidation, interruption, a launch that failed): a repeated
     * provision answers as the first did and launches nothing again, as the SPI's idempotency asks.
     */
    @Test
    void provision_sameKeyAfterKarpenterDeletedAClaim_answersTheFirstResult_andMakesNothing() {
        KarpenterCloud cloud = cluster.cloud();
        ProvisionResult first = cloud.provision(request("consolidated", 2));
        String gone = first.instances().get(0).id();
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(gone).delete();
        assertEquals(List.of(first.instances().get(1).id()), cluster.claimNames());

        assertEquals(first, cloud.provision(request("consolidated", 2)));
        assertEquals(List.of(first.instances().get(1).id()), cluster.claimNames());
        Instance ended = cloud.describe(DescribeRequest.all()).instances().stream().filter(i -> i.id().equals(gone))
                .findFirst().orElseThrow();
        assertEquals(io.fleetpredict.cloud.InstanceState.TERMINATED, ended.state());
        assertEquals("consolidated", ended.idempotencyKey());

        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).delete();
        CloudException other = assertThrows(CloudException.class, () -> cloud.provision(request("consolidated", 3)));
        assertEquals(Kind.INVALID_REQUEST, other.kind());
        assertEquals(List.of(), cluster.claimNames());
    }

    /**
     * A provision fails part way and Karpenter deletes a claim it made before the retry (a launch that failed,
     * say): the retry makes only the claims never made, and answers with the deleted one as launched.
     */
    @Test
    void provision_retryAfterKarpenterDeletedAClaimOfAFailedProvision_makesOnlyTheClaimsNeverMade() {
        String third = KarpenterCloud.claimName("general", KarpenterCloud.hash("window"), 2);
        failCreateOf(third);
        KarpenterCloud cloud = cluster.cloud();
        assertEquals(Kind.TIMED_OUT, assertThrows(CloudException.class, () -> cloud.provision(request("window", 3))).kind());
        String first = KarpenterCloud.claimName("general", KarpenterCloud.hash("window"), 0);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(first).delete();

        ProvisionResult retried = cloud.provision(request("window", 3));
        assertEquals(3, retried.fulfilled());
        assertEquals(List.of(KarpenterCloud.claimName("general", KarpenterCloud.hash("window"), 1), third), cluster.claimNames().stream().sorted().toList());
        assertEquals(retried, cloud.provision(request("window", 3)));
        assertEquals(2, cluster.claimNames().size());
    }

    /** The record of a provision cannot be written after its claims were made: the outcome is open, and the key finishes it. */
    @Test
    void provision_recordNotWritten_isTimedOut_andARetryAnswersWithTheSameClaims() {
        KarpenterCloud cloud = cluster.cloud();
        cluster.fail("POST", "/configmaps", 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("unrecorded", 2)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("etcd is away"), e.getMessage());
        List<String> made = cluster.claimNames();
        assertEquals(2, made.size());

        ProvisionResult retried = cloud.provision(request("unrecorded", 2));
        assertEquals(made, retried.instances().stream().map(Instance::id).sorted().toList());
        assertEquals(made, cluster.claimNames());
        assertEquals(retried, cloud.provision(request("unrecorded", 2)));
    }

    @Test
    void provision_keyOfAReleasedProvision_withAnotherRequest_isRefused() {
        KarpenterCloud cloud = cluster.cloud();
        String id = cloud.provision(request("solo", 1)).instances().get(0).id();
        cloud.release(ReleaseRequest.of("drop-solo", List.of(id)));
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(new ProvisionRequest("solo",
                "m6i.xlarge", "eu-west-1", PurchaseOption.ON_DEMAND, 1, Map.of("service", "web"))));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertEquals(List.of(), cluster.claimNames());
    }

    /** A pool whose limit was lowered under its use still answers a repeated provision: it makes nothing. */
    @Test
    void provision_replayInAPoolOverItsLimits_answersTheFirstResult() {
        KarpenterCloud cloud = cluster.cloud();
        ProvisionResult first = cloud.provision(request("before-limit", 2));
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = new HashMap<>((Map<String, Object>) p.getAdditionalProperties().get("spec"));
        spec.put("limits", Map.of("cpu", "2"));
        p.setAdditionalProperty("spec", spec);
        p.setAdditionalProperty("status", Map.of("resources", Map.of("cpu", "4")));
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
        assertEquals(first, cloud.provision(request("before-limit", 2)));
        assertEquals(Kind.QUOTA_EXCEEDED, assertThrows(CloudException.class,
                () -> cloud.provision(request("after-limit", 1))).kind());
    }

    @Test
    void provision_conflictWithNoClaimToRead_failsAtOnce_insteadOfWaiting() {
        cluster.fail("POST", CLAIMS, 1, 409, FaultyCluster.status(409, "AlreadyExists", "being deleted"));
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request("ghost", 1)));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains(KarpenterCloud.claimName("general", KarpenterCloud.hash("ghost"), 0)), e.getMessage());
        long reads = cluster.requests.stream().filter(r -> r.startsWith("GET " + CLAIMS)).count();
        assertTrue(reads <= 3, "polled the claims " + reads + " times");
    }

    /** A racer with the same key made claim 0 first: the loser makes the rest and both answer alike. */
    @Test
    void provision_raceLostOnTheFirstClaim_answersWithAllClaimsOfTheKey() {
        KarpenterCloud cloud = cluster.cloud();
        ProvisionRequest r = request("race", 2);
        String first = KarpenterCloud.claimName("general", KarpenterCloud.hash("race"), 0);
        cluster.failIf("POST", CLAIMS, 1, q -> q.getUtf8Body().contains(first), q -> {
            cluster.store(q);
            return new MockResponse().setResponseCode(409).setBody(FaultyCluster.status(409, "AlreadyExists", "exists"));
        });
        ProvisionResult result = cloud.provision(r);
        assertEquals(2, result.fulfilled());
        assertEquals(2, cluster.claimNames().size());
    }

    @ParameterizedTest(name = "annotation {0}={1}")
    @CsvSource(delimiter = ';', value = {
            "fleetpredict.io/request; garbage",
            "fleetpredict.io/request; m6i.large|eu-west-1|CHEAP|1|{}",
            "fleetpredict.io/launched-at; yesterday",
            "fleetpredict.io/tags; [1,",
            "fleetpredict.io/tags; {\"a\":1}"})
    void describe_claimWithAMalformedAnnotation_namesTheClaimAndTheAnnotation(String annotation, String value) {
        Map<String, String> annotations = new HashMap<>(Map.of(KarpenterCloud.REQUEST, "m6i.large|eu-west-1|ON_DEMAND|1|{}",
                KarpenterCloud.LAUNCHED, "2026-01-01T00:00:00Z", KarpenterCloud.TAGS, "{}", KarpenterCloud.KEY, "k"));
        annotations.put(annotation, value);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(claim("fp-odd-0", annotations)).create();
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("fp-odd-0") && e.getMessage().contains(annotation), e.getMessage());
        assertFalse(e.getMessage().contains("An error has occurred"), e.getMessage());
    }

    @ParameterizedTest(name = "instances = {0}")
    @ValueSource(strings = {"[{\"id\":", "{\"a\":1}", "[{\"id\":\"x\",\"instance_type\":\"m6i.large\",\"region\":\"eu-west-1\","
            + "\"purchase_option\":\"ON_DEMAND\",\"state\":\"GONE\",\"launched_at\":\"2026-01-01T00:00:00Z\","
            + "\"ready_at\":\"2026-01-01T00:00:00Z\",\"idempotency_key\":\"k\",\"tags\":{},\"price_per_hour\":1}]"})
    void describe_malformedReleaseRecord_namesTheConfigMap(String instances) {
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fp-ended-x").withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER, KarpenterCloud.KEY_HASH, "h",
                        KarpenterCloud.RECORD_POOL, "general"))
                .endMetadata().withData(Map.of("instances", instances)).build()).create();
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("fp-ended-x"), e.getMessage());
    }

    @Test
    void release_recordWithoutData_namesTheRecord_notAnotherRequest() {
        String record = KarpenterCloud.releaseRecordName("general", KarpenterCloud.hash("r1"));
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName(record).endMetadata().build()).create();
        CloudException e = assertThrows(CloudException.class,
                () -> cluster.cloud().release(ReleaseRequest.of("r1", List.of("x"))));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains(record), e.getMessage());
        assertFalse(e.getMessage().contains("other instances"), e.getMessage());
    }

    @Test
    void offers_malformedNodePool_namesThePool() {
        pool(Map.of("template", Map.of("spec", Map.of("requirements",
                List.of(Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "In", "values", "m6i.large"))))));
        CloudException e = assertThrows(CloudException.class, cluster.cloud()::offers);
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("'general'"), e.getMessage());
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        p.setAdditionalProperty("spec", "not an object");
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
        assertEquals(Kind.INVALID_REQUEST, assertThrows(CloudException.class, cluster.cloud()::offers).kind());
    }

    @Test
    void offers_poolThatExcludesTypes_withNotIn_sellsNoneOfThem() {
        pool(Map.of("template", Map.of("spec", Map.of("requirements", List.of(
                Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "NotIn", "values", List.of("p4d.24xlarge", "m6i.large")),
                Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "In", "values", List.of("m6i.large", "m6i.xlarge")))))));
        KarpenterCloud cloud = cluster.cloud();
        assertEquals(List.of("m6i.xlarge"), cloud.offers().stream().map(o -> o.instanceType()).toList());
        CloudException e = assertThrows(CloudException.class, () -> cloud.provision(request("excluded", 1)));
        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertEquals(List.of(), cluster.claimNames());
    }

    @Test
    void offers_poolWithoutCapacityType_DoesNotExist_sellsNothing() {
        pool(Map.of("template", Map.of("spec", Map.of("requirements", List.of(
                Map.of("key", KarpenterCloud.CAPACITY_TYPE, "operator", "DoesNotExist"))))));
        assertEquals(List.of(), cluster.cloud().offers());
    }

    @Test
    void describe_followsContinueTokens_acrossPages() {
        KarpenterCloud cloud = cluster.cloud();
        List<Instance> made = cloud.provision(request("paged", 3)).instances();
        List<GenericKubernetesResource> claims = cluster.claims();
        Function<List<GenericKubernetesResource>, String> page = items -> Serialization.asJson(Map.of(
                "apiVersion", "karpenter.sh/v1", "kind", "NodeClaimList", "items", items,
                "metadata", Map.of("continue", items.size() == 1 ? "next" : "")));
        cluster.failIf("GET", CLAIMS, 1, r -> r.getPath().contains("managed-by") && !r.getPath().contains("continue="),
                r -> json(page.apply(claims.subList(0, 1))));
        cluster.failIf("GET", CLAIMS, 1, r -> r.getPath().contains("continue=next"), r -> json(page.apply(claims.subList(1, 3))));
        assertEquals(made.stream().map(Instance::id).sorted().toList(),
                cloud.describe(DescribeRequest.all()).instances().stream().map(Instance::id).sorted().toList());
    }

    @Test
    void describe_continueTokenThatRepeats_isTransient_notALoop() {
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(request("loop", 1));
        String body = Serialization.asJson(Map.of("apiVersion", "karpenter.sh/v1", "kind", "NodeClaimList",
                "items", cluster.claims(), "metadata", Map.of("continue", "again")));
        cluster.fail("GET", CLAIMS + "?", 50, r -> json(body));
        assertEquals(Kind.TRANSIENT, assertThrows(CloudException.class, () -> cloud.describe(DescribeRequest.all())).kind());
    }

    @Test
    void describe_continueTokensWithoutEnd_failAfterAThousandPages_notWhenTheMemoryIsFull() {
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(request("endless", 1));
        AtomicInteger pages = new AtomicInteger();
        // a new token with every page, for one page more than the most read; then the list would end
        cluster.fail("GET", CLAIMS + "?", 1_001, r -> json(Serialization.asJson(Map.of("apiVersion", "karpenter.sh/v1",
                "kind", "NodeClaimList", "items", List.of(), "metadata", Map.of("continue", "page-" + pages.incrementAndGet())))));
        CloudException e = assertThrows(CloudException.class, () -> cloud.describe(DescribeRequest.all()));
        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("still named a next page after 1000 pages (0 objects)"), e.getMessage());
        assertEquals(1_000, pages.get());
    }

    @ParameterizedTest(name = "node pool ''{0}''")
    @ValueSource(strings = {"General", "a_b", "a/b", "../../api/v1/namespaces", " general", "-general", "general.",
            "pool-with-a-name-that-is-much-too-long-to-be-a-label-value-on-a-claim"})
    void builder_nodePoolThatIsNotADnsName_isRefusedUpFront(String pool) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloud.builder(cluster.client, pool));
        assertTrue(e.getMessage().contains("nodePool"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
    }

    @ParameterizedTest(name = "namespace ''{0}''")
    @ValueSource(strings = {"", "Bad_NS", "a/b", "a.b"})
    void builder_namespaceThatIsNotADnsLabel_isRefusedUpFront(String namespace) {
        KarpenterCloud.Builder b = KarpenterCloud.builder(cluster.client, "general");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.namespace(namespace));
        assertTrue(e.getMessage().contains("namespace"), e.getMessage());
    }

    @Test
    void builder_dottedNodePool_isAccepted() {
        KarpenterCloud.builder(cluster.client, "pool.example-1").priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    private void pool(Map<String, Object> spec) {
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        p.setAdditionalProperty("spec", spec);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).update();
    }

    /** The API server refuses the create of one claim with HTTP 500, once. */
    private void failCreateOf(String claim) {
        cluster.failIf("POST", CLAIMS, 1, r -> r.getUtf8Body().contains(claim), r -> new MockResponse()
                .setResponseCode(500).setBody(FaultyCluster.status(500, "InternalError", "etcd is away")));
    }

    private KarpenterCloud cloudWithTimeout(int millis) {
        KubernetesClient impatient = FaultyCluster.client(cluster.client.getConfiguration(), millis);
        return KarpenterCloud.builder(impatient, "general").priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).setBody(body).setHeader("Content-Type", "application/json");
    }

    static GenericKubernetesResource claim(String name, Map<String, String> annotations) {
        GenericKubernetesResource c = new GenericKubernetesResource();
        c.setApiVersion("karpenter.sh/v1");
        c.setKind("NodeClaim");
        c.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER,
                KarpenterCloud.KEY_HASH, "h", KarpenterCloud.NODE_POOL, "general")).withAnnotations(annotations).build());
        return c;
    }

    /** An instance whose claim Karpenter deleted is released as it is, terminated; nothing is deleted for it. */
    @Test
    void release_ofAnInstanceWhoseClaimIsGone_reportsItTerminated() {
        KarpenterCloud cloud = cluster.cloud();
        String id = cloud.provision(request("ended", 1)).instances().get(0).id();
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(id).delete();
        cluster.requests.clear();

        List<Instance> released = cloud.release(ReleaseRequest.of("end-ended", List.of(id))).instances();

        assertEquals(List.of(io.fleetpredict.cloud.InstanceState.TERMINATED), released.stream().map(Instance::state).toList());
        assertTrue(cluster.requests.stream().noneMatch(r -> r.startsWith("DELETE " + CLAIMS)), cluster.requests.toString());
    }

    /**
     * A provision whose claims were made but whose record was not, retried with its key in a pool now at its
     * node limit: the claims are its own, so the retry makes nothing and needs no room.
     */
    @Test
    void provision_retryOfAnUnrecordedProvision_inAPoolAtItsLimit_answersWithTheSameClaims() {
        Map<String, Object> spec = new HashMap<>(castMap(KarpenterCloudCompatibilityTest.nodePool().getAdditionalProperties()
                .get("spec")));
        spec.put("limits", Map.of("nodes", "2"));
        pool(spec);
        KarpenterCloud cloud = cluster.cloud();
        cluster.fail("POST", "/configmaps", 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));
        assertThrows(CloudException.class, () -> cloud.provision(request("full", 2)));
        List<String> made = cluster.claimNames();
        assertEquals(2, made.size());

        assertEquals(made, cloud.provision(request("full", 2)).instances().stream().map(Instance::id).sorted().toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    /** The partial record cannot be written either: the failure says so beside the claim's. */
    @Test
    void provision_failureAfterSomeClaims_whosePartialRecordFailsToo_carriesThatFailure() {
        failCreateOf(KarpenterCloud.claimName("general", KarpenterCloud.hash("twice"), 1));
        cluster.fail("POST", "/configmaps", 1, 500, FaultyCluster.status(500, "InternalError", "disk full"));
        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request("twice", 2)));
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        String notKept = e.getSuppressed()[0].getMessage();
        assertTrue(notKept.contains("write ConfigMap default/" + KarpenterCloud.provisionRecordName("general",
                KarpenterCloud.hash("twice"))) && notKept.contains("disk full"), notKept);
    }

    /** One instance type sold in two regions at two prices: an instance has the price and boot time of its own. */
    @Test
    void describe_instanceOfATypeSoldInTwoRegions_hasItsRegionsOffer() {
        pool(Map.of("template", Map.of("spec", Map.of(
                "nodeClassRef", Map.of("group", "karpenter.k8s.aws", "kind", "EC2NodeClass", "name", "default"),
                "requirements", List.of(Map.of("key", KarpenterCloud.CAPACITY_TYPE, "operator", "In",
                        "values", List.of("on-demand")))))));
        List<io.fleetpredict.cloud.Offer> prices = List.of(
                new io.fleetpredict.cloud.Offer("m6i.large", "m6i", "eu-west-1", 2, 8, 12.5, 0, 0.107,
                        java.util.OptionalDouble.empty(), 0, java.time.Duration.ofSeconds(90)),
                new io.fleetpredict.cloud.Offer("m6i.large", "m6i", "us-east-1", 2, 8, 12.5, 0, 0.096,
                        java.util.OptionalDouble.empty(), 0, java.time.Duration.ofSeconds(60)));
        KarpenterCloud cloud = KarpenterCloud.builder(cluster.client, "general").priceList(prices).build();
        cloud.provision(new ProvisionRequest("us", "m6i.large", "us-east-1", PurchaseOption.ON_DEMAND, 1, Map.of()));

        Instance i = cloud.describe(DescribeRequest.all()).instances().get(0);
        assertEquals("us-east-1", i.region());
        assertEquals(0.096, i.pricePerHour(), 0.0);
        assertEquals(java.time.Duration.ofSeconds(60), java.time.Duration.between(i.launchedAt(), i.readyAt()));
    }

    @Test
    void builder_namesOfSixtyThreeCharacters_areAccepted_andOfSixtyFourAreNot() {
        KarpenterCloud.Builder b = KarpenterCloud.builder(cluster.client, "p".repeat(63)).namespace("n".repeat(63));
        assertEquals("karpenter", b.priceList(KarpenterCloudCompatibilityTest.PRICES).build().name());
        assertThrows(IllegalArgumentException.class, () -> KarpenterCloud.builder(cluster.client, "p".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> b.namespace("n".repeat(64)));
    }

    /**
     * A release that deleted a claim and then failed to write its record has changed the cluster: its outcome is
     * open ({@code TIMED_OUT}, naming the claim), and the same key finishes it.
     */
    @Test
    void release_whoseRecordFailsAfterItDeletedAClaim_isTimedOut_namingTheClaim_andTheKeyFinishesIt() {
        KarpenterCloud cloud = cluster.cloud();
        String id = cloud.provision(request("rel-unrecorded", 1)).instances().get(0).id();
        cluster.failIf("POST", "/configmaps", 1, r -> r.getUtf8Body().contains("fp-release-"), r -> new MockResponse()
                .setResponseCode(500).setHeader("Content-Type", "application/json")
                .setBody(FaultyCluster.status(500, "InternalError", "etcd is busy")));

        CloudException e = assertThrows(CloudException.class, () -> cloud.release(ReleaseRequest.of("rel-u", List.of(id))));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("deleted NodeClaims [" + id + "]"), e.getMessage());
        assertEquals(List.of(), cluster.claimNames());
        ReleaseResult finished = cloud.release(ReleaseRequest.of("rel-u", List.of(id)));
        assertEquals(InstanceState.TERMINATED, finished.instances().get(0).state());
        assertEquals(finished, cloud.release(ReleaseRequest.of("rel-u", List.of(id))));
    }

    /** A concurrent release under the same key wrote the release's record first: the release has its result all the same. */
    @Test
    void release_whoseRecordAConcurrentReleaseWroteFirst_succeeds() {
        KarpenterCloud cloud = cluster.cloud();
        List<String> ids = cloud.provision(request("rel-race", 1)).instances().stream().map(Instance::id).toList();
        cluster.failIf("POST", "/configmaps", 1, r -> r.getUtf8Body().contains("fp-release-"), r -> new MockResponse()
                .setResponseCode(409).setHeader("Content-Type", "application/json")
                .setBody(FaultyCluster.status(409, "AlreadyExists", "configmaps already exists")));
        assertEquals(ids, cloud.release(ReleaseRequest.of("rel-race-1", ids)).instances().stream().map(Instance::id).toList());
        assertEquals(List.of(), cluster.claimNames());
    }
}
