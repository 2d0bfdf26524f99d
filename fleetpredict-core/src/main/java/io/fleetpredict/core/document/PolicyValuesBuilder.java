package io.fleetpredict.core.document;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The ten values a tier's policy states and a service's entry may override, set by name: one set of
 * setters for {@link TierPolicy.Builder} (which starts from the standard tier) and
 * {@link ServicePolicy.Builder} (which starts with no override, each unset value being the tier's).
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class PolicyValuesBuilder<B extends PolicyValuesBuilder<B>> {
    @Nullable Double weight;
    @Nullable Double forecastQuantile;
    @Nullable Double headroomFraction;
    @Nullable Double maxSpotShare;
    @Nullable Integer minOnDemandCount;
    @Nullable List<String> allowedInstanceFamilies;
    @Nullable List<String> allowedRegions;
    @Nullable Duration leadTime;
    @Nullable Duration scaleInWindow;
    @Nullable Duration scaleInCooldown;

    PolicyValuesBuilder() {
    }

    abstract B self();

    /**
     * The weight when capacity is short; higher is served first.
     *
     * @param value positive; a tier's is 10 by default
     * @return this builder
     */
    public B weight(double value) {
        this.weight = value;
        return self();
    }

    /**
     * The forecast quantile to provision for.
     *
     * @param value between 0.5 and 0.999; a tier's is 0.95 by default
     * @return this builder
     */
    public B forecastQuantile(double value) {
        this.forecastQuantile = value;
        return self();
    }

    /**
     * Extra capacity on top of the quantile, as a fraction.
     *
     * @param value 0 to 10; a tier's is 0.1 by default
     * @return this builder
     */
    public B headroomFraction(double value) {
        this.headroomFraction = value;
        return self();
    }

    /**
     * The largest share of the service's CPU cores that may run on spot.
     *
     * @param value 0 to 1; a tier's is 0.5 by default
     * @return this builder
     */
    public B maxSpotShare(double value) {
        this.maxSpotShare = value;
        return self();
    }

    /**
     * The fewest on-demand instances to keep.
     *
     * @param value not negative; a tier's is 1 by default
     * @return this builder
     */
    public B minOnDemandCount(int value) {
        this.minOnDemandCount = value;
        return self();
    }

    /**
     * The instance families allowed; a tier allows any by default.
     *
     * @param values one or more families
     * @return this builder
     */
    public B allowedInstanceFamilies(String... values) {
        this.allowedInstanceFamilies = List.of(values);
        return self();
    }

    /**
     * The regions allowed; a tier allows any by default.
     *
     * @param values one or more regions
     * @return this builder
     */
    public B allowedRegions(String... values) {
        this.allowedRegions = List.of(values);
        return self();
    }

    /**
     * How long before the need capacity must be ready.
     *
     * @param value not negative; a tier's is 5 minutes by default
     * @return this builder
     */
    public B leadTime(Duration value) {
        this.leadTime = Objects.requireNonNull(value, "leadTime");
        return self();
    }

    /**
     * How long demand must stay low before capacity is removed.
     *
     * @param value not negative; a tier's is one hour by default
     * @return this builder
     */
    public B scaleInWindow(Duration value) {
        this.scaleInWindow = Objects.requireNonNull(value, "scaleInWindow");
        return self();
    }

    /**
     * The least time between two removals.
     *
     * @param value not negative; a tier's is 15 minutes by default
     * @return this builder
     */
    public B scaleInCooldown(Duration value) {
        this.scaleInCooldown = Objects.requireNonNull(value, "scaleInCooldown");
        return self();
    }
}
