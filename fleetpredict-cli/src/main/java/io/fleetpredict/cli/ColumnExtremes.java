package io.fleetpredict.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of a scatter chart reduced to what a picture of them can show: of the points that fall in one pixel
 * column, the lowest and the highest, each with the series it belongs to (the min and max downsampling of line
 * charts, so a spike or a dip is never averaged away). A million actuals scored against the same predictions
 * draw as at most two points per column.
 *
 * <p>The x axis's range is only known once every point is in (it spans the y values too, for a diagonal), so
 * points are first kept per distinct x: the lowest and the highest y at it. That is what the reduction needs, and
 * it takes memory for the distinct x values, not for the points: in {@code accuracy} an x is a predicted quantity,
 * so at most one per requirement of the predicted fleet states, which are in memory already.
 */
final class ColumnExtremes {

    /** A point kept: where it is drawn and whose it is. */
    record Point(String series, double x, double y) {}

    /**
     * The lowest and highest point at one x; a point alone at its x is both, and of points at one height the first
     * added.
     */
    private static final class AtX {
        Point low;
        Point high;

        AtX(Point p) {
            low = p;
            high = p;
        }

        void add(Point p) {
            if (p.y() < low.y()) {
                low = p;
            }
            if (p.y() > high.y()) {
                high = p;
            }
        }
    }

    private final Map<Double, AtX> byX = new HashMap<>();
    private long count;
    private double low = Double.POSITIVE_INFINITY;
    private double high = Double.NEGATIVE_INFINITY;

    /** Adds a point of {@code series}; both coordinates are finite. */
    void add(String series, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
            throw new IllegalArgumentException("a point to draw is finite, was " + x + ", " + y);
        }
        Point p = new Point(series, x, y);
        // -0.0 and 0.0 are one place on the axis.
        AtX at = byX.get(x + 0.0);
        if (at == null) {
            byX.put(x + 0.0, new AtX(p));
        } else {
            at.add(p);
        }
        count++;
        low = Math.min(low, Math.min(x, y));
        high = Math.max(high, Math.max(x, y));
    }

    /** How many points were added. */
    long count() {
        return count;
    }

    /** How many distinct x values are held: the memory taken, whatever {@link #count()} is. */
    int distinctX() {
        return byX.size();
    }

    /** The smallest x or y added, or +infinity when none was. */
    double low() {
        return low;
    }

    /** The largest x or y added, or -infinity when none was. */
    double high() {
        return high;
    }

    /**
     * The points to draw on an x axis from {@code x0} to {@code x1} of {@code columns} pixel columns: in each column,
     * the lowest point and the highest (one when every point of the column is at one height), ordered by x, then y. A
     * point outside the axis is drawn in the nearest column, as the chart draws it at the axis's edge.
     */
    List<Point> reduce(double x0, double x1, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns: must be at least 1, was " + columns);
        }
        Point[] lows = new Point[columns];
        Point[] highs = new Point[columns];
        double width = x1 - x0;
        for (AtX at : byX.values()) {
            double x = at.low.x();
            int c = width > 0 ? (int) Math.floor((x - x0) / width * columns) : 0;
            c = Math.max(0, Math.min(columns - 1, c));
            if (lows[c] == null || at.low.y() < lows[c].y()) {
                lows[c] = at.low;
            }
            if (highs[c] == null || at.high.y() > highs[c].y()) {
                highs[c] = at.high;
            }
        }
        List<Point> kept = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (lows[c] != null) {
                kept.add(lows[c]);
                if (!highs[c].equals(lows[c])) {
                    kept.add(highs[c]);
                }
            }
        }
        kept.sort(Comparator.comparingDouble(Point::x).thenComparingDouble(Point::y));
        return kept;
    }
}
