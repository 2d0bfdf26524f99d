package io.fleetpredict.cloud.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Offer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaultCatalogueTest {

    private final List<Offer> offers = SimulatedCloud.defaultCatalogue();

    private Offer find(String region, String type) {
        return offers.stream().filter(o -> o.region().equals(region) && o.instanceType().equals(type)).findFirst()
                .orElseThrow();
    }

    private static double perCore(Offer offer) {
        return offer.onDemandPricePerHour() / offer.cpuCores();
    }

    @Test
    void catalogue_coversRegionsAndFamilies() {
        assertEquals(Set.of("us-east", "eu-west", "ap-southeast"),
                offers.stream().map(Offer::region).collect(Collectors.toSet()));
        assertEquals(Set.of("general-purpose", "compute-optimised", "memory-optimised", "burstable"),
                offers.stream().map(Offer::family).collect(Collectors.toSet()));
        assertEquals(offers.size(), offers.stream().map(o -> o.region() + "/" + o.instanceType()).distinct().count());
    }

    @Test
    void catalogue_anchorPrice_matchesPublishedList() {
        // AWS on-demand Linux price of m5.large in us-east-1 (aws.amazon.com/ec2/pricing/on-demand, 2024): $0.096/h.
        assertEquals(0.096, find("us-east", "m.large").onDemandPricePerHour(), 1e-12);
    }

    @Test
    void prices_withinFamily_areLinearInCores() {
        for (Offer offer : offers) {
            if (offer.family().equals("burstable")) {
                continue;
            }
            Offer large = find(offer.region(), offer.instanceType().charAt(0) + ".large");
            // Rounding to 4 decimals is the only departure from exact proportionality.
            assertEquals(perCore(large), perCore(offer), 1e-4, offer.toString());
        }
    }

    @Test
    void prices_perCore_computeBelowGeneralBelowMemory() {
        for (String region : List.of("us-east", "eu-west", "ap-southeast")) {
            double c = perCore(find(region, "c.xlarge"));
            double m = perCore(find(region, "m.xlarge"));
            double r = perCore(find(region, "r.xlarge"));
            assertTrue(c < m && m < r, region + ": " + c + " " + m + " " + r);
        }
    }

    @Test
    void memoryPerCore_followsFamily() {
        Map<String, Double> expected = Map.of("compute-optimised", 2.0, "general-purpose", 4.0, "memory-optimised", 8.0);
        for (Offer offer : offers) {
            Double gibPerCore = expected.get(offer.family());
            if (gibPerCore != null) {
                assertEquals(gibPerCore, offer.memoryGiB() / offer.cpuCores(), 1e-12, offer.toString());
            }
        }
    }

    @Test
    void spotAndBoot_areInPublicCloudRanges() {
        for (Offer offer : offers) {
            double ratio = offer.spotPricePerHour().getAsDouble() / offer.onDemandPricePerHour();
            assertTrue(ratio >= 0.29 && ratio <= 0.40, offer + " spot ratio " + ratio);
            assertTrue(offer.interruptionRatePerHour() >= 0.01 && offer.interruptionRatePerHour() <= 0.06, offer.toString());
            assertTrue(offer.bootTime().compareTo(Duration.ofMinutes(2)) >= 0
                    && offer.bootTime().compareTo(Duration.ofMinutes(6)) <= 0, offer.toString());
        }
    }

    @Test
    void regions_usEastIsCheapest() {
        for (String type : List.of("m.large", "c.4xlarge", "t.medium")) {
            double usEast = find("us-east", type).onDemandPricePerHour();
            assertTrue(usEast < find("eu-west", type).onDemandPricePerHour());
            assertTrue(usEast < find("ap-southeast", type).onDemandPricePerHour());
        }
    }
}
