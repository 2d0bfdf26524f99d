package io.fleetpredict.core.projection;

/** The method that produced a service's capacity plan. */
public enum SolverMethod {
    /** Nothing had to be bought: idle existing capacity covered the demand. */
    EXISTING_ONLY,
    /** Integer programming by branch and bound over linear-programming relaxations. */
    BRANCH_AND_BOUND,
    /** Greedy covering followed by local improvement; fast, not proven optimal. */
    GREEDY_COVER
}
