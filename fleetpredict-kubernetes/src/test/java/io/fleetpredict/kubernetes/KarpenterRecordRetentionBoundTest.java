package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.cloud.ProvisionResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The record retention is at most ten thousand years, so that the sweep's cutoff ({@code now} less the
 * retention) is an instant for any clock in the years 0000 to 9999; and a sweep that fails anyway never fails
 * the provision it follows.
 */
class KarpenterRecordRetentionBoundTest {

    private final FaultyCluster cluster = new FaultyCluster();

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void factory_recordRetentionOverTenThousandYears_isRefusedNamingTheSettingAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.recordRetention("P400000000000D"));
        assertEquals("the setting 'record-retention' must be at most ten thousand years (P3652425D), was"
                + " 'P400000000000D'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KarpenterCloudFactory.recordRetention("P3652426D"));
    }

    @Test
    void factory_recordRetentionOfTenThousandYears_isTaken() {
        assertEquals(Duration.ofDays(3_652_425), KarpenterCloudFactory.recordRetention("P3652425D"));
    }

    @Test
    void builder_recordRetentionOverTenThousandYears_isRefused() {
        KarpenterCloud.Builder b = KarpenterCloud.builder(cluster.client, "general");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.recordRetention(Duration.ofDays(400_000_000_000L)));
        assertEquals("recordRetention must be at most ten thousand years (P3652425D), was PT9600000000000H",
                e.getMessage());
    }

    /** The longest retention on a clock at 0000-01-01: the cutoff is year -10000, which an instant holds. */
    @Test
    void provision_longestRetentionOnTheEarliestClock_provisions() {
        KarpenterCloud cloud = KarpenterCloud.builder(cluster.client, "general")
                .priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(Instant.parse("0000-01-01T00:00:00Z"), ZoneOffset.UTC))
                .recordRetention(Duration.ofDays(3_652_425)).build();

        ProvisionResult r = cloud.provision(KarpenterCloudFaultsTest.request("oldest", 1));

        assertEquals(1, r.instances().size());
    }

    /**
     * A clock so far in the past that no cutoff exists: the sweep fails on its own, after the claims are made
     * and the record written, and the provision still answers what it made.
     */
    @Test
    void provision_sweepFailingOnItsOwn_stillAnswersTheProvision() {
        KarpenterCloud cloud = KarpenterCloud.builder(cluster.client, "general")
                .priceList(KarpenterCloudCompatibilityTest.PRICES)
                .clock(Clock.fixed(Instant.MIN.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .recordRetention(Duration.ofDays(1)).build();

        ProvisionResult r = cloud.provision(KarpenterCloudFaultsTest.request("ancient", 2));

        assertEquals(2, r.instances().size());
        assertEquals(2, cluster.claimNames().size());
    }
}
