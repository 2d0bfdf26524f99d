package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordsTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private static Offer offer(double onDemand, OptionalDouble spot, double rate) {
        return new Offer("g.large", "general", "eu", 2, 8, 0.75, 50, onDemand, spot, rate, Duration.ofMinutes(3));
    }

    private static Instance instance(String id, ProvisionRequest request) {
        return new Instance(id, request.instanceType(), request.region(), request.purchaseOption(),
                InstanceState.PENDING, T0, T0.plusSeconds(180), request.idempotencyKey(), request.tags(), Map.of(), 0.1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN, Double.POSITIVE_INFINITY})
    void offer_badOnDemandPrice_isRejectedWithTheValue(double price) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> offer(price, OptionalDouble.empty(), 0));
        assertTrue(e.getMessage().contains("onDemandPricePerHour"), e.getMessage());
    }

    @Test
    void offer_interruptionRateWithoutSpot_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> offer(0.1, OptionalDouble.empty(), 0.02));
    }

    @Test
    void offer_pricePerHour_picksByPurchaseOption() {
        Offer offer = offer(0.1, OptionalDouble.of(0.035), 0.02);
        assertEquals(0.1, offer.pricePerHour(PurchaseOption.ON_DEMAND));
        assertEquals(0.035, offer.pricePerHour(PurchaseOption.SPOT));
        assertThrows(IllegalArgumentException.class,
                () -> offer(0.1, OptionalDouble.empty(), 0).pricePerHour(PurchaseOption.SPOT));
    }

    @Test
    void provisionRequest_zeroCount_isRejectedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 0, Map.of()));
        assertEquals("count must be positive, was 0", e.getMessage());
    }

    @Test
    void provisionRequest_tags_areCopied() {
        Map<String, String> tags = new HashMap<>(Map.of("service", "web"));
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 1, tags);
        tags.put("service", "db");
        assertEquals(Map.of("service", "web"), request.tags());
        assertThrows(UnsupportedOperationException.class, () -> request.tags().put("x", "y"));
    }

    /**
     * A record given another record's map keeps that copy rather than making its own, so the instances of one
     * provision hold its tags once; a caller's own map is still copied, and the shared copy stays immutable.
     */
    @Test
    void instance_tagsOfItsRequest_sharesTheRequestsCopy() {
        Map<String, String> tags = new java.util.LinkedHashMap<>(Map.of("service", "web"));
        tags.put("fleet", "a");
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 2, tags);
        Instance first = instance("i-1", request);
        Instance second = instance("i-2", request);
        assertTrue(first.tags() == request.tags() && second.tags() == request.tags(),
                "each instance holds its own copy of the request's tags");
        assertEquals(List.of("service", "fleet"), List.copyOf(first.tags().keySet()));
        assertEquals(tags, first.tags());
        assertEquals(tags.hashCode(), first.tags().hashCode());
        assertEquals(tags.toString(), first.tags().toString());
        tags.put("service", "db");
        assertEquals("web", first.tags().get("service"));
        assertThrows(UnsupportedOperationException.class, () -> first.tags().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> first.tags().remove("service"));
        Map.Entry<String, String> entry = first.tags().entrySet().iterator().next();
        assertThrows(UnsupportedOperationException.class, () -> entry.setValue("x"));
        assertThrows(UnsupportedOperationException.class, () -> first.configuration().put("x", "y"));
    }

    @Test
    void provisionResult_fewerInstances_isPartial() {
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 3, Map.of());
        ProvisionResult result = new ProvisionResult(request, List.of(instance("a", request), instance("b", request)));
        assertEquals(2, result.fulfilled());
        assertTrue(result.partial());
        assertFalse(new ProvisionResult(request, List.of(instance("a", request), instance("b", request),
                instance("c", request))).partial());
    }

    @Test
    void provisionResult_instanceOfAnotherRequest_isRejected() {
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 1, Map.of());
        ProvisionRequest other = new ProvisionRequest("k2", "g.large", "eu", PurchaseOption.ON_DEMAND, 1, Map.of());
        assertThrows(IllegalArgumentException.class,
                () -> new ProvisionResult(request, List.of(instance("a", other))));
        assertThrows(IllegalArgumentException.class, () -> new ProvisionResult(request, List.of()));
    }

    @Test
    void releaseRequest_emptyIds_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ReleaseRequest("k", Set.of()));
    }

    @Test
    void instance_readyBeforeLaunch_isRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Instance("i", "t", "r", PurchaseOption.SPOT,
                InstanceState.PENDING, T0, T0.minusSeconds(1), "k", Map.of(), Map.of(), 0.1));
    }

    @Test
    void describeRequest_matches_appliesEveryConstraint() {
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 1,
                Map.of("service", "web", "team", "a"));
        Instance instance = instance("i-1", request);
        assertTrue(DescribeRequest.all().matches(instance));
        assertTrue(DescribeRequest.active().withTags(Map.of("service", "web")).withIdempotencyKey("k").matches(instance));
        assertFalse(DescribeRequest.all().withTags(Map.of("service", "db")).matches(instance));
        assertFalse(DescribeRequest.all().withStates(Set.of(InstanceState.RUNNING)).matches(instance));
        assertFalse(DescribeRequest.all().withIdempotencyKey("other").matches(instance));
        assertFalse(DescribeRequest.all().withInstanceIds(Set.of("i-2")).matches(instance));
    }
}
