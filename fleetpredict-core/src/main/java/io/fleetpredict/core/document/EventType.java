package io.fleetpredict.core.document;

import java.util.Arrays;
import java.util.Optional;

/** What kind of event an event feed announces. */
public enum EventType {
    /** A marketing campaign that raises demand. Written {@code campaign}. */
    CAMPAIGN("campaign"),
    /** A news event that raises demand. Written {@code news}. */
    NEWS("news"),
    /** Maintenance that removes capacity. Written {@code maintenance}. */
    MAINTENANCE("maintenance");

    private final String jsonName;

    EventType(String jsonName) {
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
    public static Optional<EventType> find(String jsonName) {
        return Arrays.stream(values()).filter(v -> v.jsonName.equals(jsonName)).findFirst();
    }
}
