package io.fleetpredict.core.document;

import java.util.List;
import java.util.Map;

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
        Integer schemaVersion, String defaultTier, Map<String, TierPolicy> tiers, List<ServicePolicy> services)
        implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when a tier is undefined or a service repeats
     */
    public SlaPolicies {
        Checks.schemaVersion(schemaVersion);
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
                .map(s -> s.over(tiers.get(s.tier())))
                .orElse(tiers.get(defaultTier));
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.SLA_POLICIES;
    }
}
