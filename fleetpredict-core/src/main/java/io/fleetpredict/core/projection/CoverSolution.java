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
    private final double lowerBound;
    private final Status status;

    private CoverSolution(int[] counts, double cost, double lowerBound, Status status) {
        this.counts = counts;
        this.cost = cost;
        this.lowerBound = lowerBound;
        this.status = status;
    }

    /** A solution with nothing proven about how far it is from the optimum (a lower bound of zero). */
    static CoverSolution of(int[] counts, double cost, Status status) {
        return of(counts, cost, status == Status.OPTIMAL ? cost : 0, status);
    }

    /**
     * A solution with a proven lower bound on the optimum.
     *
     * @param lowerBound no plan for the program costs less; at most {@code cost}
     */
    static CoverSolution of(int[] counts, double cost, double lowerBound, Status status) {
        return new CoverSolution(counts.clone(), cost, Math.min(lowerBound, cost), status);
    }

    static CoverSolution infeasible() {
        return new CoverSolution(new int[0], Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Status.INFEASIBLE);
    }

    /** The same counts with a lower bound found by other means, if it is better. */
    CoverSolution withLowerBound(double bound) {
        return bound > lowerBound ? new CoverSolution(counts, cost, Math.min(bound, cost), status) : this;
    }

    int[] counts() {
        return counts.clone();
    }

    double cost() {
        return cost;
    }

    /** No plan for the program costs less than this; equal to the cost when proven optimal. */
    double lowerBound() {
        return lowerBound;
    }

    Status status() {
        return status;
    }

    @Override
    public String toString() {
        return status + " " + Arrays.toString(counts) + " cost " + cost + " bound " + lowerBound;
    }
}
