package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * SLA policies: a policy per tier and each service's tier with its overrides.
 *
 * <p>A service without an entry gets the {@code defaultTier}'s policy.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param defaultTier the tier of services without an entry; must be in {@code tiers}
 * @param tiers the policy of each tier, by tier name, in document order; not empty
 * @param services the per-service entries, unique by service, each naming a defined tier
 */
public record SlaPolicies(
        @Nullable Integer schemaVersion, String defaultTier, Map<String, TierPolicy> tiers, List<ServicePolicy> services)
        implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a tier is undefined or a service repeats
     */
    public SlaPolicies {
        Documents.checkSchemaVersion(schemaVersion);
        Checks.text("defaultTier", defaultTier);
        tiers = Checks.orderedMap("tiers", tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("tiers: must not be empty");
        }
        tiers.keySet().forEach(t -> Checks.text("tiers", t));
        if (!tiers.containsKey(defaultTier)) {
            throw new IllegalArgumentException("defaultTier: tier '" + defaultTier + "' is not defined in tiers");
        }
        services = Checks.list("services", services);
        Checks.unique("services", services, ServicePolicy::service);
        for (int i = 0; i < services.size(); i++) {
            if (!tiers.containsKey(services.get(i).tier())) {
                throw new IllegalArgumentException(Checks.fmt(
                        "services[%d].tier: tier '%s' is not defined in tiers", i, services.get(i).tier()));
            }
        }
    }

    /**
     * Returns the policy that applies to a service: its tier's policy with its overrides.
     *
     * @param service a service name
     * @return the effective policy; the default tier's when the service has no entry
     */
    public TierPolicy effectivePolicy(String service) {
        return services.stream().filter(s -> s.service().equals(service)).findFirst()
                .map(s -> s.over(tier(s.tier())))
                .orElseGet(() -> tier(defaultTier));
    }

    /** A tier named by this document: the constructor checked that the default and every service's tier exist. */
    private TierPolicy tier(String name) {
        return Objects.requireNonNull(tiers.get(name), name);
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.SLA_POLICIES;
    }

    /**
     * Starts policies by name: tiers, the default tier (the first tier added, unless set) and each
     * service's tier.
     *
     * <pre>{@code
     * SlaPolicies sla = SlaPolicies.builder()
     *         .tier("critical", TierPolicy.builder().weight(100).maxViolationShare(0.01).build())
     *         .tier("standard", TierPolicy.builder().build())
     *         .defaultTier("standard")
     *         .service("checkout", "critical")
     *         .build();
     * }</pre>
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link SlaPolicies} by name (with {@code schema_version} 1); the whole is checked by the record
     * when {@link #build()} is called. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, TierPolicy> tiers = new LinkedHashMap<>();
        private final List<ServicePolicy> services = new ArrayList<>();
        private @Nullable String defaultTier;

        private Builder() {
        }

        /**
         * Adds a tier, or replaces the policy of one added before.
         *
         * @param name the tier's name
         * @param policy its policy
         * @return this builder
         */
        public Builder tier(String name, TierPolicy policy) {
            tiers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * The tier of services without an entry.
         *
         * @param name a tier added with {@link #tier}; the first tier added by default
         * @return this builder
         */
        public Builder defaultTier(String name) {
            this.defaultTier = Objects.requireNonNull(name, "defaultTier");
            return this;
        }

        /**
         * Puts a service in a tier, without overrides.
         *
         * @param service the service's name
         * @param tier a tier added with {@link #tier}
         * @return this builder
         */
        public Builder service(String service, String tier) {
            return service(ServicePolicy.builder(service, tier).build());
        }

        /**
         * Adds a service's entry with its overrides of the tier's policy
         * ({@link ServicePolicy#builder(String, String)}).
         *
         * @param policy the entry
         * @return this builder
         */
        public Builder service(ServicePolicy policy) {
            services.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * Builds the policies.
         *
         * @return the policies
         * @throws IllegalArgumentException if no tier was added, the default tier or a service's tier is not
         *     one of them, or a service was added twice
         */
        public SlaPolicies build() {
            String fallback = defaultTier != null ? defaultTier
                    : tiers.keySet().stream().findFirst().orElseThrow(
                            () -> new IllegalArgumentException("tiers: must not be empty; add one with tier(name, policy)"));
            return new SlaPolicies(1, fallback, tiers, services);
        }
    }
}
