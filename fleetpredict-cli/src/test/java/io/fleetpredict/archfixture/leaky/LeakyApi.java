package io.fleetpredict.archfixture.leaky;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A planted violation: a public method whose signature carries a Jackson type, inside a generic. */
public final class LeakyApi {

    /** @return nothing of use; only its signature matters */
    public List<JsonNode> nodes() {
        return List.of();
    }

    /** Package-private: allowed to use Jackson, since it is not in the public API. */
    JsonNode hidden() {
        return null;
    }
}
