package io.fleetpredict.core.projection;

/** Chooses integer instance counts for one service's {@link CoverProblem}. */
interface CapacitySolver {

    /**
     * Solves the program.
     *
     * @param problem the program; its need may be zero
     * @return feasible counts and their cost, or an infeasible answer; never an exception for infeasibility
     */
    CoverSolution solve(CoverProblem problem);

    /**
     * Returns the method to report for this solver's plans.
     *
     * @return the method
     */
    SolverMethod method();
}
