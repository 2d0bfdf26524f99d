package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** How far ahead a predicted fleet state looks. */
public enum Horizon {
    /** Minutes to hours ahead, {@code short_term}. */
    SHORT_TERM("short_term"),
    /** Days ahead, {@code medium_term}. */
    MEDIUM_TERM("medium_term"),
    /** Weeks to months ahead, {@code long_term}. */
    LONG_TERM("long_term");

    private final String jsonName;

    Horizon(String jsonName) {
        this.jsonName = jsonName;
    }

    /**
     * Returns the spelling used in documents.
     *
     * @return for example {@code "short_term"}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Finds a horizon by its exact document spelling.
     *
     * @param jsonName for example {@code "long_term"}
     * @return the horizon, or empty when none is spelt so
     */
    public static Optional<Horizon> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
