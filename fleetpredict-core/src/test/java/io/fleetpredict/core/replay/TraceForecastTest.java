package io.fleetpredict.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceForecastTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(10);
    private static final int DAY = 144;

    /** A daily cycle with noise at 10-minute steps, multiplied by {@code lift} inside the given windows. */
    private static double[] trace(int days, long seed, List<FleetEvent> lifted, double lift) {
        Random random = new Random(seed);
        double[] v = new double[days * DAY];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + 600 * Math.sin(2 * Math.PI * i / DAY) + 40 * random.nextGaussian();
            Instant t = T0.plus(STEP.multipliedBy(i));
            for (FleetEvent e : lifted) {
                if (!t.isBefore(e.start()) && t.isBefore(e.end())) {
                    v[i] *= lift;
                }
            }
        }
        return v;
    }

    private static FleetEvent news(String id, Instant start, Duration length, Double declared) {
        return new FleetEvent(id, EventType.NEWS, id, start, start.plus(length), List.of(),
                declared == null ? null : new ExpectedImpact(declared, null, null, null));
    }

    /** The view a policy would have at the start of step {@code s}. */
    private static FleetView viewAt(double[] demand, int s) {
        return new FleetView() {
            @Override
            public int step() {
                return s;
            }

            @Override
            public Instant time() {
                return T0.plus(STEP.multipliedBy(s));
            }

            @Override
            public double demand(int index) {
                if (index < 0 || index >= s) {
                    throw new IllegalArgumentException("index " + index + " is not before " + s);
                }
                return demand[index];
            }

            @Override
            public int ready() {
                return 0;
            }

            @Override
            public int active() {
                return 0;
            }
        };
    }

    private static ReplayContext context(int warmUp, int steps, Object run) {
        return new ReplayContext(T0, STEP, 100, Duration.ofMinutes(5), warmUp, steps, run);
    }

    @Test
    void firstOccurrence_declaredMultiplierOnlyInsideTheWidenedWindow() {
        Instant start = T0.plus(Duration.ofHours(5 * 24 + 12));
        FleetEvent e = news("launch", start, Duration.ofHours(2), 2.0);
        double[] demand = trace(7, 3, List.of(), 1);
        int warmUp = 4 * DAY;
        TraceForecast.Track plain = TraceForecast.builder().build().track(context(warmUp, demand.length, new Object()));
        TraceForecast.Track evented = TraceForecast.builder().events(List.of(e)).build()
                .track(context(warmUp, demand.length, new Object()));
        // 10-minute buckets; the window [12:00, 14:00) widened by 15 minutes touches buckets 11:40 .. 14:10.
        int first = 5 * DAY + 11 * 6 + 4;
        int last = 5 * DAY + 14 * 6 + 1;
        int qi = TraceForecast.quantileIndex(0.95);
        int checked = 0;
        for (int origin = warmUp; origin <= first; origin++) {
            FleetView view = viewAt(demand, origin);
            for (int h = 0; h < plain.horizon; h++) {
                int b = origin + h;
                boolean inside = b >= first && b <= last;
                assertEquals(inside, evented.inEvent(b), "bucket " + b);
                double expected = (inside ? 2 : 1) * plain.quantile(view, origin, h, qi);
                assertEquals(expected, evented.quantile(view, origin, h, qi), 1e-9 * expected, "origin " + origin + " h " + h);
                checked += inside ? 1 : 0;
            }
        }
        assertTrue(checked > 0, "no forecast reached into the window");
    }

    @Test
    void recurringEvents_learnedFromEarlierOccurrences_fewerViolations() {
        // A 2-hour event every 29 hours (so not part of the daily cycle) triples demand; nothing is declared.
        List<FleetEvent> schedule = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            schedule.add(news("e" + k, T0.plus(Duration.ofHours(20 + 29L * k)), Duration.ofHours(2), null));
        }
        double[] demand = trace(14, 5, schedule, 3);
        Replay r = Replay.builder().trace(TimeSeries.of(T0, STEP, demand)).perInstance(100)
                .bootTime(Duration.ofMinutes(5)).pricePerHour(1).warmUp(Duration.ofDays(4)).build();
        Scores without = r.run(Policies.predictive(TraceForecast.builder().build(), 0.95, 0)).scores();
        Scores with = r.run(Policies.predictive(TraceForecast.builder().events(schedule).build(), 0.95, 0)).scores();
        // The first occurrence has nothing to learn from (120 minutes short); the later ones are covered.
        assertTrue(with.unservedShare() < 0.1 * without.unservedShare(), with + " against " + without);
        assertTrue(with.violationMinutes() < without.violationMinutes(), with + " against " + without);
    }

    @Test
    void learnedMultiplier_usesOnlyBucketsBeforeTheOrigin() {
        List<FleetEvent> schedule = List.of(news("a", T0.plus(Duration.ofHours(4 * 24 + 20)), Duration.ofHours(2), null),
                news("b", T0.plus(Duration.ofHours(5 * 24 + 20)), Duration.ofHours(2), null));
        double[] truth = trace(7, 9, schedule, 3);
        double[] poisoned = truth.clone();
        int cut = 5 * DAY + 20 * 6 + 3; // inside the second event
        for (int i = cut; i < poisoned.length; i++) {
            poisoned[i] = 1e7;
        }
        TraceForecast forecast = TraceForecast.builder().events(schedule).build();
        TraceForecast.Track a = forecast.track(context(4 * DAY, truth.length, new Object()));
        TraceForecast.Track b = forecast.track(context(4 * DAY, truth.length, new Object()));
        for (int origin = 4 * DAY; origin <= cut; origin++) {
            for (int h = 0; h < a.horizon; h++) {
                for (int qi = 0; qi < TraceForecast.QUANTILES.length; qi++) {
                    assertEquals(a.quantile(viewAt(truth, origin), origin, h, qi),
                            b.quantile(viewAt(poisoned, origin), origin, h, qi), 0, "origin " + origin);
                }
            }
        }
        assertFalse(a.quantile(viewAt(truth, cut + 2), cut + 2, 0, 3) == b.quantile(viewAt(poisoned, cut + 2), cut + 2, 0, 3));
    }

    @Test
    void worldCupSchedule_parsesAs64MatchesBetween10JuneAnd12July() throws IOException {
        Path file = Path.of("..", "docs", "examples", "worldcup98-matches.json");
        EventFeed feed = Documents.read(Files.readString(file), EventFeed.class);
        assertEquals(64, feed.events().size());
        Instant opening = LocalDate.of(1998, 6, 10).atTime(15, 30).toInstant(ZoneOffset.UTC);
        Instant finalKickOff = LocalDate.of(1998, 7, 12).atTime(19, 0).toInstant(ZoneOffset.UTC);
        assertEquals(opening, feed.events().get(0).start(), "Brazil v Scotland, 17:30 in France (UTC+2)");
        assertEquals(finalKickOff, feed.events().get(63).start(), "the final, 21:00 in France (UTC+2)");
        for (FleetEvent e : feed.events()) {
            assertTrue(e.wholeFleet(), e.id());
            assertEquals(EventType.NEWS, e.type(), e.id());
            assertFalse(e.start().isBefore(opening) || e.start().isAfter(finalKickOff), e.id());
        }
    }
}
