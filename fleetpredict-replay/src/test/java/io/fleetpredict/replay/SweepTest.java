package io.fleetpredict.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sweep's hindsight choices, checked against brute force over seeded points. */
class SweepTest {

    private static Sweep.Point point(String family, double value, double cost, double violationShare) {
        Scores s = new Scores(cost, violationShare * 1000, violationShare, violationShare / 10, 0.5, 0, cost);
        return new Sweep.Point(family, "knob", value,
                new ReplayResult(family, s, Instant.EPOCH, Duration.ofMinutes(1), new double[0], new int[0]));
    }

    @Test
    void cheapest_takesTheCheapestWithinTheBudget_andNothingWhenNoneKeepsWithin() {
        Sweep sweep = Sweep.of(List.of(point("reactive", 0.5, 30, 0.0005), point("reactive", 0.7, 20, 0.001),
                point("reactive", 0.9, 10, 0.02), point("static", 1, 5, 0.5)));
        assertEquals(0.7, sweep.cheapest("reactive", 0.001).orElseThrow().value(), "the budget is inclusive");
        assertEquals(0.5, sweep.cheapest("reactive", 0.0009).orElseThrow().value());
        assertEquals(0.9, sweep.cheapest("reactive", 1).orElseThrow().value());
        assertEquals(Optional.empty(), sweep.cheapest("reactive", 0.0001));
        assertEquals(Optional.empty(), sweep.cheapest("static", 0.1));
        assertEquals(Optional.empty(), sweep.cheapest("unknown", 1));
        assertEquals(List.of("reactive", "static"), sweep.families());
    }

    @Test
    void oversizedSettings_reportedButNeverChosenNorOnTheFrontier() {
        Sweep.Oversized huge = new Sweep.Oversized("static", "headroom", 200,
                new OversizedFleet("static(p99,headroom=200)", 1008, Instant.EPOCH, 4.02e9));
        Sweep sweep = Sweep.of(List.of(point("static", 0.5, 30, 0.01), point("static", 1, 40, 0)), List.of(huge,
                new Sweep.Oversized("reactive", "target", 0.3,
                        new OversizedFleet("reactive(target=0.3)", 1009, Instant.EPOCH, 3.4e9))));
        assertEquals(List.of(huge), sweep.oversized().subList(0, 1));
        assertEquals(List.of("static", "reactive"), sweep.families(), "a family swept at oversized settings alone");
        assertEquals(1, sweep.cheapest("static", 0).orElseThrow().value());
        assertEquals(Optional.empty(), sweep.cheapest("reactive", 1));
        assertEquals(List.of(1.0, 0.5), sweep.frontier("static").stream().map(Sweep.Point::value).toList());
        assertEquals(List.of(), sweep.frontier("reactive"));
    }

    @Test
    void cheapest_ofTwoEquallyCheap_isTheOneGivenFirst_andPointsKeepTheirOrder() {
        List<Sweep.Point> points = List.of(point("reactive", 0.9, 10, 0.02), point("reactive", 0.5, 10, 0.001),
                point("reactive", 0.7, 10, 0));
        Sweep sweep = Sweep.of(points);
        assertEquals(0.9, sweep.cheapest("reactive", 0.05).orElseThrow().value());
        assertEquals(0.5, sweep.cheapest("reactive", 0.001).orElseThrow().value());
        assertEquals(points, sweep.points());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void cheapestAndFrontier_agreeWithBruteForce(long seed) {
        Random rng = new Random(seed);
        List<Sweep.Point> points = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Rounded so that ties in cost and in violations happen.
            points.add(point(rng.nextBoolean() ? "a" : "b", i, Math.round(rng.nextDouble() * 20),
                    Math.round(rng.nextDouble() * 10) / 1000.0));
        }
        Sweep sweep = Sweep.of(points);
        for (String family : List.of("a", "b")) {
            for (double budget : new double[] {0, 0.002, 0.005, 0.01}) {
                double best = points.stream().filter(p -> p.family().equals(family) && p.violationShare() <= budget)
                        .mapToDouble(Sweep.Point::cost).min().orElse(Double.NaN);
                Optional<Sweep.Point> chosen = sweep.cheapest(family, budget);
                assertEquals(Double.isNaN(best), chosen.isEmpty());
                chosen.ifPresent(p -> assertEquals(best, p.cost()));
            }
            List<Sweep.Point> frontier = sweep.frontier(family);
            for (Sweep.Point p : points) {
                if (!p.family().equals(family)) {
                    continue;
                }
                boolean dominated = points.stream().anyMatch(q -> q.family().equals(family)
                        && q.cost() <= p.cost() && q.violationShare() <= p.violationShare()
                        && (q.cost() < p.cost() || q.violationShare() < p.violationShare()));
                boolean onIt = frontier.contains(p);
                if (onIt) {
                    assertFalse(dominated, "a dominated point is on the frontier: " + p);
                } else if (!dominated) {
                    // Not dominated yet left out: only an exact twin on both scores may stand for it.
                    assertTrue(frontier.stream().anyMatch(q -> q.cost() == p.cost()
                            && q.violationShare() == p.violationShare()), "a frontier point is missing: " + p);
                }
            }
            for (int i = 1; i < frontier.size(); i++) {
                assertTrue(frontier.get(i).violationShare() > frontier.get(i - 1).violationShare());
                assertTrue(frontier.get(i).cost() < frontier.get(i - 1).cost());
            }
        }
    }
}
