package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.ProvisionalChange;
import java.util.List;
import java.util.Objects;

/** What the cost gate decided about a plan: a value, never an exception. */
public sealed interface GateDecision {

    /**
     * The estimated cost per hour of the proposed changes weighed this cycle: those of every service with a
     * scale-out due before the next cycle, each for the instances it still has to launch.
     *
     * @return the cost per hour
     */
    double costPerHour();

    /**
     * The estimated cost per hour of the changes weighed this cycle, over one scheduler cycle.
     *
     * @return the cost per cycle
     */
    double costPerCycle();

    /**
     * The changes that may be carried out, most important first: every proposed scale-in, and the
     * scale-outs still to carry out of each approved service. A run carries out only those due; the others
     * of the same service (charged with it now) wait for their launch time, the run reports them
     * {@link ChangeOutcome.Waiting}, and in the cycle they fall due the gate weighs them again, before every
     * other service once some of the service's scale-outs launched anything. Scale-outs already carried out
     * and replacements are not listed.
     *
     * @return the approved changes
     */
    List<ProvisionalChange> approved();

    /**
     * The proposed scale-outs of services none of whose changes is due before the next cycle: neither
     * charged nor approved now, they are weighed in the cycle they fall due. Most important first.
     *
     * @return the waiting changes
     */
    List<ProvisionalChange> waiting();

    /**
     * What is due this cycle costs no more than the thresholds: every proposed change weighed is approved.
     *
     * @param costPerHour the cost per hour
     * @param costPerCycle the cost per cycle
     * @param approved every scale-in and the scale-outs still to carry out of the services with one due, most
     *     important first
     * @param waiting the changes of services with nothing due this cycle
     */
    record UnderThreshold(double costPerHour, double costPerCycle, List<ProvisionalChange> approved,
            List<ProvisionalChange> waiting) implements GateDecision {
        /** Copies. */
        public UnderThreshold {
            approved = List.copyOf(approved);
            waiting = List.copyOf(waiting);
        }
    }

    /**
     * What is due this cycle costs more than a threshold: only the most important services whose costing
     * changes fit are approved, each service's changes together (stopping at the first service that does
     * not fit, so no less important change goes ahead of a more important one), scale-ins always (they save
     * money), and the recommendations say how to fit the rest.
     *
     * @param costPerHour the cost per hour of the changes weighed this cycle
     * @param costPerCycle the cost per cycle of the changes weighed this cycle
     * @param maxCostPerHour the threshold per hour
     * @param maxCostPerCycle the threshold per cycle
     * @param approved the changes that fit and every scale-in, most important first
     * @param refused the changes held back
     * @param recommendations ranked ways to bring the plan under the threshold
     * @param waiting the changes of services with nothing due this cycle
     */
    record OverThreshold(double costPerHour, double costPerCycle, double maxCostPerHour, double maxCostPerCycle,
            List<ProvisionalChange> approved, List<ProvisionalChange> refused, List<Recommendation> recommendations,
            List<ProvisionalChange> waiting) implements GateDecision {
        /** Copies. */
        public OverThreshold {
            approved = List.copyOf(approved);
            refused = List.copyOf(Objects.requireNonNull(refused, "refused"));
            recommendations = List.copyOf(recommendations);
            waiting = List.copyOf(waiting);
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
