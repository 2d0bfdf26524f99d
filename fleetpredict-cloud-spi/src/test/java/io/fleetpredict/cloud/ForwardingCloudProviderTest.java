package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every call reaches the wrapped provider with the caller's request, and its answer or failure comes back. */
class ForwardingCloudProviderTest {

    /** A provider that remembers each request and fails the mutating calls with a failure of its own. */
    static final class Recording implements CloudProvider {
        final List<Offer> offers = List.of(new Offer("x.small", "x", "eu", 1, 1, 1, 0, 0.01, OptionalDouble.empty(), 0,
                Duration.ofMinutes(1)));
        final Set<Capability> capabilities = EnumSet.of(Capability.CONFIGURE);
        final DescribeResult described = new DescribeResult(Instant.EPOCH, List.of());
        final CloudException refused = new CloudException(CloudException.Kind.UNAUTHORIZED, "recorded");
        Object seen = "nothing";

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Set<Capability> capabilities() {
            return capabilities;
        }

        @Override
        public List<Offer> offers() {
            return offers;
        }

        @Override
        public ProvisionResult provision(ProvisionRequest request) {
            seen = request;
            throw refused;
        }

        @Override
        public ReleaseResult release(ReleaseRequest request) {
            seen = request;
            throw refused;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            seen = request;
            return described;
        }

        @Override
        public ConfigureResult configure(ConfigureRequest request) {
            seen = request;
            throw refused;
        }
    }

    /** A decorator that overrides nothing. */
    static final class Plain extends ForwardingCloudProvider {
        private final CloudProvider delegate;

        Plain(CloudProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        protected CloudProvider delegate() {
            return delegate;
        }
    }

    @Test
    void everyCall_reachesTheWrappedProviderWithTheSameRequest() {
        Recording inner = new Recording();
        CloudProvider outer = new Plain(inner);
        assertEquals("recording", outer.name());
        assertSame(inner.capabilities, outer.capabilities());
        assertSame(inner.offers, outer.offers());
        DescribeRequest describe = DescribeRequest.active();
        assertSame(inner.described, outer.describe(describe));
        assertSame(describe, inner.seen);
        ProvisionRequest provision = new ProvisionRequest("k", "x.small", "eu", PurchaseOption.ON_DEMAND, 1, Map.of());
        assertRefusedWith(inner, () -> outer.provision(provision), provision);
        ReleaseRequest release = new ReleaseRequest("k", Set.of("i-1"));
        assertRefusedWith(inner, () -> outer.release(release), release);
        // configure is forwarded, not left to the interface's default (which refuses it).
        ConfigureRequest configure = new ConfigureRequest("k", Set.of("i-1"), Map.of("a", "b"));
        assertRefusedWith(inner, () -> outer.configure(configure), configure);
    }

    @Test
    void aDecorator_overridesOneCallAndForwardsTheRest() {
        Recording inner = new Recording();
        int[] offersCalls = {0};
        CloudProvider counting = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return inner;
            }

            @Override
            public List<Offer> offers() {
                offersCalls[0]++;
                return super.offers();
            }
        };
        assertSame(inner.offers, counting.offers());
        assertEquals(1, offersCalls[0]);
        assertSame(inner.described, counting.describe(DescribeRequest.all()));
        assertTrue(counting.toString().endsWith("[recording]"), counting.toString());
    }

    @Test
    void guideSample_countsLaunchesAndForwardsThem() throws IOException {
        Recording provider = new Recording();
        List<String> launches = new ArrayList<>();
        // tag::sample[]
        CloudProvider watched = new ForwardingCloudProvider() {
            @Override
            protected CloudProvider delegate() {
                return provider;
            }

            @Override
            public ProvisionResult provision(ProvisionRequest request) {
                launches.add(request.count() + " x " + request.instanceType());
                return super.provision(request);
            }
        };
        // end::sample[]
        ProvisionRequest request = new ProvisionRequest("k", "x.small", "eu", PurchaseOption.ON_DEMAND, 2, Map.of());
        assertRefusedWith(provider, () -> watched.provision(request), request);
        assertEquals(List.of("2 x x.small"), launches);

        List<String> lines = Files.readAllLines(Path.of("src/test/java/io/fleetpredict/cloud/ForwardingCloudProviderTest.java"));
        String sample = String.join("\n", lines.subList(lines.indexOf("        // tag::sample[]") + 1,
                lines.indexOf("        // end::sample[]")).stream().map(l -> l.isEmpty() ? l : l.substring(8)).toList());
        String guide = Files.readString(Path.of("../docs/guides/implementing-a-provider.md"));
        assertTrue(guide.contains(sample), "the guide must quote the sample verbatim:\n" + sample);
    }

    private static void assertRefusedWith(Recording inner, Executable call, Object request) {
        CloudException e = assertThrows(CloudException.class, call);
        assertSame(inner.refused, e);
        assertSame(request, inner.seen);
    }

}
