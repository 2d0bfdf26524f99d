package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** What an expert override does to a predicted requirement. */
public enum OverrideAction {
    /** Replaces the prediction (quantity and quantiles) by a fixed amount, {@code pin}. */
    PIN("pin"),
    /** Raises the prediction to at least an amount, {@code floor}. */
    FLOOR("floor"),
    /** Lowers the prediction to at most an amount, {@code ceiling}. */
    CEILING("ceiling"),
    /** Multiplies the prediction by a factor, {@code scale}. */
    SCALE("scale"),
    /** Switches prediction off, so nothing is provisioned ahead of demand, {@code disable}. */
    DISABLE("disable");

    private final String jsonName;

    OverrideAction(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * Returns the spelling used in documents.
     *
     * @return for example {@code "pin"}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Returns whether the action takes an amount ({@code quantity} and {@code units}).
     *
     * @return {@code true} for pin, floor and ceiling
     */
    public boolean takesAmount() {
        return this == PIN || this == FLOOR || this == CEILING;
    }

    /**
     * Finds an action by its exact document spelling.
     *
     * @param jsonName for example {@code "ceiling"}
     * @return the action, or empty when none is spelt so
     */
    public static Optional<OverrideAction> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
