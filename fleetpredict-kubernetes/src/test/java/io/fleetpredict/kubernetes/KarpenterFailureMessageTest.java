package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the message of a provision or release that fails part way says: the claims it made or deleted, the first
 * few by name and the rest as a count, so that one of tens of thousands of instances stays a line a log or an
 * audit trail can hold; and only the claims the call itself made as made.
 */
class KarpenterFailureMessageTest {

    private static final String CLAIMS = "/apis/karpenter.sh/v1/nodeclaims";
    /** Well past what the first names, the count, a shortened key and the cause take. */
    private static final int MESSAGE_BOUND = 2_500;

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static ProvisionRequest request(String key, int count) {
        return new ProvisionRequest(key, "m6i.large", "eu-west-1", PurchaseOption.ON_DEMAND, count, Map.of("service", "web"));
    }

    private static String claim(String key, int n) {
        return KarpenterCloud.claimName("general", KarpenterCloud.hash(key), n);
    }

    /** The API server refuses the create of one claim with HTTP 500, once. */
    private void failCreateOf(String claim) {
        cluster.failIf("POST", CLAIMS, 1, r -> r.getUtf8Body().contains("\"name\":\"" + claim + "\""),
                r -> new MockResponse().setResponseCode(500)
                        .setBody(FaultyCluster.status(500, "InternalError", "etcd is away")));
    }

    @Test
    void provision_largeRequestFailingPartWay_namesTheFirstClaimsAndCountsTheRest() {
        String key = "scale-out-" + "k".repeat(5_000);
        failCreateOf(claim(key, 250));

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request(key, 300)));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        String first = String.join(", ", IntStream.range(0, 10).mapToObj(n -> claim(key, n)).toList());
        assertTrue(e.getMessage().contains("made 250 of 300 NodeClaims [" + first + ", ... and 240 more]"), e.getMessage());
        assertTrue(e.getMessage().contains("etcd is away"), e.getMessage());
        assertFalse(e.getMessage().contains(key), "the whole key is quoted");
        assertTrue(e.getMessage().length() <= MESSAGE_BOUND, e.getMessage().length() + " characters: " + e.getMessage());
        assertEquals(250, cluster.claimNames().size());
    }

    @Test
    void release_largeRequestFailingPartWay_namesTheFirstClaimsAndCountsTheRest() {
        KarpenterCloud cloud = cluster.cloud();
        List<String> ids = cloud.provision(request("fleet", 300)).instances().stream().map(Instance::id).sorted().toList();
        String key = "scale-in-" + "k".repeat(5_000);
        cluster.fail("DELETE", ids.get(200), 1, 500, FaultyCluster.status(500, "InternalError", "etcd is away"));

        CloudException e = assertThrows(CloudException.class, () -> cloud.release(ReleaseRequest.of(key, ids)));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("deleted NodeClaims [" + String.join(", ", ids.subList(0, 10))
                + ", ... and 190 more]"), e.getMessage());
        assertTrue(e.getMessage().contains("etcd is away"), e.getMessage());
        assertFalse(e.getMessage().contains(key), "the whole key is quoted");
        assertTrue(e.getMessage().length() <= MESSAGE_BOUND, e.getMessage().length() + " characters: " + e.getMessage());
        assertEquals(100, cluster.claimNames().size());
    }

    @Test
    void release_ofManyUnknownInstances_namesTheFirstAndCountsTheRest() {
        List<String> ids = IntStream.range(0, 50_000).mapToObj(n -> String.format(java.util.Locale.ROOT, "i-%05d", n))
                .toList();

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().release(ReleaseRequest.of("gone", ids)));

        assertEquals(Kind.INVALID_REQUEST, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("unknown instances [" + String.join(", ", ids.subList(0, 10))
                + ", ... and 49,990 more]; nothing was released"), e.getMessage());
        assertTrue(e.getMessage().length() <= MESSAGE_BOUND, e.getMessage().length() + " characters");
    }

    /**
     * A concurrent provision under the key made the second claim first (this one's create is answered 409), and
     * the third's create fails: the message says this one made the first and found the second, not that it
     * made both.
     */
    @Test
    void provision_failingAfterAClaimAConcurrentProvisionMade_saysItFoundThatClaim_notThatItMadeIt() {
        String theirs = claim("shared", 1);
        cluster.failIf("POST", CLAIMS, 1, q -> q.getUtf8Body().contains("\"name\":\"" + theirs + "\""), q -> {
            cluster.storeAsAnotherCall(q);
            return new MockResponse().setResponseCode(409).setBody(FaultyCluster.status(409, "AlreadyExists", "exists"));
        });
        failCreateOf(claim("shared", 2));

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().provision(request("shared", 3)));

        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("made 1 of 3 NodeClaims [" + claim("shared", 0) + "], found 1 made by a"
                + " concurrent provision under the key [" + theirs + "], and then failed"), e.getMessage());
    }

    /**
     * The host's client retries by itself: the API server makes the first claim and answers its create 503, the
     * client sends the create again, and that one is answered 409; the second claim's create is refused. The claim
     * the 409 is about carries this call's attempt, so the message says this call made it, not that a concurrent
     * provision did.
     */
    @Test
    void provision_whoseClientSentACreateAgainAfterTheFirstWasApplied_saysItMadeThatClaim() {
        String first = claim("retried", 0);
        cluster.failIf("POST", CLAIMS, 1, q -> q.getUtf8Body().contains("\"name\":\"" + first + "\""), q -> {
            cluster.store(q);
            return new MockResponse().setResponseCode(503).setBody(FaultyCluster.status(503, "ServiceUnavailable",
                    "the answer was lost"));
        });
        cluster.failIf("POST", CLAIMS, 1, q -> q.getUtf8Body().contains("\"name\":\"" + claim("retried", 1) + "\""),
                q -> new MockResponse().setResponseCode(422).setBody(FaultyCluster.status(422, "Invalid", "refused")));
        io.fabric8.kubernetes.client.Config retrying = new io.fabric8.kubernetes.client.ConfigBuilder(
                cluster.client.getConfiguration()).withRequestRetryBackoffLimit(1).withRequestRetryBackoffInterval(1).build();

        CloudException e;
        try (io.fabric8.kubernetes.client.KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(retrying).build()) {
            KarpenterCloud cloud = KarpenterCloud.builder(client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES)
                    .build();
            e = assertThrows(CloudException.class, () -> cloud.provision(request("retried", 2)));
        }

        assertEquals(3, cluster.requests.stream().filter(q -> q.startsWith("POST " + CLAIMS)).count(),
                "the first create is sent twice, the second once: " + cluster.requests);
        assertEquals(Kind.TIMED_OUT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("made 1 of 2 NodeClaims [" + first + "] and then failed"), e.getMessage());
        assertFalse(e.getMessage().contains("concurrent"), e.getMessage());
    }
}
