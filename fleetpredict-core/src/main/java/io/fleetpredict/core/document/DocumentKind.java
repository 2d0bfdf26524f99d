package io.fleetpredict.core.document;

import java.util.Arrays;

/**
 * The kinds of JSON document, each with its record type and its JSON Schema in {@code docs/schemas/}.
 *
 * <p>{@link Documents#detect(String)} tells which kind a JSON text is from its top-level fields.
 */
public enum DocumentKind {
    /** {@link PredictedFleetState}: has {@code resource_requirements}. */
    PREDICTED_FLEET_STATE("predicted-fleet-state", "predicted fleet state", PredictedFleetState.class),
    /** {@link FleetState}: has {@code version} and {@code as_of}, no {@code provisional_changes}. */
    FLEET_STATE("fleet-state", "fleet state", FleetState.class),
    /** {@link ProvisionalFleetState}: has {@code provisional_changes}. */
    PROVISIONAL_FLEET_STATE("provisional-fleet-state", "provisional fleet state", ProvisionalFleetState.class),
    /** {@link SlaPolicies}: has {@code tiers}. */
    SLA_POLICIES("sla-policies", "SLA policies", SlaPolicies.class),
    /** {@link EventFeed}: has {@code events}. */
    EVENT_FEED("event-feed", "event feed", EventFeed.class),
    /** {@link InstanceCatalogue}: has {@code offers}. */
    INSTANCE_CATALOGUE("instance-catalogue", "instance catalogue", InstanceCatalogue.class),
    /** {@link OverrideSet}: has {@code overrides}. */
    OVERRIDES("overrides", "overrides", OverrideSet.class);

    private final String id;
    private final String displayName;
    private final Class<? extends Document> documentType;

    DocumentKind(String id, String displayName, Class<? extends Document> documentType) {
        this.id = id;
        this.displayName = displayName;
        this.documentType = documentType;
    }

    /**
     * Returns the short identifier, also the stem of the schema file name.
     *
     * @return for example {@code "predicted-fleet-state"}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the name used in messages.
     *
     * @return for example {@code "predicted fleet state"}
     */
    public String displayName() {
        return displayName;
    }

    /**
     * Returns the record type this kind is read into.
     *
     * @return the document record class
     */
    public Class<? extends Document> documentType() {
        return documentType;
    }

    /**
     * Returns the name of this kind's JSON Schema file in {@code docs/schemas/}.
     *
     * @return for example {@code "predicted-fleet-state.schema.json"}
     */
    public String schemaFileName() {
        return id + ".schema.json";
    }

    /**
     * Returns the kind whose record type is {@code type}.
     *
     * @param type a document record class
     * @return its kind
     * @throws IllegalArgumentException when {@code type} is not a document record class
     */
    public static DocumentKind of(Class<?> type) {
        return Arrays.stream(values()).filter(k -> k.documentType == type).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("type: not a document type: " + type));
    }
}
