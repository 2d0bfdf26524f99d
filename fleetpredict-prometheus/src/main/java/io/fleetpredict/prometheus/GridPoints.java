package io.fleetpredict.prometheus;

import java.util.Arrays;

/**
 * The points of a range query by their index on its grid. Storage grows with the points received, never
 * with the range asked for: a long range with few points costs little until a caller asks for the whole
 * grid with {@link #dense()}.
 */
final class GridPoints {

    private final int count;
    private int[] indexes = new int[16];
    private double[] values = new double[16];
    private int size;

    /** @param count the number of grid times in the range */
    GridPoints(int count) {
        this.count = count;
    }

    void add(int index, double value) {
        if (size == indexes.length) {
            int capacity = indexes.length * 2;
            indexes = Arrays.copyOf(indexes, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        indexes[size] = index;
        values[size] = value;
        size++;
    }

    /**
     * Puts the points added since {@code from} in index order (a server may send them out of order).
     *
     * @return an index held twice, or -1 if there is none
     */
    int order(int from) {
        boolean ordered = true;
        for (int i = from + 1; i < size && ordered; i++) {
            ordered = indexes[i - 1] < indexes[i];
        }
        if (ordered) {
            return -1;
        }
        // each key is the grid index above the arrival position, so one primitive sort orders both
        long[] keys = new long[size - from];
        for (int i = from; i < size; i++) {
            keys[i - from] = (long) indexes[i] << 32 | (i - from);
        }
        Arrays.sort(keys);
        double[] arrived = Arrays.copyOfRange(values, from, size);
        for (int k = 0; k < keys.length; k++) {
            indexes[from + k] = (int) (keys[k] >>> 32);
            values[from + k] = arrived[(int) keys[k]];
        }
        for (int i = from + 1; i < size; i++) {
            if (indexes[i - 1] == indexes[i]) {
                return indexes[i];
            }
        }
        return -1;
    }

    /** Drops the points added after the first {@code size}, as when an answer gives a series' values again. */
    void truncate(int size) {
        this.size = Math.min(this.size, size);
    }

    int size() {
        return size;
    }

    int index(int i) {
        return indexes[i];
    }

    double value(int i) {
        return values[i];
    }

    /** @return the grid index of the first point holding a number, or -1 if none does */
    int firstNumber() {
        int first = -1;
        for (int i = 0; i < size; i++) {
            if (!Double.isNaN(values[i]) && (first < 0 || indexes[i] < first)) {
                first = indexes[i];
            }
        }
        return first;
    }

    /** @return the grid index of the last point holding a number, or -1 if none does */
    int lastNumber() {
        int last = -1;
        for (int i = 0; i < size; i++) {
            if (!Double.isNaN(values[i]) && indexes[i] > last) {
                last = indexes[i];
            }
        }
        return last;
    }

    /** @return the whole grid, {@code NaN} where no point holds a number */
    double[] dense() {
        double[] grid = new double[count];
        Arrays.fill(grid, Double.NaN);
        for (int i = 0; i < size; i++) {
            grid[indexes[i]] = values[i];
        }
        return grid;
    }
}
