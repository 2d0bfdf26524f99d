package io.fleetpredict.core.projection;

/** Chooses integer instance counts for one service's {@link CoverProblem}. */
interface CapacitySolver {

    /**
     * Solves the program.
     *
     * @param problem the program; its need may be zero
     * @param deadlineNanos the {@link System#nanoTime()} after which a search should return its best plan
     * @return feasible counts and their cost, or an infeasible answer; never an exception for infeasibility
     */
    CoverSolution solve(CoverProblem problem, long deadlineNanos);

    /**
     * Returns the method to report for this solver's plans.
     *
     * @return the method
     */
    SolverMethod method();
}
