package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.FleetState;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link FleetStateStore} holds for one fleet at one version: the fleet state document and the
 * provisioning intents, written together so a launch and its intent can never be separated.
 *
 * @param state the fleet state; its version is this record's version
 * @param intents the intents, unique by id
 */
public record StoredFleet(FleetState state, List<ProvisioningIntent> intents) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an intent id repeats
     */
    public StoredFleet {
        Objects.requireNonNull(state, "state");
        intents = List.copyOf(intents);
        Set<String> ids = new HashSet<>();
        for (ProvisioningIntent intent : intents) {
            if (!ids.add(intent.id())) {
                throw new IllegalArgumentException("intents holds id '" + intent.id() + "' twice");
            }
        }
    }

    /**
     * A fleet with no intents.
     *
     * @param state the fleet state
     * @return the stored fleet
     */
    public static StoredFleet of(FleetState state) {
        return new StoredFleet(state, List.of());
    }

    /**
     * The version, the same as {@code state().version()}.
     *
     * @return the version
     */
    public long version() {
        return state.version();
    }

    /**
     * The fleet id, the same as {@code state().fleetId()}.
     *
     * @return the fleet id
     */
    public String fleetId() {
        return state.fleetId();
    }

    /**
     * The intent with an id.
     *
     * @param intentId the id
     * @return the intent, or empty
     */
    public Optional<ProvisioningIntent> intent(String intentId) {
        return intents.stream().filter(i -> i.id().equals(intentId)).findFirst();
    }
}
