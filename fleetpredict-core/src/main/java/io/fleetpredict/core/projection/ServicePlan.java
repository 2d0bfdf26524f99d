package io.fleetpredict.core.projection;

import java.util.List;
import java.util.Locale;

/** The outcome of planning one service: a plan, or the reason there is none. */
public sealed interface ServicePlan permits ServicePlan.Planned, ServicePlan.Infeasible {

    /**
     * Returns the service the outcome is for.
     *
     * @return the service name
     */
    String service();

    /**
     * A plan that covers the service's demand within its limits.
     *
     * @param service the service name
     * @param lines what to reuse and what to buy; empty if nothing is needed
     * @param expectedCostPerHour the sum of the lines' expected costs per hour
     * @param method the method that chose the purchases
     * @param provenOptimal true if no cheaper purchase set exists for the demand left after reuse
     *     (within a relative tolerance of 1e-9); false for the greedy method, or when branch and bound
     *     stopped at its node limit, time limit or a wider relative gap before proving it
     * @param provenGap how much cheaper, at most, a plan with the same reuse could be, as a fraction of
     *     this plan's cost: {@code (cost - lower bound) / cost}, where the lower bound is the reused cost
     *     plus a proven bound on the purchases (from the search's open nodes, or the linear relaxation).
     *     0 when proven optimal or when the plan costs nothing; in [0, 1]
     */
    record Planned(String service, List<PlanLine> lines, double expectedCostPerHour, SolverMethod method,
            boolean provenOptimal, double provenGap) implements ServicePlan {

        /**
         * Validates the plan and copies the lines.
         *
         * @throws IllegalArgumentException if the cost is negative or not finite, or the gap is outside [0, 1]
         */
        public Planned {
            if (service == null) {
                throw new NullPointerException("service");
            }
            if (method == null) {
                throw new NullPointerException("method");
            }
            lines = List.copyOf(lines);
            if (!Double.isFinite(expectedCostPerHour) || expectedCostPerHour < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "expectedCostPerHour of %s must be finite and >= 0, was %s", service, expectedCostPerHour));
            }
            if (!(provenGap >= 0 && provenGap <= 1)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "provenGap of %s must be in [0, 1], was %s", service, provenGap));
            }
        }

        /**
         * Creates a plan with nothing proven beyond optimality: a gap of 0 if proven optimal, else 1 (the
         * trivial lower bound of zero).
         *
         * @param service the service name
         * @param lines what to reuse and what to buy
         * @param expectedCostPerHour the sum of the lines' expected costs per hour
         * @param method the method that chose the purchases
         * @param provenOptimal true if no cheaper purchase set exists
         */
        public Planned(String service, List<PlanLine> lines, double expectedCostPerHour, SolverMethod method,
                boolean provenOptimal) {
            this(service, lines, expectedCostPerHour, method, provenOptimal,
                    provenOptimal || expectedCostPerHour == 0 ? 0 : 1);
        }

        /**
         * Returns the total capacity of all lines.
         *
         * @return the capacity the plan provides
         */
        public ResourceVector provided() {
            ResourceVector sum = ResourceVector.ZERO;
            for (PlanLine line : lines) {
                sum = sum.plus(line.capacity());
            }
            return sum;
        }

        /**
         * Returns what the lines are billed per hour together: their prices, without the interruption penalty
         * the solver ranks spot offers by (see {@link PlanLine#pricePerHour()}).
         *
         * @return the sum of the lines' prices per hour
         */
        public double pricePerHour() {
            double sum = 0;
            for (PlanLine line : lines) {
                sum += line.pricePerHour();
            }
            return sum;
        }
    }

    /**
     * No plan satisfies the service's demand and limits.
     *
     * @param service the service name
     * @param reason the kind of contradiction
     * @param detail a sentence naming what was missing or contradictory
     */
    record Infeasible(String service, InfeasibilityReason reason, String detail) implements ServicePlan {

        /**
         * Validates the outcome.
         *
         * @throws NullPointerException if a component is null
         */
        public Infeasible {
            if (service == null) {
                throw new NullPointerException("service");
            }
            if (reason == null) {
                throw new NullPointerException("reason");
            }
            if (detail == null) {
                throw new NullPointerException("detail");
            }
        }
    }
}
