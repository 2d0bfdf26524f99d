package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudException.Kind;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Text the API server sends (what it said in a failure, a continue token, an object's field, a stored record)
 * as a failure's message quotes it: escaped, so that it cannot forge a log line, and cut, so that a large one
 * does not flood a log or an audit trail.
 */
class KarpenterServerTextTest {

    private static final String CLAIMS = "/apis/karpenter.sh/v1/nodeclaims";
    /** A line break, a line separator and a right-to-left override, then a forged log line. */
    private static final String FORGED = "\n\u2028\u202e[main] ERROR forged";
    /** 100 KB after the forged line. */
    private static final String HUGE = FORGED + "x".repeat(100_000);
    /** Well past a quoted text's bound and the rest of a message. */
    private static final int MESSAGE_BOUND = 2_500;

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static void assertQuotedSafely(CloudException e) {
        assertQuotedSafely(e, HUGE);
    }

    private static void assertQuotedSafely(CloudException e, String sent) {
        String m = e.getMessage();
        assertTrue(m.contains("\\u000a\\u2028\\u202e[main] ERROR forged"), m.length() > 3_000 ? m.substring(0, 3_000) : m);
        assertFalse(m.contains("\n") || m.contains("\r") || m.contains("\u2028") || m.contains("\u202e"),
                "a raw line break or override in the message");
        assertTrue(m.length() <= MESSAGE_BOUND, m.length() + " characters");
        assertTrue(m.contains("... (" + sent.length() + " characters)"), "the cut text's length is not said");
    }

    private static String head(CloudException e) {
        return e.getMessage().substring(0, Math.min(e.getMessage().length(), 300));
    }

    private static MockResponse json(String body) {
        return new MockResponse().setResponseCode(200).setBody(body).setHeader("Content-Type", "application/json");
    }

    @Test
    void describe_failureStatusWithAForgedLineAndALargeMessage_isQuotedEscapedAndCut() {
        cluster.fail("GET", CLAIMS, 5, 500, Serialization.asJson(Map.of("kind", "Status", "apiVersion", "v1",
                "status", "Failure", "message", HUGE, "reason", "InternalError", "code", 500)));

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));

        assertEquals(Kind.TRANSIENT, e.kind(), head(e));
        assertQuotedSafely(e);
    }

    /**
     * The token goes back in the next request's URI, which the mock server takes only up to a few KB (an API
     * server takes far more), so it is 3 KB here: still six times the quoted bound.
     */
    @Test
    void describe_repeatedContinueTokenWithAForgedLine_isQuotedEscapedAndCut() {
        String token = FORGED + "x".repeat(3_000);
        KarpenterCloud cloud = cluster.cloud();
        cloud.provision(new ProvisionRequest("loop", "m6i.large", "eu-west-1", PurchaseOption.ON_DEMAND, 1, Map.of()));
        String body = Serialization.asJson(Map.of("apiVersion", "karpenter.sh/v1", "kind", "NodeClaimList",
                "items", cluster.claims(), "metadata", Map.of("continue", token)));
        cluster.fail("GET", CLAIMS + "?", 50, r -> json(body));

        CloudException e = assertThrows(CloudException.class, () -> cloud.describe(DescribeRequest.all()));

        assertEquals(Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("continue token"), head(e));
        assertQuotedSafely(e, token);
    }

    @Test
    void describe_storedReleaseRecordWithoutAField_quotesTheRecordEscapedAndCut() {
        Map<String, Object> record = new HashMap<>(Map.of("instance_type", "m6i.large", "region", "eu-west-1",
                "purchase_option", "ON_DEMAND", "state", "TERMINATED", "launched_at", "2026-01-01T00:00:00Z",
                "ready_at", "2026-01-01T00:00:00Z", "tags", Map.of(), "price_per_hour", 1));
        record.put("idempotency_key", HUGE);
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fp-ended-x").withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER,
                        KarpenterCloud.KEY_HASH, "h", KarpenterCloud.RECORD_POOL, "general"))
                .endMetadata().withData(Map.of("instances", Serialization.asJson(List.of(record)))).build()).create();

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));

        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("fp-ended-x") && e.getMessage().contains("has no String 'id'"),
                head(e));
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\u2028") || m.contains("\u202e"), "a raw line break or override");
        assertTrue(m.contains("\\u000a\\u2028\\u202e[main] ERROR forged"), m.substring(0, Math.min(m.length(), 3_000)));
        assertTrue(m.length() <= MESSAGE_BOUND, m.length() + " characters");
    }

    @Test
    void describe_claimWithAForgedLineInAnAnnotation_quotesItEscapedAndCut() {
        Map<String, String> annotations = new HashMap<>(Map.of(KarpenterCloud.REQUEST, "m6i.large|eu-west-1|ON_DEMAND|1|{}",
                KarpenterCloud.LAUNCHED, "2026-01-01T00:00:00Z", KarpenterCloud.TAGS, "{}", KarpenterCloud.KEY, "k"));
        annotations.put(KarpenterCloud.LAUNCHED, HUGE);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .resource(KarpenterCloudFaultsTest.claim("fp-odd-0", annotations)).create();

        CloudException e = assertThrows(CloudException.class, () -> cluster.cloud().describe(DescribeRequest.all()));

        assertEquals(Kind.INVALID_REQUEST, e.kind());
        assertTrue(e.getMessage().contains("fp-odd-0"), head(e));
        assertQuotedSafely(e);
    }
}
