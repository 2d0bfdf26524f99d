package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** How an instance group is paid for. */
public enum PurchaseOption {
    /** Paid by the hour, never interrupted. Written {@code on_demand}. */
    ON_DEMAND("on_demand"),
    /** Spare capacity at a discount, may be interrupted. Written {@code spot}. */
    SPOT("spot"),
    /** Committed in advance. Written {@code reserved}. */
    RESERVED("reserved");

    private final String jsonName;

    PurchaseOption(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * Returns the spelling used in documents.
     *
     * @return the lower-case, snake_case name
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Finds a value by its exact document spelling.
     *
     * @param jsonName the lower-case, snake_case name
     * @return the value, or empty when none is spelt so
     */
    public static Optional<PurchaseOption> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
