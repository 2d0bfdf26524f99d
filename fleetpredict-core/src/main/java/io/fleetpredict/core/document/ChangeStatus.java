package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** Whether a provisional change is going ahead. */
public enum ChangeStatus {
    /** The change is planned. Written {@code proposed}. */
    PROPOSED("proposed"),
    /** The change is held back; the change says why. Written {@code deferred}. */
    DEFERRED("deferred");

    private final String jsonName;

    ChangeStatus(String jsonName) {
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
    public static Optional<ChangeStatus> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
