package io.fleetpredict.cloud.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ReleaseRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
/** The checks of the kit's group "Configure (capability CONFIGURE)". */
interface ConfigureChecks extends KitGroup {

    private boolean supported() {
        return provider().capabilities().contains(Capability.CONFIGURE);
    }

    @Test
    @DisplayName("applies settings that describe then shows")
    default void appliesSettings() {
        assumeTrue(supported(), "the provider does not declare CONFIGURE");
        Set<String> ids = ids(provider().provision(onDemand(1)).instances());
        ConfigureResult result = provider().configure(new ConfigureRequest(key("configure"), ids, Map.of("pool", "8")));
        assertEquals(ids, ids(result.instances()));
        awaitExactly(DescribeRequest.all().withInstanceIds(ids), ids, described ->
                "8".equals(described.get(0).configuration().get("pool")) ? Optional.empty()
                        : Optional.of("describe showed " + described.get(0).id() + " configured "
                                + described.get(0).configuration() + ", without the setting pool=8"));
    }

    @Test
    @DisplayName("returns the same result for the same key and request")
    default void idempotent() {
        assumeTrue(supported(), "the provider does not declare CONFIGURE");
        Set<String> ids = ids(provider().provision(onDemand(1)).instances());
        ConfigureRequest request = new ConfigureRequest(key("configure"), ids, Map.of("pool", "8"));
        assertEquals(provider().configure(request), provider().configure(request));
    }

    @Test
    @DisplayName("fails with INVALID_REQUEST for unknown ids")
    default void unknownIds() {
        assumeTrue(supported(), "the provider does not declare CONFIGURE");
        assertFailsWith(CloudException.Kind.INVALID_REQUEST, () -> provider().configure(new ConfigureRequest(
                key("configure"), Set.of("tck-no-such-instance-" + runId()), Map.of("pool", "8"))));
    }

    @Test
    @DisplayName("is unsupported when the capability is not declared")
    default void unsupported() {
        assumeFalse(supported(), "the provider declares CONFIGURE");
        Set<String> ids = Set.of("tck-no-such-instance-" + runId());
        assertProviderThrows(UnsupportedOperationException.class,
                () -> provider().configure(new ConfigureRequest(key("configure"), ids, Map.of("pool", "8"))));
    }

    @Test
    @DisplayName("configures nothing when one of the ids is unknown")
    default void unknownAmongKnownChangesNothing() {
        assumeTrue(supported(), "the provider does not declare CONFIGURE");
        Set<String> known = ids(provider().provision(onDemand(2)).instances());
        Set<String> asked = new HashSet<>(known);
        asked.add("tck-no-such-instance-" + runId());
        assertFailsWith(CloudException.Kind.INVALID_REQUEST,
                () -> provider().configure(new ConfigureRequest(key("configure"), asked, Map.of("pool", "8"))));
        for (Instance instance : awaitExactly(DescribeRequest.all().withInstanceIds(known), known)) {
            assertFalse(instance.configuration().containsKey("pool"),
                    () -> "a refused configure changed " + instance.id() + ": " + instance.configuration());
        }
    }

    @Test
    @DisplayName("fails with INVALID_REQUEST for a released instance")
    default void releasedInstance() {
        assumeTrue(supported(), "the provider does not declare CONFIGURE");
        Set<String> ids = ids(provider().provision(onDemand(1)).instances());
        provider().release(ReleaseRequest.of(key("release"), ids));
        assertFailsWith(CloudException.Kind.INVALID_REQUEST,
                () -> provider().configure(new ConfigureRequest(key("configure"), ids, Map.of("pool", "8"))));
    }
}
