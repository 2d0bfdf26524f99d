package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The points of a range by their grid index: put in order per page as a server may send them out of order,
 * a time given twice found, and the whole grid with {@code NaN} where no point holds a number.
 */
class GridPointsTest {

    static GridPoints of(int count, double... indexValuePairs) {
        GridPoints g = new GridPoints(count);
        for (int i = 0; i < indexValuePairs.length; i += 2) {
            g.add((int) indexValuePairs[i], indexValuePairs[i + 1]);
        }
        return g;
    }

    static String listed(GridPoints g) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.size(); i++) {
            b.append(i == 0 ? "" : " ").append(g.index(i)).append('=').append(g.value(i));
        }
        return b.toString();
    }

    @Test
    void dense_isNaNWhereNoPointIs() {
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 5, Double.NaN}, of(4, 2, 5).dense());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, of(2).dense());
        assertArrayEquals(new double[] {1, Double.NaN, 3}, of(3, 0, 1, 2, 3).dense());
    }

    @Test
    void firstAndLastNumber_areNoneWithoutPoints_orWithOnlyNaN() {
        assertEquals(-1, of(3).firstNumber());
        assertEquals(-1, of(3).lastNumber());
        assertEquals(-1, of(3, 0, Double.NaN, 1, Double.NaN).firstNumber());
        assertEquals(-1, of(3, 0, Double.NaN, 1, Double.NaN).lastNumber());
    }

    @Test
    void firstAndLastNumber_skipNaN_whateverTheOrderOfArrival() {
        GridPoints g = of(9, 6, 4, 1, Double.NaN, 7, Double.NaN, 2, 1, 5, Double.NaN);
        assertEquals(2, g.firstNumber());
        assertEquals(6, g.lastNumber());
    }

    @Test
    void order_pointsInOrder_areLeft_andNoneIsTwice() {
        GridPoints g = of(4, 0, 10, 1, 11, 3, 13);
        assertEquals(-1, g.order(0));
        assertEquals("0=10.0 1=11.0 3=13.0", listed(g));
    }

    @Test
    void order_pointsOutOfOrder_areSortedWithTheirValues_andNoneIsTwice() {
        GridPoints g = of(4, 2, 12, 0, 10, 3, 13, 1, 11);
        assertEquals(-1, g.order(0));
        assertEquals("0=10.0 1=11.0 2=12.0 3=13.0", listed(g));
    }

    @Test
    void order_timeGivenTwice_isFound_inOrderOrNot() {
        assertEquals(1, of(3, 0, 10, 1, 11, 1, 12).order(0));
        assertEquals(2, of(3, 2, 12, 0, 10, 2, 13).order(0));
    }

    @Test
    void order_ofALaterPage_ordersOnlyThatPage() {
        GridPoints g = of(6, 1, 11, 0, 10);   // a first page, left as it came
        g.add(4, 14);
        g.add(2, 12);
        g.add(3, 13);
        assertEquals(-1, g.order(2));
        assertEquals("1=11.0 0=10.0 2=12.0 3=13.0 4=14.0", listed(g));
    }

    @Test
    void order_afterTruncate_ignoresThePointsDropped() {
        GridPoints g = of(4, 3, 13, 2, 12, 3, 14);
        g.truncate(2);
        assertEquals(-1, g.order(0));
        assertEquals("2=12.0 3=13.0", listed(g));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 12, 13}, g.dense());
    }

    @Test
    void add_beyondTheFirstCapacity_keepsEveryPoint() {
        GridPoints g = new GridPoints(100);
        for (int i = 99; i >= 0; i--) {
            g.add(i, i / 2.0);
        }
        assertEquals(100, g.size());
        assertEquals(-1, g.order(0));
        double[] dense = g.dense();
        for (int i = 0; i < 100; i++) {
            assertEquals(i / 2.0, dense[i], 0.0);
        }
    }
}
