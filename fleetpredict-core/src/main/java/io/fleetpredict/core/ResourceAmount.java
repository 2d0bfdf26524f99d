package io.fleetpredict.core;

import java.util.Locale;
import java.util.Objects;

/**
 * An amount of one resource in a unit, such as 200 GB of memory.
 *
 * @param type the resource type
 * @param amount the amount, finite and not negative, and finite in the type's canonical unit too
 * @param unit the unit, which must measure {@code type}
 */
public record ResourceAmount(ResourceType type, double amount, ResourceUnit unit) {

    /**
     * Validates the amount.
     *
     * @throws IllegalArgumentException when the amount is negative or not finite, the unit does not
     *     measure the type, or the amount is too large to be finite in the type's canonical unit (for
     *     example 1e308 TB, which is about 9.3e310 GiB)
     */
    public ResourceAmount {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(unit, "unit");
        if (!Double.isFinite(amount) || amount < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "amount: must be finite and not negative, was %s", amount));
        }
        if (!type.accepts(unit)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "unit: %s is not a unit of %s", unit.symbol(), type.jsonName()));
        }
        if (!Double.isFinite(unit.convert(amount, type.canonicalUnit()))) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "amount: %s %s is too large: beyond the largest amount of %s in %s", amount, unit.symbol(),
                    type.jsonName(), type.canonicalUnit().symbol()));
        }
    }

    /**
     * Creates an amount.
     *
     * @param type the resource type
     * @param amount the amount, finite and not negative
     * @param unit the unit, which must measure {@code type}
     * @return the amount
     */
    public static ResourceAmount of(ResourceType type, double amount, ResourceUnit unit) {
        return new ResourceAmount(type, amount, unit);
    }

    /**
     * Converts this amount to another unit of the same resource.
     *
     * @param target the unit to express the amount in
     * @return an equal amount in {@code target}
     * @throws IllegalArgumentException when {@code target} does not measure this resource type, or the
     *     amount is too large to be finite in it
     */
    public ResourceAmount to(ResourceUnit target) {
        if (!type.accepts(target)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target: %s is not a unit of %s", target.symbol(), type.jsonName()));
        }
        double converted = unit.convert(amount, target);
        if (!Double.isFinite(converted)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "target: %s %s is too large: beyond the largest amount of %s in %s", amount, unit.symbol(),
                    type.jsonName(), target.symbol()));
        }
        return new ResourceAmount(type, converted, target);
    }

    /**
     * Converts this amount to the canonical unit of its type (cores, GiB or Gbps).
     *
     * @return an equal amount in {@link ResourceType#canonicalUnit()}
     */
    public ResourceAmount inCanonicalUnit() {
        return to(type.canonicalUnit());
    }
}
