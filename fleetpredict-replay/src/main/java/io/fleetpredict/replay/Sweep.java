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

    private final List<Point> points;

    private Sweep(List<Point> points) {
        this.points = List.copyOf(points);
    }

    /**
     * A sweep of these points.
     *
     * @param points the settings replayed, of one family or several
     * @return the sweep
     */
    public static Sweep of(List<Point> points) {
        Objects.requireNonNull(points, "points");
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i) == null) {
                throw new NullPointerException("points[" + i + "]");
            }
        }
        return new Sweep(points);
    }

    /** @return every point, in the order given */
    public List<Point> points() {
        return points;
    }

    /** @return the families swept, in the order they first appear */
    public List<String> families() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        points.forEach(p -> out.add(p.family()));
        return List.copyOf(out);
    }

    /**
     * The cheapest setting of a family whose share of time in violation stayed at or under a budget; of two
     * equally cheap, the one given first.
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
     * from the fewest violations to the most (each cheaper than every one before it).
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
