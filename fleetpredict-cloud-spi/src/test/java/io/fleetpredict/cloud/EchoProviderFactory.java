package io.fleetpredict.cloud;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/** A factory registered in the test resources so discovery can be exercised without another module. */
public final class EchoProviderFactory implements CloudProviderFactory {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!key.equals("region")) {
                throw new IllegalArgumentException("unknown setting '" + key + "'");
            }
        }
        String region = settings.getOrDefault("region", "local");
        return new CloudProvider() {
            @Override
            public String name() {
                return "echo";
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.noneOf(Capability.class);
            }

            @Override
            public List<Offer> offers() {
                return List.of(new Offer("x.small", "x", region, 1, 1, 1, 0, 0.01, OptionalDouble.empty(), 0,
                        Duration.ofMinutes(1)));
            }

            @Override
            public ProvisionResult provision(ProvisionRequest request) {
                throw new CloudException(CloudException.Kind.UNAUTHORIZED, "echo launches nothing");
            }

            @Override
            public ReleaseResult release(ReleaseRequest request) {
                throw new CloudException(CloudException.Kind.UNAUTHORIZED, "echo releases nothing");
            }

            @Override
            public DescribeResult describe(DescribeRequest request) {
                return new DescribeResult(java.time.Instant.EPOCH, List.of());
            }
        };
    }
}
