package io.fleetpredict.core.projection;

import java.util.Arrays;

/** A solver's answer to a {@link CoverProblem}: counts per column, or none. */
final class CoverSolution {

    /** How far the solver got. */
    enum Status {
        /** Proven cheapest. */
        OPTIMAL,
        /** Feasible, not proven cheapest. */
        FEASIBLE,
        /** No feasible integer plan exists (or none was found). */
        INFEASIBLE
    }

    private final int[] counts;
    private final double cost;
    private final Status status;

    private CoverSolution(int[] counts, double cost, Status status) {
        this.counts = counts;
        this.cost = cost;
        this.status = status;
    }

    static CoverSolution of(int[] counts, double cost, Status status) {
        return new CoverSolution(counts.clone(), cost, status);
    }

    static CoverSolution infeasible() {
        return new CoverSolution(new int[0], Double.POSITIVE_INFINITY, Status.INFEASIBLE);
    }

    int[] counts() {
        return counts.clone();
    }

    double cost() {
        return cost;
    }

    Status status() {
        return status;
    }

    @Override
    public String toString() {
        return status + " " + Arrays.toString(counts) + " cost " + cost;
    }
}
