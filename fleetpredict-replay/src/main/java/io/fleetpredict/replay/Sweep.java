package io.fleetpredict.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Reference policies replayed at many settings of their knob, and what the sweep shows with hindsight: the
 * cheapest setting of a family that kept violations within a budget, and each family's frontier of cost
 * against violations. The loop chooses one operating point without hindsight; a sweep is what it is held
 * against.
 *
 * <p>A setting whose policy needed more instances than any fleet can have has no scores; it is kept as
 * {@link Oversized}, reported by {@link #oversized()} and left out of {@link #cheapest} and {@link #frontier}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Sweep {

    /**
     * One setting of a policy family and its replay.
     *
     * @param family the family swept, such as {@code reactive}
     * @param knob the name of the setting, such as {@code target}
     * @param value the setting
     * @param result the replay at that setting
     */
    public record Point(String family, String knob, double value, ReplayResult result) {
        /** Checks the parts. */
        public Point {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(knob, "knob");
            Objects.requireNonNull(result, "result");
        }

        /** @return the replay's cost */
        public double cost() {
            return result.scores().cost();
        }

        /** @return the replay's share of time in violation */
        public double violationShare() {
            return result.scores().violationShare();
        }
    }

    /**
     * One setting of a policy family that no fleet can size: at some step its policy needed more than
     * {@link Replay#MAX_INSTANCES} instances, so it has no scores to compare.
     *
     * @param family the family swept, such as {@code static}
     * @param knob the name of the setting, such as {@code headroom}
     * @param value the setting
     * @param fleet the policy, the step and the count it needed
     */
    public record Oversized(String family, String knob, double value, OversizedFleet fleet) {
        /** Checks the parts. */
        public Oversized {
            Objects.requireNonNull(family, "family");
            Objects.requireNonNull(knob, "knob");
            Objects.requireNonNull(fleet, "fleet");
        }
    }

    private final List<Point> points;
    private final List<Oversized> oversized;

    private Sweep(List<Point> points, List<Oversized> oversized) {
        this.points = List.copyOf(points);
        this.oversized = List.copyOf(oversized);
    }

    /**
     * A sweep of these points.
     *
     * @param points the settings replayed, of one family or several
     * @return the sweep
     */
    public static Sweep of(List<Point> points) {
        return of(points, List.of());
    }

    /**
     * A sweep of these points and of the settings no fleet can size.
     *
     * @param points the settings replayed and scored, of one family or several
     * @param oversized the settings whose policy needed more instances than any fleet can have
     * @return the sweep
     */
    public static Sweep of(List<Point> points, List<Oversized> oversized) {
        noNulls(points, "points");
        noNulls(oversized, "oversized");
        return new Sweep(points, oversized);
    }

    private static void noNulls(List<?> list, String name) {
        Objects.requireNonNull(list, name);
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                throw new NullPointerException(name + "[" + i + "]");
            }
        }
    }

    /** @return every scored point, in the order given */
    public List<Point> points() {
        return points;
    }

    /** @return every setting no fleet can size, in the order given */
    public List<Oversized> oversized() {
        return oversized;
    }

    /** @return the families swept, in the order they first appear among the points, then the oversized settings */
    public List<String> families() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        points.forEach(p -> out.add(p.family()));
        oversized.forEach(p -> out.add(p.family()));
        return List.copyOf(out);
    }

    /**
     * The cheapest setting of a family whose share of time in violation stayed at or under a budget; of two
     * equally cheap, the one given first. Settings no fleet can size are never chosen.
     *
     * @param family the family
     * @param maxViolationShare the budget, a share of the scored time in [0, 1]
     * @return the setting, or empty when none of the family's settings kept within the budget
     * @throws IllegalArgumentException if the budget is not in [0, 1]
     */
    public Optional<Point> cheapest(String family, double maxViolationShare) {
        Objects.requireNonNull(family, "family");
        if (!(maxViolationShare >= 0 && maxViolationShare <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "maxViolationShare must be in [0, 1], was %s", maxViolationShare));
        }
        Point best = null;
        for (Point p : points) {
            if (p.family().equals(family) && p.violationShare() <= maxViolationShare
                    && (best == null || p.cost() < best.cost())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * A family's frontier: the settings no other setting of the family beats on both cost and violations,
     * from the fewest violations to the most (each cheaper than every one before it). Settings no fleet can size
     * have no place on it.
     *
     * @param family the family
     * @return the frontier, empty for a family not swept
     */
    public List<Point> frontier(String family) {
        List<Point> sorted = points.stream().filter(p -> p.family().equals(family))
                .sorted(Comparator.comparingDouble(Point::violationShare).thenComparingDouble(Point::cost))
                .toList();
        List<Point> out = new ArrayList<>();
        for (Point p : sorted) {
            if (out.isEmpty() || p.cost() < out.get(out.size() - 1).cost()) {
                out.add(p);
            }
        }
        return out;
    }
}
