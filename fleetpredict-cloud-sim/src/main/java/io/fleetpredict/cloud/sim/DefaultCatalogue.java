package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.Offer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The simulated cloud's built-in price list, shaped like a public cloud's: three regions, four
 * families, prices linear in size within a family, compute cheaper and memory dearer per core.
 *
 * <p>The per-core anchors are the 2-vCPU on-demand Linux prices AWS listed for us-east-1 in 2024
 * (m5.large $0.096, c5.large $0.085, r5.large $0.126, t3.small/medium/large $0.0208/$0.0416/$0.0832);
 * the regional factors are rounded from the same list's eu-west-1 and ap-southeast-1 columns.
 */
final class DefaultCatalogue {

    private record Region(String name, double priceFactor) {
    }

    private record Family(String prefix, String name, double memoryGiBPerCore, double largePrice,
            double spotFraction, double interruptionRate, Duration boot) {
    }

    private record Size(String name, int cores, double bandwidthGbps) {
    }

    private static final List<Region> REGIONS = List.of(
            new Region("us-east", 1.00), new Region("eu-west", 1.10), new Region("ap-southeast", 1.18));

    private static final List<Family> SIZED_FAMILIES = List.of(
            new Family("m", "general-purpose", 4, 0.096, 0.35, 0.02, Duration.ofMinutes(3)),
            new Family("c", "compute-optimised", 2, 0.085, 0.33, 0.03, Duration.ofMinutes(3)),
            new Family("r", "memory-optimised", 8, 0.126, 0.38, 0.02, Duration.ofMinutes(4)));

    private static final List<Size> SIZES = List.of(
            new Size("large", 2, 0.75), new Size("xlarge", 4, 1.25),
            new Size("2xlarge", 8, 2.5), new Size("4xlarge", 16, 5));

    private static final double STORAGE_GIB_PER_CORE = 32;

    private DefaultCatalogue() {
    }

    static List<Offer> offers() {
        List<Offer> offers = new ArrayList<>();
        for (Region region : REGIONS) {
            for (Family family : SIZED_FAMILIES) {
                for (int i = 0; i < SIZES.size(); i++) {
                    Size size = SIZES.get(i);
                    double price = family.largePrice() * size.cores() / 2.0;
                    offers.add(offer(family.prefix() + "." + size.name(), family, region, size.cores(),
                            family.memoryGiBPerCore() * size.cores(), size.bandwidthGbps(), price, i));
                }
            }
            // Burstable types share 2 cores and differ in memory; the price doubles with the memory.
            Family burstable = new Family("t", "burstable", 0, 0, 0.30, 0.04, Duration.ofMinutes(2));
            String[] names = {"small", "medium", "large"};
            double[] memory = {2, 4, 8};
            double[] prices = {0.0208, 0.0416, 0.0832};
            for (int i = 0; i < names.length; i++) {
                offers.add(offer("t." + names[i], burstable, region, 2, memory[i], 0.5, prices[i], i));
            }
        }
        return List.copyOf(offers);
    }

    private static Offer offer(String type, Family family, Region region, int cores, double memoryGiB,
            double bandwidthGbps, double usEastPrice, int sizeIndex) {
        double onDemand = round4(usEastPrice * region.priceFactor());
        double spot = round4(onDemand * family.spotFraction());
        // Larger instances are reclaimed somewhat more often and take a little longer to boot.
        double rate = family.interruptionRate() + 0.005 * sizeIndex;
        Duration boot = family.boot().plusSeconds(30L * sizeIndex);
        return new Offer(type, family.name(), region.name(), cores, memoryGiB, bandwidthGbps,
                STORAGE_GIB_PER_CORE * cores, onDemand, OptionalDouble.of(spot), rate, boot);
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
