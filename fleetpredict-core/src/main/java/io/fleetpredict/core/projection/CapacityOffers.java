package io.fleetpredict.core.projection;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.document.CatalogueOffer;
import io.fleetpredict.core.document.InstanceCatalogue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts the offers of an instance catalogue document or of a cloud provider into
 * {@link CapacityOffer}s: each instance type becomes an on-demand offer and, when it is sold as spot,
 * a spot offer with the catalogue's interruption rate.
 */
public final class CapacityOffers {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityOffers.class);

    private CapacityOffers() {
    }

    /**
     * Converts an instance catalogue. A price of zero cannot be planned with (the solver needs a
     * positive price), so a zero-priced purchase option is left out.
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

    private static void add(List<CapacityOffer> out, String type, String family, String region,
            ResourceVector capacity, double onDemandPrice, Double spotPrice, double interruptionRate,
            Duration bootTime) {
        if (onDemandPrice > 0) {
            out.add(CapacityOffer.onDemand(type, family, region, capacity, onDemandPrice, bootTime));
        } else {
            LOG.debug("{} in {}: on-demand price {} is not positive, offer left out", type, region, onDemandPrice);
        }
        if (spotPrice != null && spotPrice > 0) {
            out.add(CapacityOffer.spot(type, family, region, capacity, spotPrice, interruptionRate, bootTime));
        } else if (spotPrice != null) {
            LOG.debug("{} in {}: spot price {} is not positive, offer left out", type, region, spotPrice);
        }
    }
}
