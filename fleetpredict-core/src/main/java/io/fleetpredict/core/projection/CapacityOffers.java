package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.document.CatalogueOffer;
import io.fleetpredict.core.document.InputDigest;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Converts the offers of an instance catalogue document or of a cloud provider into
 * {@link CapacityOffer}s: each instance type becomes an on-demand offer and, when it is sold as spot,
 * a spot offer with the catalogue's interruption rate.
 */
public final class CapacityOffers {

    private CapacityOffers() {
    }

    /**
     * Converts an instance catalogue. Its prices are above 0, as the catalogue and a provider's offers require:
     * the solver bounds each count by the price of the best plan found, which a free offer has none of.
     *
     * @param catalogue the catalogue
     * @return the offers, on-demand before spot for each catalogue entry, in catalogue order
     */
    public static List<CapacityOffer> fromCatalogue(InstanceCatalogue catalogue) {
        List<CapacityOffer> out = new ArrayList<>();
        for (CatalogueOffer o : catalogue.offers()) {
            ResourceVector capacity = ResourceVector.of(o.cpuCores(), o.memoryGiB(), o.bandwidthGbps(), o.storageGiB());
            add(out, o.instanceType(), o.family(), o.region(), capacity, o.onDemandPricePerHour(),
                    o.spotPricePerHour(), o.interruptionRatePerHour(), o.bootTime());
        }
        return out;
    }

    /**
     * Converts a cloud provider's offers, as returned by {@code CloudProvider.offers()}.
     *
     * @param offers the provider's offers
     * @return the offers, on-demand before spot for each provider offer, in the given order
     */
    public static List<CapacityOffer> fromCloud(List<Offer> offers) {
        List<CapacityOffer> out = new ArrayList<>();
        for (Offer o : offers) {
            ResourceVector capacity = ResourceVector.of(o.cpuCores(), o.memoryGiB(), o.bandwidthGbps(), o.storageGiB());
            add(out, o.instanceType(), o.family(), o.region(), capacity, o.onDemandPricePerHour(),
                    o.spotPricePerHour().isPresent() ? o.spotPricePerHour().getAsDouble() : null,
                    o.interruptionRatePerHour(), o.bootTime());
        }
        return out;
    }

    /**
     * The offer that prices an instance type in a region and purchase option: what a fleet's instance group is
     * billed at. None for reserved capacity, which no catalogue sells, or for a type, region or option the offers
     * do not hold (an older instance generation, a misspelt type).
     *
     * @param offers the offers
     * @param instanceType the instance type
     * @param region the region
     * @param option the purchase option
     * @return the first such offer, if any
     */
    public static Optional<CapacityOffer> find(List<CapacityOffer> offers, String instanceType, String region,
            PurchaseOption option) {
        for (CapacityOffer o : offers) {
            if (o.instanceType().equals(instanceType) && o.region().equals(region) && o.purchaseOption() == option) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /**
     * Digests offers, so that a plan can name the catalogue it was computed with. The digest is the
     * SHA-256 of the UTF-8 bytes of the offers' canonical JSON: a compact array, in the given order, of
     * one object per offer with the fields {@code instance_type}, {@code family}, {@code region},
     * {@code purchase_option} ({@code on_demand} or {@code spot}), {@code cpu_cores}, {@code memory_gib},
     * {@code bandwidth_gbps}, {@code storage_gib}, {@code price_per_hour},
     * {@code interruption_rate_per_hour} (numbers as Java's {@code Double.toString} writes them) and
     * {@code boot_time} (ISO-8601), in that order, without white space. Equal offer lists have equal
     * digests; any change of an offer, or of their order, changes it.
     *
     * @param offers the offers
     * @return the digest, without a source
     */
    public static InputDigest digest(List<CapacityOffer> offers) {
        List<Object> array = new ArrayList<>();
        for (CapacityOffer o : offers) {
            Map<String, Object> n = new LinkedHashMap<>();
            array.add(n);
            n.put("instance_type", o.instanceType());
            n.put("family", o.family());
            n.put("region", o.region());
            n.put("purchase_option", o.purchaseOption().jsonName());
            n.put("cpu_cores", o.capacity().cpuCores());
            n.put("memory_gib", o.capacity().memoryGiB());
            n.put("bandwidth_gbps", o.capacity().bandwidthGbps());
            n.put("storage_gib", o.capacity().storageGiB());
            n.put("price_per_hour", o.pricePerHour());
            n.put("interruption_rate_per_hour", o.interruptionRatePerHour());
            n.put("boot_time", o.bootTime().toString());
        }
        return InputDigest.ofText(Json.compact(array));
    }

    private static void add(List<CapacityOffer> out, String type, String family, String region,
            ResourceVector capacity, double onDemandPrice, @Nullable Double spotPrice, double interruptionRate,
            Duration bootTime) {
        // Both sources refuse a price that is not above 0, and CapacityOffer refuses it again: nothing is left out.
        out.add(CapacityOffer.onDemand(type, family, region, capacity, onDemandPrice, bootTime));
        if (spotPrice != null) {
            out.add(CapacityOffer.spot(type, family, region, capacity, spotPrice, interruptionRate, bootTime));
        }
    }
}
