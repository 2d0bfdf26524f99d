package io.fleetpredict.core.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The recommendations' ranges at their limits, and their sentences. */
class RecommendationTest {

    @Test
    void scaleDown_toCountFromZeroUpToButNotIncludingTheCount() {
        Recommendation.ScaleDown toZero = new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, 0, 0.288, "none");
        assertEquals("scale down web: change c1 from 3 to 0 instances, saves 0.2880 per hour", toZero.summary());
        new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, 2, 0.096, "none");
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, 3, 0.096, "none"));
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, -1, 0.096, "none"));
    }

    @Test
    void moveToSpot_atLeastOneInstance() {
        Recommendation.MoveToSpot one = new Recommendation.MoveToSpot(2, "web", "gold", "c1", 1, 0.05, 0.02, "spot");
        assertEquals("move 1 instances of change c1 (web) to spot, saves 0.0500 per hour", one.summary());
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.MoveToSpot(2, "web", "gold", "c1", 0, 0.05, 0.02, "spot"));
    }

    @Test
    void trimHeadroom_toFractionFromZeroBelowTheFractionNowAndAtLeastOneInstance() {
        Recommendation.TrimHeadroom trim = new Recommendation.TrimHeadroom(3, "web", "gold", 0.2, 0, 1, 0.096, "p90");
        assertEquals("trim headroom of web from 20% to 0%: 1 instance fewer, saves 0.0960 per hour", trim.summary());
        assertEquals("trim headroom of web from 25% to 10%: 2 instances fewer, saves 0.1920 per hour",
                new Recommendation.TrimHeadroom(3, "web", "gold", 0.25, 0.1, 2, 0.192, "p90").summary());
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.TrimHeadroom(3, "web", "gold", 0.2, 0.2, 1, 0.096, "p90"));
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.TrimHeadroom(3, "web", "gold", 0.2, -0.01, 1, 0.096, "p90"));
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.TrimHeadroom(3, "web", "gold", 0.2, 0.1, 0, 0.096, "p90"));
    }

    @Test
    void summaries_savingsBelowACentOrPastADoubleOfDigits_writtenAsCostsAre() {
        // Four decimals, more where four significant digits need them, and a power of ten from 1e15 up: a saving
        // of a fraction of a cent is not "0.0000", nor one at 1e300 three hundred digits.
        assertEquals("scale down web: change c1 from 3 to 0 instances, saves 0.00001235 per hour",
                new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, 0, 0.00001235, "none").summary());
        assertEquals("scale down web: change c1 from 3 to 0 instances, saves 3.000e+300 per hour",
                new Recommendation.ScaleDown(1, "web", "gold", "c1", 3, 0, 3e300, "none").summary());
    }

    @Test
    void defer_linesLaunchNoLaterThanNeededAndTheSentenceGivesBothTimes() {
        java.time.Instant t = java.time.Instant.parse("2024-11-29T18:00:00Z");
        Recommendation.Defer.Line line = new Recommendation.Defer.Line("c1", t, t.plusSeconds(600),
                java.time.Duration.ofMinutes(10));
        assertEquals("defer web: change c1 to launch at 2024-11-29T18:00:00Z, needed by 2024-11-29T18:10:00Z, "
                + "lead_time_given_up PT10M, saves 0.0960 per hour until 2024-11-29T18:00:00Z",
                new Recommendation.Defer(2, "web", "gold", java.util.List.of(line), t, 0.096, "lead").summary());
        java.time.Duration lead = java.time.Duration.ofMinutes(10);
        new Recommendation.Defer.Line("c1", t, t, lead);
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.Defer.Line("c1", t.plusSeconds(1), t, lead));
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.Defer.Line("c1", t, t, java.time.Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new Recommendation.Defer(2, "web", "gold", java.util.List.of(), t, 0.096, "lead"));
    }
}
