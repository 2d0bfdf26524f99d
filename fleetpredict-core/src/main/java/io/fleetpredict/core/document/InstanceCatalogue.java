package io.fleetpredict.core.document;

import java.util.List;

/**
 * The instance offers of a (simulated) cloud.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param offers the offers, not empty, unique by instance type and region
 */
public record InstanceCatalogue(Integer schemaVersion, List<CatalogueOffer> offers) implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when empty or an instance type repeats in a region
     */
    public InstanceCatalogue {
        Checks.schemaVersion(schemaVersion);
        offers = Checks.nonEmptyList("offers", offers);
        Checks.unique("offers", offers, o -> o.instanceType() + " in " + o.region());
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.INSTANCE_CATALOGUE;
    }
}
