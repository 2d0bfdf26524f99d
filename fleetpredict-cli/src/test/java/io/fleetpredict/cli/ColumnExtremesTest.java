package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A scatter chart's points reduced to the lowest and the highest of each pixel column. */
class ColumnExtremesTest {

    private static final int COLUMNS = SvgChart.PLOT_COLUMNS;

    private static int column(double x, double x0, double x1) {
        return Math.max(0, Math.min(COLUMNS - 1, (int) Math.floor((x - x0) / (x1 - x0) * COLUMNS)));
    }

    /**
     * Two million points of 20 series at 10,000 distinct x values, with a spike and a dip planted: at most two
     * points per column are kept, they are each column's lowest and highest (found here by brute force), the
     * spike and the dip among them, and the memory held is one entry per distinct x.
     */
    @Test
    void reduce_manyPoints_keepsEachColumnsLowestAndHighestAndNoMore() {
        ColumnExtremes points = new ColumnExtremes();
        SplittableRandom random = new SplittableRandom(42);
        double[] lowest = new double[COLUMNS];
        double[] highest = new double[COLUMNS];
        java.util.Arrays.fill(lowest, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(highest, Double.NEGATIVE_INFINITY);
        double x0 = 0;
        double x1 = 1_000;
        int n = 2_000_000;
        for (int i = 0; i < n; i++) {
            double x = random.nextInt(10_000) * 0.1 + 0.05;
            double y = x * (0.8 + 0.4 * random.nextDouble());
            if (i == 1_234_567) {
                y = 20_000;
            } else if (i == 765_432) {
                y = 0;
            }
            String series = i == 1_234_567 ? "spike" : i == 765_432 ? "dip" : "s" + random.nextInt(20);
            points.add(series, x, y);
            int c = column(x, x0, x1);
            lowest[c] = Math.min(lowest[c], y);
            highest[c] = Math.max(highest[c], y);
        }

        List<ColumnExtremes.Point> kept = points.reduce(x0, x1, COLUMNS);

        assertEquals(n, points.count());
        assertEquals(10_000, points.distinctX());
        assertTrue(kept.size() <= 2 * COLUMNS, kept.size() + " points kept");
        for (int c = 0; c < COLUMNS; c++) {
            int col = c;
            List<Double> ys = kept.stream().filter(p -> column(p.x(), x0, x1) == col).map(ColumnExtremes.Point::y)
                    .toList();
            if (Double.isInfinite(lowest[c])) {
                assertTrue(ys.isEmpty(), "column " + c);
            } else {
                assertEquals(lowest[c], ys.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), "column " + c);
                assertEquals(highest[c], ys.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), "column " + c);
                assertTrue(ys.size() <= 2, "column " + c + ": " + ys);
            }
        }
        assertEquals(1, kept.stream().filter(p -> p.series().equals("spike") && p.y() == 20_000).count());
        assertEquals(1, kept.stream().filter(p -> p.series().equals("dip") && p.y() == 0).count());
        assertEquals(0, points.low());
        assertEquals(20_000, points.high());
    }

    @Test
    void reduce_pointsEachAloneInTheirColumn_keepsThemAll() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 1, 5);
        points.add("b", 500, 2);
        points.add("a", 999, 7);

        assertEquals(List.of(new ColumnExtremes.Point("a", 1, 5), new ColumnExtremes.Point("b", 500, 2),
                new ColumnExtremes.Point("a", 999, 7)), points.reduce(0, 1000, COLUMNS));
    }

    /** The same actual twice at the same prediction is one point, not two on top of each other. */
    @Test
    void reduce_repeatedPoint_keptOnce() {
        ColumnExtremes points = new ColumnExtremes();
        for (int i = 0; i < 1000; i++) {
            points.add("a", 3, 4);
        }

        assertEquals(List.of(new ColumnExtremes.Point("a", 3, 4)), points.reduce(0, 10, COLUMNS));
        assertEquals(1000, points.count());
    }

    /** -0.0 and 0.0 are one x, in whichever order they come: one entry, its lowest and highest points both kept. */
    @Test
    void add_negativeAndPositiveZero_areOnePlace() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", -0.0, 1);
        points.add("b", 0.0, 5);
        points.add("c", -0.0, 3);

        assertEquals(1, points.distinctX());
        assertEquals(List.of(1.0, 5.0), points.reduce(0, 10, COLUMNS).stream().map(ColumnExtremes.Point::y).toList());
    }

    /** The same actual at the same prediction in two series is drawn once, as the series that added it first. */
    @Test
    void reduce_samePointInTwoSeries_keptOnceAsTheFirst() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 3, 4);
        points.add("b", 3, 4);

        assertEquals(List.of(new ColumnExtremes.Point("a", 3, 4)), points.reduce(0, 10, COLUMNS));
    }

    /** Two points of one column at the same height, at different x: one is drawn, the other would hide under it. */
    @Test
    void reduce_twoPointsOfAColumnAtTheSameHeight_keptOnce() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 10, 5);
        points.add("b", 12, 5);

        List<ColumnExtremes.Point> kept = points.reduce(0, 1000, 10);

        assertEquals(1, kept.size(), kept.toString());
        assertEquals(5, kept.get(0).y());
    }

    /** A column's lowest point to the right of its highest: the points come ordered by x all the same. */
    @Test
    void reduce_lowestRightOfHighest_orderedByX() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 10, 9);
        points.add("b", 20, 1);
        points.add("c", 15, 5);

        assertEquals(List.of(new ColumnExtremes.Point("a", 10, 9), new ColumnExtremes.Point("b", 20, 1)),
                points.reduce(0, 1000, 10));
    }

    /**
     * An axis from 100 to 200 in ten columns of 10: 105 and 125 are in columns 0 and 2, so the point at 125 is kept
     * beside column 0's lowest and highest; a point left of the axis is in its first column, one right of it in its
     * last, as the chart draws them at its edges.
     */
    @Test
    void reduce_axisNotFromZero_placesPointsByTheirOffsetFromItsStart() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 105, 1);
        points.add("a", 105, 9);
        points.add("a", 108, 5);
        points.add("a", 125, 5);
        points.add("b", 50, 0);
        points.add("b", 250, 10);
        points.add("b", 198, 8);

        assertEquals(List.of(new ColumnExtremes.Point("b", 50, 0), new ColumnExtremes.Point("a", 105, 9),
                new ColumnExtremes.Point("a", 125, 5), new ColumnExtremes.Point("b", 198, 8),
                new ColumnExtremes.Point("b", 250, 10)), points.reduce(100, 200, 10));
    }

    @Test
    void reduce_oneColumn_keepsTheLowestAndHighestOfAll_noColumnRefused() {
        ColumnExtremes points = new ColumnExtremes();
        points.add("a", 1, 5);
        points.add("b", 500, 2);
        points.add("a", 999, 7);

        assertEquals(List.of(new ColumnExtremes.Point("b", 500, 2), new ColumnExtremes.Point("a", 999, 7)),
                points.reduce(0, 1000, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> points.reduce(0, 1000, 0));
        assertEquals("columns: must be at least 1, was 0", e.getMessage());
    }

    @Test
    void add_notFinite_refused() {
        ColumnExtremes points = new ColumnExtremes();

        assertThrows(IllegalArgumentException.class, () -> points.add("a", Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> points.add("a", 1, Double.POSITIVE_INFINITY));
        assertEquals(0, points.count());
    }
}
