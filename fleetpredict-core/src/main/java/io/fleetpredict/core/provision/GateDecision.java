package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.ProvisionalChange;
import java.util.List;
import java.util.Objects;

/** What the cost gate decided about a plan: a value, never an exception. */
public sealed interface GateDecision {

    /**
     * The estimated cost per hour of every proposed change.
     *
     * @return the cost per hour
     */
    double costPerHour();

    /**
     * The estimated cost of every proposed change over one scheduler cycle.
     *
     * @return the cost per cycle
     */
    double costPerCycle();

    /**
     * The changes that may be provisioned, most important first.
     *
     * @return the approved changes
     */
    List<ProvisionalChange> approved();

    /**
     * The plan costs no more than the thresholds: every proposed change is approved.
     *
     * @param costPerHour the cost per hour
     * @param costPerCycle the cost per cycle
     * @param approved the proposed changes, most important first
     */
    record UnderThreshold(double costPerHour, double costPerCycle, List<ProvisionalChange> approved)
            implements GateDecision {
        /** Copies. */
        public UnderThreshold {
            approved = List.copyOf(approved);
        }
    }

    /**
     * The plan costs more than a threshold: only the most important costing changes that fit are
     * approved (stopping at the first that does not, so no less important change goes ahead of a more
     * important one), scale-ins always (they save money), and the recommendations say how to fit the rest.
     *
     * @param costPerHour the cost per hour of every proposed change
     * @param costPerCycle the cost per cycle of every proposed change
     * @param maxCostPerHour the threshold per hour
     * @param maxCostPerCycle the threshold per cycle
     * @param approved the changes that fit and every scale-in, most important first
     * @param refused the changes held back
     * @param recommendations ranked ways to bring the plan under the threshold
     */
    record OverThreshold(double costPerHour, double costPerCycle, double maxCostPerHour, double maxCostPerCycle,
            List<ProvisionalChange> approved, List<ProvisionalChange> refused, List<Recommendation> recommendations)
            implements GateDecision {
        /** Copies. */
        public OverThreshold {
            approved = List.copyOf(approved);
            refused = List.copyOf(Objects.requireNonNull(refused, "refused"));
            recommendations = List.copyOf(recommendations);
        }

        /**
         * The hourly cost above the threshold.
         *
         * @return the excess per hour, not negative
         */
        public double excessPerHour() {
            return Math.max(0, costPerHour - maxCostPerHour);
        }
    }
}
