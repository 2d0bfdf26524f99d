package io.fleetpredict.cli;

import io.fleetpredict.forecast.TimeSeries;

/**
 * One series of the M4 competition data: its training part and the hold-out that follows it.
 *
 * @param id the series id, such as {@code "H1"}
 * @param train the training values
 * @param test the hold-out values, starting at {@code train.end()}
 */
record M4Series(String id, TimeSeries train, TimeSeries test) {

    /** Checks that the hold-out continues the training part. */
    M4Series {
        if (id == null || train == null || test == null) {
            throw new NullPointerException("id, train and test are required");
        }
        if (!test.start().equals(train.end()) || !test.step().equals(train.step())) {
            throw new IllegalArgumentException("test of " + id + " does not continue its training series");
        }
    }
}
