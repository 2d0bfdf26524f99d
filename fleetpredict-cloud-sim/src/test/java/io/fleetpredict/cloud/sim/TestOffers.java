package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A tiny catalogue with round numbers, so expected costs and times can be written down by hand. */
final class TestOffers {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final String REGION = "r1";
    static final Offer A_SMALL = new Offer("a.small", "a", REGION, 2, 8, 1, 50, 0.10, OptionalDouble.of(0.03), 0.05,
            Duration.ofMinutes(3));
    static final Offer A_LARGE = new Offer("a.large", "a", REGION, 4, 16, 2, 100, 0.20, OptionalDouble.of(0.06), 0.05,
            Duration.ofMinutes(4));
    static final Offer B_SMALL = new Offer("b.small", "b", REGION, 2, 4, 1, 50, 0.08, OptionalDouble.empty(), 0,
            Duration.ofMinutes(2));
    static final List<Offer> CATALOGUE = List.of(A_SMALL, A_LARGE, B_SMALL);

    private TestOffers() {
    }

    /** The offer with another spot interruption rate. */
    static Offer withInterruptionRate(Offer offer, double ratePerHour) {
        return new Offer(offer.instanceType(), offer.family(), offer.region(), offer.cpuCores(), offer.memoryGiB(),
                offer.bandwidthGbps(), offer.storageGiB(), offer.onDemandPricePerHour(), offer.spotPricePerHour(),
                ratePerHour, offer.bootTime());
    }

    static SimulatedCloud.Builder cloud(MutableClock clock) {
        return SimulatedCloud.builder().clock(clock).seed(1).catalogue(CATALOGUE);
    }

    static ProvisionRequest request(String key, Offer offer, PurchaseOption option, int count) {
        return new ProvisionRequest(key, offer.instanceType(), offer.region(), option, count, Map.of("service", "web"));
    }
}
