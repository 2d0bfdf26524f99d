package io.fleetpredict.core.feedback;

import java.util.List;
import java.util.Objects;

/**
 * What a retrain, or a failing champion, did to the model a {@link Retrainer} predicts with.
 *
 * <p>Scores are the mean of the backtest metric over the rolling origins (lower is better);
 * {@link Double#POSITIVE_INFINITY} when a model could not be scored.
 */
public sealed interface RetrainOutcome {

    /**
     * Returns the trigger of the retrain.
     *
     * @return why it ran; {@link Trigger#FAILURE} for a fallback
     */
    Trigger trigger();

    /** Why a retrain ran. */
    enum Trigger {
        /** The retrain schedule came due. */
        SCHEDULE,
        /** The drift detector flagged the champion's errors. */
        DRIFT,
        /** Someone asked for it. */
        MANUAL,
        /** The champion failed while predicting or absorbing an observation. */
        FAILURE
    }

    /**
     * A challenger beat the champion by the margin and now predicts.
     *
     * @param trigger why the retrain ran
     * @param previous the description of the model replaced
     * @param promoted the description of the model promoted
     * @param championScore the champion specification's backtest score
     * @param challengerScore the challenger's backtest score
     */
    record Promoted(Trigger trigger, String previous, String promoted, double championScore, double challengerScore)
            implements RetrainOutcome {
        /** Validates. */
        public Promoted {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(previous, "previous");
            Objects.requireNonNull(promoted, "promoted");
        }
    }

    /**
     * No challenger beat the champion by the margin; the champion's own specification was refitted on the
     * recent history and predicts with fresh parameters.
     *
     * @param trigger why the retrain ran
     * @param model the description of the refitted champion
     * @param championScore its backtest score
     * @param bestChallengerScore the best other candidate's score
     */
    record Refitted(Trigger trigger, String model, double championScore, double bestChallengerScore)
            implements RetrainOutcome {
        /** Validates. */
        public Refitted {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(model, "model");
        }
    }

    /**
     * The champion model stays as it was.
     *
     * @param trigger why the retrain ran
     * @param reason why nothing changed
     * @param championScore the champion specification's backtest score
     * @param bestChallengerScore the best other candidate's score
     */
    record Kept(Trigger trigger, String reason, double championScore, double bestChallengerScore)
            implements RetrainOutcome {
        /** Validates. */
        public Kept {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Every candidate failed (threw, or produced non-finite forecasts or scores); the champion stays.
     *
     * @param trigger why the retrain ran
     * @param failures one line per candidate: its name and what went wrong
     */
    record ChallengerFailed(Trigger trigger, List<String> failures) implements RetrainOutcome {
        /** Validates and copies. */
        public ChallengerFailed {
            Objects.requireNonNull(trigger, "trigger");
            failures = List.copyOf(failures);
        }
    }

    /**
     * The retrain did not run.
     *
     * @param trigger why it was asked for
     * @param reason why it did not run, for example another retrain still running
     */
    record Skipped(Trigger trigger, String reason) implements RetrainOutcome {
        /** Validates. */
        public Skipped {
            Objects.requireNonNull(trigger, "trigger");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The champion failed and the retrainer fell back to the last good model or, without one, to a
     * reactive-only model (a naive forecast of the recent history).
     *
     * @param failure what went wrong with the champion
     * @param model the description of the model now predicting
     * @param reactiveOnly whether that model is the reactive-only fallback
     */
    record FellBack(String failure, String model, boolean reactiveOnly) implements RetrainOutcome {
        /** Validates. */
        public FellBack {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(model, "model");
        }

        @Override
        public Trigger trigger() {
            return Trigger.FAILURE;
        }
    }
}
