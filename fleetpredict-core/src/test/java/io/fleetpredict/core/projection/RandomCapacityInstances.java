package io.fleetpredict.core.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Seeded random capacity-planning instances for the property tests. */
final class RandomCapacityInstances {

    static final String[] FAMILIES = {"general", "memory", "compute"};
    static final double[] GIB_PER_CORE = {4, 8, 2};
    static final String[] REGIONS = {"eu-west", "us-east"};
    static final int[] CORES = {2, 4, 8, 16};

    /** One instance: a single service's demand against a few offers, and optional idle capacity. */
    record Instance(ServiceDemand demand, List<CapacityOffer> offers, List<ExistingCapacity> existing) {
    }

    private RandomCapacityInstances() {
    }

    /**
     * A small instance: 2 to {@code maxOffers} offers, every offer with all four resources, a demand of a
     * few instances' worth, random limits.
     */
    static Instance small(long seed, int maxOffers, boolean withExisting) {
        Random rnd = new Random(seed);
        int offerCount = 2 + rnd.nextInt(maxOffers - 1);
        List<CapacityOffer> offers = new ArrayList<>();
        for (int i = 0; i < offerCount; i++) {
            offers.add(offer(rnd, "t" + i));
        }
        double cpu = rnd.nextDouble() < 0.15 ? 0 : 40 * rnd.nextDouble();
        double mem = rnd.nextDouble() < 0.15 ? 0 : 160 * rnd.nextDouble();
        double bw = rnd.nextDouble() < 0.3 ? 0 : 20 * rnd.nextDouble();
        double storage = rnd.nextDouble() < 0.3 ? 0 : 1500 * rnd.nextDouble();
        double[] shares = {0, 0.3, 0.5, 0.8, 1};
        double share = shares[rnd.nextInt(shares.length)];
        int base = rnd.nextInt(3);
        Set<String> families = new HashSet<>();
        if (rnd.nextDouble() < 0.3) {
            for (String f : FAMILIES) {
                if (rnd.nextBoolean()) {
                    families.add(f);
                }
            }
        }
        Set<String> regions = new HashSet<>();
        if (rnd.nextDouble() < 0.2) {
            regions.add(REGIONS[rnd.nextInt(REGIONS.length)]);
        }
        ServiceDemand demand = ServiceDemand.of("svc-" + seed, ResourceVector.of(cpu, mem, bw, storage),
                CapacityLimits.of(share, base, families, regions), 5 * rnd.nextDouble());
        List<ExistingCapacity> existing = new ArrayList<>();
        if (withExisting && rnd.nextBoolean()) {
            int groups = 1 + rnd.nextInt(2);
            for (int g = 0; g < groups; g++) {
                int f = rnd.nextInt(FAMILIES.length);
                int cores = CORES[rnd.nextInt(CORES.length)];
                existing.add(ExistingCapacity.of("idle" + g, FAMILIES[f], REGIONS[rnd.nextInt(REGIONS.length)],
                        ResourceVector.of(cores, cores * GIB_PER_CORE[f], 1 + rnd.nextDouble() * 4,
                                50 + rnd.nextDouble() * 200),
                        1 + rnd.nextInt(3), rnd.nextBoolean() ? 0 : 0.05 * rnd.nextDouble()));
            }
        }
        return new Instance(demand, offers, existing);
    }

    static CapacityOffer offer(Random rnd, String type) {
        int f = rnd.nextInt(FAMILIES.length);
        int cores = CORES[rnd.nextInt(CORES.length)];
        double mem = cores * GIB_PER_CORE[f] * (0.75 + 0.5 * rnd.nextDouble());
        double bw = 0.5 + 10 * rnd.nextDouble();
        double storage = 50 + 450 * rnd.nextDouble();
        double price = (0.04 * cores + 0.005 * mem + 0.01 * bw + 0.0002 * storage) * (0.8 + 0.4 * rnd.nextDouble());
        String region = REGIONS[rnd.nextInt(REGIONS.length)];
        ResourceVector capacity = ResourceVector.of(cores, mem, bw, storage);
        if (rnd.nextBoolean()) {
            return CapacityOffer.spot(type, FAMILIES[f], region, capacity, price * (0.2 + 0.5 * rnd.nextDouble()),
                    0.2 * rnd.nextDouble(), Duration.ofSeconds(60 + rnd.nextInt(600)));
        }
        return CapacityOffer.onDemand(type, FAMILIES[f], region, capacity, price,
                Duration.ofSeconds(60 + rnd.nextInt(600)));
    }
}
