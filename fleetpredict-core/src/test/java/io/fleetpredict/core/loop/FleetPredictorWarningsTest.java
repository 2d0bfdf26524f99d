package io.fleetpredict.core.loop;

import static io.fleetpredict.core.loop.FleetPredictorInputTest.CPU;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.firstCycle;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.predicted;
import static io.fleetpredict.core.loop.FleetPredictorInputTest.recordAWeek;
import static io.fleetpredict.core.provision.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a cycle's report says of input it cannot trust: a clock behind the history it holds, a metric that
 * stopped reporting, an event naming a service the loop does not know. The near-term reach these are measured
 * against is, with the simulated cloud and no SLA policies, its longest boot time (5 minutes 30 seconds) plus
 * the cycle (5 minutes).
 */
class FleetPredictorWarningsTest {

    static final Duration REACH = Duration.ofSeconds(630);
    /** After a week recorded from T0, the newest closed bucket ends one lateness window (5 minutes) before the clock. */
    static final Instant NEWEST = T0.plus(Duration.ofDays(7)).minus(Duration.ofMinutes(5));

    static List<String> warnings(CycleReport report) {
        return report.summary().lines().filter(l -> l.startsWith("warning:")).toList();
    }

    static FleetPredictor aWeekRecorded(MutableClock clock) {
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build()).build();
        recordAWeek(fleet, clock, () -> { });
        assertTrue(predicted(fleet.cycle()).startsWith("predicted:   short_term CPU up to "));
        return fleet;
    }

    @Test
    void cycle_clockSteppedBackHours_predictsNothingAndSaysTheClockIsBehind() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = aWeekRecorded(clock);
        clock.set(clock.instant().minus(Duration.ofHours(3)));
        Instant now = clock.instant();
        assertFalse(fleet.record(CPU, now, 7), "stamped before the newest closed bucket: late");

        CycleReport report = fleet.cycle();

        assertTrue(report.predictions().isEmpty());
        assertEquals("predicted:   nothing (the clock is behind the history: the cycle's time " + now + " is PT2H55M "
                + "before the end of the newest closed bucket, " + NEWEST + ", at least the near-term reach ("
                + REACH + ") ahead of it; nothing is predicted, which holds the fleet as it is, until the clock is "
                + "within that of the history again, and observations stamped before " + NEWEST + " come too late "
                + "for their buckets (record returns false))", predicted(report));
        assertTrue(report.plan().provisionalChanges().isEmpty(), "no launch and no release from a wrong clock");
    }

    @Test
    void cycle_clockSteppedBackLessThanTheReach_predictsFromTheNewestBucketWithAWarning() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = aWeekRecorded(clock);
        clock.set(clock.instant().minus(Duration.ofMinutes(12)));
        Instant now = clock.instant();

        CycleReport report = fleet.cycle();

        assertFalse(report.predictions().isEmpty(), "the reach still covers the step after the newest bucket");
        assertEquals(List.of("warning:     the clock is behind the history: the cycle's time " + now + " is PT7M "
                + "before the end of the newest closed bucket, " + NEWEST + "; the prediction starts there, and "
                + "observations stamped before it come too late for their buckets (record returns false)"),
                warnings(report));
    }

    @Test
    void cycle_clockBehindByLessThanAStep_saysNothing() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = aWeekRecorded(clock);
        clock.set(clock.instant().minus(Duration.ofMinutes(8)));
        assertEquals(List.of(), warnings(fleet.cycle()));
    }

    @Test
    void cycle_metricSilentLongerThanTheReach_warnsNamingItsSilenceAndTheValueFilledIn() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = aWeekRecorded(clock);
        clock.advance(Duration.ofHours(1));

        CycleReport report = fleet.cycle();

        // The last observation, at step 2015 of the week, fell in the bucket ending at T0 + 7 days.
        double hour = 2015 / 12.0 % 24;
        double last = 6 + 4 * Math.sin(Math.PI * (hour - 13) / 12) + Math.sin(2015);
        List<String> warnings = warnings(report);
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        String head = "warning:     metric cpu_cores{service=checkout} has had no observation since "
                + T0.plus(Duration.ofDays(7)) + ": its last PT55M of buckets closed empty, longer than the near-term "
                + "reach (" + REACH + "); they are filled with ";
        assertTrue(w.startsWith(head), w);
        String value = w.substring(head.length(), w.indexOf(' ', head.length()));
        assertEquals(last, Double.parseDouble(value), 5e-3 * last, w);
        assertTrue(w.endsWith(" (gap policy PREVIOUS, the last value observed) and the forecast goes on from that"), w);
        assertFalse(report.predictions().isEmpty(), "the loop goes on forecasting");
    }

    @Test
    void cycle_metricSilentForTheReach_saysNothingAndOnePastItWarns() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = aWeekRecorded(clock);
        // Fifteen minutes on, two buckets (10 minutes) have closed empty: within the reach of 10.5 minutes.
        clock.advance(Duration.ofMinutes(15));
        assertEquals(List.of(), warnings(fleet.cycle()));
        // Five more, three buckets (15 minutes): past it.
        clock.advance(Duration.ofMinutes(5));
        List<String> warnings = warnings(fleet.cycle());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("its last PT15M of buckets closed empty"), warnings.get(0));
        // Reporting again ends it.
        fleet.record(CPU, clock.instant(), 7);
        clock.advance(Duration.ofMinutes(10));
        assertEquals(List.of(), warnings(fleet.cycle()));
    }

    static EventFeed saleFor(String service) {
        return new EventFeed(1, List.of(new FleetEvent("sale", EventType.CAMPAIGN, "Flash sale",
                T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(3)), List.of(service), null)));
    }

    @Test
    void cycle_eventNamingAnUnknownService_warnsOnceNamingTheEventTheServiceAndTheServicesKnown() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build())
                .events(saleFor("chekout")).build();

        assertEquals(List.of("warning:     event sale (campaign, " + T0.plus(Duration.ofHours(2)) + " to "
                + T0.plus(Duration.ofHours(3)) + ") names service chekout, which the loop does not know (its "
                + "services: checkout): nothing is done for that name"), warnings(fleet.cycle()));
        clock.advance(Duration.ofMinutes(5));
        assertEquals(List.of(), warnings(fleet.cycle()), "once per event, not once a cycle");
    }

    @Test
    void cycle_eventNamingAKnownService_saysNothing() {
        MutableClock clock = MutableClock.at(T0);
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build())
                .events(saleFor("checkout")).build();
        assertEquals(List.of(), warnings(fleet.cycle()));
    }

    @Test
    void cycle_eventFeedFailingWhenReadForItsServices_keepsTheCyclesReport() {
        MutableClock clock = MutableClock.at(T0);
        // With no history yet neither step reads the feed: the check of the services its events name is the
        // cycle's one read, and a feed that fails at that moment, after the cycle has provisioned, must not lose
        // the report.
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build())
                .events(() -> {
                    throw new IllegalStateException("feed unavailable");
                }).build();

        CycleReport report = fleet.cycle();

        assertEquals(List.of(), warnings(report));
        assertEquals(1, report.cycle());
    }

    /**
     * A feed that changes between reads (each read another version, naming another unknown service) is read once
     * a cycle: the predict step, the project step and the check of the services see the same feed, so each cycle
     * warns of the one service its read named.
     */
    @Test
    void cycle_feedChangingBetweenReads_readOnceACycle() {
        MutableClock clock = MutableClock.at(T0);
        int[] reads = {0};
        FleetPredictor fleet = firstCycle(clock, SimulatedCloud.builder().clock(clock).build())
                .events(() -> {
                    reads[0]++;
                    return saleFor("version" + reads[0]);
                }).build();
        recordAWeek(fleet, clock, () -> { });

        for (int cycle = 1; cycle <= 3; cycle++) {
            CycleReport report = fleet.cycle();
            assertTrue(predicted(report).startsWith("predicted:   short_term CPU up to "), predicted(report));
            assertEquals(cycle, reads[0], "reads after cycle " + cycle);
            List<String> w = warnings(report);
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).contains("names service version" + cycle + ","), w.toString());
            clock.advance(Duration.ofMinutes(5));
        }
        fleet.predict();
        assertEquals(4, reads[0], "a step called alone reads the feed itself");
    }
}
