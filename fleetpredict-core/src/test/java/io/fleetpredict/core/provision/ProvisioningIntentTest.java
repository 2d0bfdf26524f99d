package io.fleetpredict.core.provision;

import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.provision.ProvisioningIntent.Kind;
import io.fleetpredict.core.provision.ProvisioningIntent.Status;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The intent record: what it refuses, and how many instances it covers, launches and releases. */
class ProvisioningIntentTest {

    private static ProvisioningIntent launch(int count, int covered, Status status, List<String> ids) {
        return new ProvisioningIntent("i", "c", "k", "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, count, covered, 0.1, T0, status, ids);
    }

    private static ProvisioningIntent release(int count, int covered, Status status, List<String> ids) {
        return new ProvisioningIntent("i", "c", "k", "checkout", "critical", "m.large", "us-east",
                PurchaseOption.ON_DEMAND, count, covered, 0.1, T0, status, ids, Kind.RELEASE);
    }

    @Test
    void launch_coveringLaunchingReleasing_byStatus() {
        // A substitute launch of 4 instances standing for 6 of the change's.
        assertEquals(6, launch(4, 6, Status.OPEN, List.of()).covering());
        assertEquals(4, launch(4, 6, Status.OPEN, List.of()).launching());
        assertEquals(6, launch(4, 6, Status.DONE, List.of("a", "b", "c", "d")).covering());
        // 3 of 4 launched stand for floor(3 x 6 / 4) = 4.
        assertEquals(4, launch(4, 6, Status.DONE, List.of("a", "b", "c")).covering());
        assertEquals(3, launch(4, 6, Status.DONE, List.of("a", "b", "c")).launching());
        assertEquals(0, launch(4, 6, Status.DONE, List.of()).covering());
        assertEquals(0, launch(4, 6, Status.FAILED, List.of()).covering());
        assertEquals(0, launch(4, 6, Status.ABANDONED, List.of()).covering());
        assertEquals(0, launch(4, 6, Status.FAILED, List.of()).launching());
        assertEquals(0, launch(4, 6, Status.ABANDONED, List.of()).launching());
        for (Status s : Status.values()) {
            assertEquals(0, launch(4, 6, s, List.of()).releasing(), "a launch releases nothing");
        }
    }

    @Test
    void release_coveringAndReleasing_whileOpenAndOnceDone() {
        List<String> ids = List.of("a", "b");
        assertEquals(2, release(2, 2, Status.OPEN, ids).covering());
        assertEquals(2, release(2, 2, Status.DONE, ids).covering());
        assertEquals(0, release(2, 2, Status.FAILED, ids).covering());
        assertEquals(2, release(2, 2, Status.OPEN, ids).releasing());
        assertEquals(2, release(2, 2, Status.DONE, ids).releasing());
        assertEquals(0, release(2, 2, Status.FAILED, ids).releasing());
        assertEquals(0, release(2, 2, Status.OPEN, ids).launching());
        assertEquals(0, release(2, 2, Status.DONE, ids).launching());
    }

    @Test
    void settle_launchTakesTheIdsAndReleaseKeepsItsOwn() {
        ProvisioningIntent done = launch(2, 2, Status.OPEN, List.of()).settle(Status.DONE, List.of("x"));
        assertEquals(Status.DONE, done.status());
        assertEquals(List.of("x"), done.instanceIds());
        assertEquals(Kind.LAUNCH, done.kind());
        ProvisioningIntent released = release(2, 2, Status.OPEN, List.of("a", "b")).settle(Status.DONE, List.of());
        assertEquals(List.of("a", "b"), released.instanceIds());
        assertEquals(Kind.RELEASE, released.kind());
        assertEquals(Status.DONE, released.status());
    }

    @Test
    void constructor_boundaryValues_accepted() {
        ProvisioningIntent one = launch(1, 1, Status.DONE, List.of("a"));
        assertEquals(1, one.count());
        assertEquals(0, new ProvisioningIntent("i", "c", "k", "s", "t", "m", "r", PurchaseOption.SPOT, 1, 1, 0, T0,
                Status.OPEN, List.of()).pricePerHour(), 0, "a free instance is allowed");
        assertEquals(Kind.LAUNCH, one.kind(), "the short constructor makes a launch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"id", "changeId", "idempotencyKey", "service", "slaTier", "instanceType", "region"})
    void constructor_blankText_refusedNamingTheField(String field) {
        String[] v = {"i", "c", "k", "s", "t", "m", "r"};
        List<String> names = List.of("id", "changeId", "idempotencyKey", "service", "slaTier", "instanceType",
                "region");
        v[names.indexOf(field)] = " ";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisioningIntent(v[0],
                v[1], v[2], v[3], v[4], v[5], v[6], PurchaseOption.ON_DEMAND, 1, 1, 0.1, T0, Status.OPEN, List.of()));
        assertEquals(field + " must not be blank, was ' '", e.getMessage());
        v[names.indexOf(field)] = null;
        assertThrows(IllegalArgumentException.class, () -> new ProvisioningIntent(v[0], v[1], v[2], v[3], v[4], v[5],
                v[6], PurchaseOption.ON_DEMAND, 1, 1, 0.1, T0, Status.OPEN, List.of()));
    }

    @Test
    void constructor_badCountsAndPrices_refused() {
        assertEquals("count and coveredCount must be positive, were 0 and 1",
                assertThrows(IllegalArgumentException.class, () -> launch(0, 1, Status.OPEN, List.of())).getMessage());
        assertEquals("count and coveredCount must be positive, were 1 and 0",
                assertThrows(IllegalArgumentException.class, () -> launch(1, 0, Status.OPEN, List.of())).getMessage());
        for (double bad : new double[] {-0.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisioningIntent(
                    "i", "c", "k", "s", "t", "m", "r", PurchaseOption.ON_DEMAND, 1, 1, bad, T0, Status.OPEN,
                    List.of()));
            assertTrue(e.getMessage().startsWith("pricePerHour must be finite and not negative"), e.getMessage());
        }
    }

    @Test
    void constructor_launchIds_onlyWhenDoneAndAtMostTheCount() {
        assertEquals(2, launch(2, 2, Status.DONE, List.of("a", "b")).instanceIds().size());
        assertEquals("instanceIds holds 3 ids for a DONE intent of 2", assertThrows(IllegalArgumentException.class,
                () -> launch(2, 2, Status.DONE, List.of("a", "b", "c"))).getMessage());
        for (Status s : List.of(Status.OPEN, Status.FAILED, Status.ABANDONED)) {
            assertThrows(IllegalArgumentException.class, () -> launch(2, 2, s, List.of("a")), s.name());
        }
    }

    @Test
    void constructor_releaseMustNameExactlyItsCountOfDistinctInstances() {
        assertEquals(List.of("a", "b"), release(2, 2, Status.OPEN, List.of("a", "b")).instanceIds());
        assertEquals("a OPEN release intent of 2 (covering 2) must name 2 distinct instances, named [a]",
                assertThrows(IllegalArgumentException.class, () -> release(2, 2, Status.OPEN, List.of("a")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> release(2, 2, Status.OPEN, List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> release(2, 3, Status.OPEN, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> release(2, 2, Status.ABANDONED, List.of("a", "b")));
        assertEquals(Status.FAILED, release(2, 2, Status.FAILED, List.of("a", "b")).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999999999Z",
            "+1000000000-12-31T23:59:59.999999999Z"})
    void intent_createdOutsideTheYearsADocumentHolds_refusedNamingCreatedAt(String createdAt) {
        // The store writes the intent beside the fleet state and reads back only what a document holds.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProvisioningIntent("i",
                "c", "k", "checkout", "critical", "m.large", "us-east", PurchaseOption.ON_DEMAND, 1, 1, 0.1,
                Instant.parse(createdAt), Status.OPEN, List.of()));
        assertEquals("createdAt: must lie from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, was "
                + createdAt, e.getMessage());
    }

    @Test
    void intent_createdAtTheYearsEnds_accepted() {
        for (Instant at : List.of(Documents.EARLIEST_INSTANT, Documents.LATEST_INSTANT)) {
            assertEquals(at, new ProvisioningIntent("i", "c", "k", "checkout", "critical", "m.large", "us-east",
                    PurchaseOption.ON_DEMAND, 1, 1, 0.1, at, Status.OPEN, List.of()).createdAt());
        }
    }
}
