package io.fleetpredict.cloud;

import java.util.Locale;
import java.util.Optional;

/**
 * How an instance is bought. One enum serves the provider interface, the fleet documents and the
 * projection, so an option read from a document reaches the provider without a translation.
 */
public enum PurchaseOption {
    /** Billed at the offer's on-demand price; the provider never takes the instance back. */
    ON_DEMAND,
    /**
     * Billed at the offer's spot price; the provider may interrupt the instance at any time, after
     * which it shows {@link InstanceState#INTERRUPTED} and stops costing.
     */
    SPOT,
    /**
     * Committed in advance under a reservation: fleet documents record reserved groups and the
     * projection may plan into their idle capacity, but nothing is bought at an offer's price, so
     * {@link ProvisionRequest} and {@link Offer#pricePerHour(PurchaseOption)} refuse it.
     */
    RESERVED;

    /**
     * Tells whether the provider may take an instance bought this way back at short notice.
     *
     * @return true for spot
     */
    public boolean interruptible() {
        return this == SPOT;
    }

    /**
     * Returns the spelling used in documents, reports and logs.
     *
     * @return {@code on_demand}, {@code spot} or {@code reserved}
     */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Finds a value by its exact document spelling; any other case or spelling finds nothing.
     *
     * @param jsonName the lower-case, snake_case name
     * @return the value, or empty when none is spelt so
     */
    public static Optional<PurchaseOption> find(String jsonName) {
        for (PurchaseOption option : values()) {
            if (option.jsonName().equals(jsonName)) {
                return Optional.of(option);
            }
        }
        return Optional.empty();
    }
}
