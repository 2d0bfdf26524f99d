package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The value types given the null, blank, huge and out-of-range input a careless or hostile caller sends. */
class BadInputTest {

    private static Offer offerBooting(Duration bootTime) {
        return new Offer("g.large", "general", "eu", 2, 8, 0.75, 50, 0.1, OptionalDouble.empty(), 0, bootTime);
    }

    @Test
    void offer_bootTimeBeyondALongOfNanoseconds_isRefusedNamingBootTime() {
        // Callers turn the boot time into nanoseconds and add it to the launch instant; a boot time that
        // cannot be either would fail them later with an ArithmeticException far from its cause.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> offerBooting(Duration.ofSeconds(Long.MAX_VALUE)));
        assertTrue(e.getMessage().contains("bootTime"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> offerBooting(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)));
    }

    @Test
    void offer_bootTimeOfExactlyALongOfNanoseconds_isAccepted() {
        offerBooting(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void releaseRequestOf_nullIds_namesInstanceIds() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> ReleaseRequest.of("k", null));
        assertTrue(String.valueOf(e.getMessage()).contains("instanceIds"), e.getMessage());
    }

    @Test
    void releaseRequestOf_aNullId_isRefusedNamingInstanceIds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReleaseRequest.of("k", Arrays.asList("i-1", null)));
        assertTrue(e.getMessage().contains("instanceIds"), e.getMessage());
    }

    @Test
    void describeRequest_aNullState_isRefusedNamingStates() {
        Set<InstanceState> states = new HashSet<>(Arrays.asList(InstanceState.RUNNING, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescribeRequest.all().withStates(states));
        assertTrue(e.getMessage().contains("states"), e.getMessage());
    }

    @Test
    void describeRequest_nullOrBlankIdempotencyKey_namesIdempotencyKeys() {
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> DescribeRequest.all().withIdempotencyKey(null));
        assertTrue(String.valueOf(npe.getMessage()).contains("idempotencyKey"), npe.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescribeRequest.all().withIdempotencyKey(" "));
        assertTrue(e.getMessage().contains("idempotencyKeys"), e.getMessage());
    }

    @Test
    void enormousIdSet_withOneBlankId_getsAShortMessageNamingTheField() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add("i-" + i);
        }
        ids.add(" ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReleaseRequest("k", new HashSet<>(ids)));
        assertTrue(e.getMessage().contains("instanceIds") && e.getMessage().length() < 300, () -> "message of "
                + e.getMessage().length() + " characters: " + e.getMessage().substring(0, 200));
    }

    @Test
    void enormousInstanceList_withOneNull_getsAShortMessageNamingTheIndex() {
        ProvisionRequest request = new ProvisionRequest("k", "g.large", "eu", PurchaseOption.ON_DEMAND, 1, Map.of());
        List<Instance> instances = new ArrayList<>();
        Instance one = new Instance("i-1", "g.large", "eu", PurchaseOption.ON_DEMAND, InstanceState.PENDING,
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, "k", Map.of(), Map.of(), 0.1);
        for (int i = 0; i < 100_000; i++) {
            instances.add(one);
        }
        instances.add(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProvisionResult(request, instances));
        assertTrue(e.getMessage().contains("instances") && e.getMessage().contains("100000")
                && e.getMessage().length() < 300, () -> "message of " + e.getMessage().length() + " characters: "
                + e.getMessage().substring(0, 200));
    }

    @Test
    void describeResult_holdingOneInstanceTwice_isRefusedNamingTheIdAndIndex() {
        // A provider that pages through a listing and reads one page twice would otherwise make a
        // caller count the instance twice.
        Instance one = new Instance("i-1", "g.large", "eu", PurchaseOption.ON_DEMAND, InstanceState.PENDING,
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, "k", Map.of(), Map.of(), 0.1);
        Instance two = new Instance("i-2", "g.large", "eu", PurchaseOption.ON_DEMAND, InstanceState.PENDING,
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, "k", Map.of(), Map.of(), 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DescribeResult(java.time.Instant.EPOCH, List.of(one, two, one)));
        assertTrue(e.getMessage().contains("i-1") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void releaseResult_missingOneOfManyRequestedIds_namesTheMissingIdInAShortMessage() {
        List<String> ids = new ArrayList<>();
        List<Instance> released = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            String id = String.format(java.util.Locale.ROOT, "i-%06d", i);
            ids.add(id);
            if (i != 31_337) {
                released.add(new Instance(id, "g.large", "eu", PurchaseOption.ON_DEMAND, InstanceState.TERMINATED,
                        java.time.Instant.EPOCH, java.time.Instant.EPOCH, "k", Map.of(), Map.of(), 0.1));
            }
        }
        ReleaseRequest request = ReleaseRequest.of("r", ids);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReleaseResult(request, released));
        assertTrue(e.getMessage().contains("i-031337") && e.getMessage().length() < 400, () -> "message of "
                + e.getMessage().length() + " characters: " + e.getMessage().substring(0, 200));
    }
}
