package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** What a provisional change does to a service's capacity. */
public enum ChangeAction {
    /** Add instances. Written {@code scale_out}. */
    SCALE_OUT("scale_out"),
    /** Remove instances. Written {@code scale_in}. */
    SCALE_IN("scale_in"),
    /** Swap instances for another type or purchase option. Written {@code replace}. */
    REPLACE("replace");

    private final String jsonName;

    ChangeAction(String jsonName) {
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
    public static Optional<ChangeAction> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
