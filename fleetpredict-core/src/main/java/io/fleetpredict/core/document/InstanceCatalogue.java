package io.fleetpredict.core.document;

import io.fleetpredict.cloud.Offer;
import io.fleetpredict.core.internal.Checks;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The instance offers of a (simulated) cloud.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param offers the offers, not empty, unique by instance type and region
 */
public record InstanceCatalogue(@Nullable Integer schemaVersion, List<CatalogueOffer> offers) implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when empty or an instance type repeats in a region
     */
    public InstanceCatalogue {
        Documents.checkSchemaVersion(schemaVersion);
        offers = Checks.nonEmptyList("offers", offers);
        Checks.unique("offers", offers, o -> o.instanceType() + " in " + o.region());
    }

    /**
     * The catalogue as a cloud provider's offers, for a simulated cloud that sells exactly this catalogue.
     *
     * @return one offer per catalogue entry, in order
     * @throws IllegalArgumentException if an entry's CPU cores are not a whole number of at most
     *     {@link Integer#MAX_VALUE}, which cloud offers require
     */
    public List<Offer> toCloudOffers() {
        return offers.stream().map(o -> {
            double cores = o.cpuCores();
            if (cores != Math.rint(cores) || cores > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "offer %s in %s has %s CPU cores; a cloud offer needs a whole number of at most %d",
                        o.instanceType(), o.region(), cores, Integer.MAX_VALUE));
            }
            return new Offer(o.instanceType(), o.family(), o.region(), (int) cores, o.memoryGiB(), o.bandwidthGbps(),
                    o.storageGiB(), o.onDemandPricePerHour(),
                    o.spotPricePerHour() == null ? OptionalDouble.empty() : OptionalDouble.of(o.spotPricePerHour()),
                    o.spotPricePerHour() == null ? 0 : o.interruptionRatePerHour(), o.bootTime());
        }).toList();
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.INSTANCE_CATALOGUE;
    }
}
