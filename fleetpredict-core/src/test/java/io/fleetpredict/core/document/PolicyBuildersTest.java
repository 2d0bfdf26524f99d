package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.projection.SlaDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SLA policies by name: the builders give the same records as the positional constructors. */
class PolicyBuildersTest {

    @Test
    void tierPolicyBuilder_unchanged_isTheDocumentedStandardTier() {
        // docs/projection.md: standard = weight 10, p95, 10% headroom, spot <= 50%, 1 on-demand, 5 min, 1 h, 15 min.
        TierPolicy standard = new TierPolicy(10, 0.95, 0.1, 0.5, 1, null, null, Duration.ofMinutes(5),
                Duration.ofHours(1), Duration.ofMinutes(15));
        assertEquals(standard, TierPolicy.builder().build());
        assertEquals(standard, SlaDefaults.policies().tiers().get(SlaDefaults.STANDARD));
    }

    @Test
    void tierPolicyBuilder_eachNamedValue_landsInItsComponent() {
        TierPolicy p = TierPolicy.builder().weight(100).forecastQuantile(0.99).headroomFraction(0.2).maxSpotShare(0.25)
                .minOnDemandCount(3).allowedInstanceFamilies("m", "c").allowedRegions("us-east")
                .leadTime(Duration.ofMinutes(10)).scaleInWindow(Duration.ofHours(2))
                .scaleInCooldown(Duration.ofMinutes(30)).maxViolationShare(0.01).build();
        assertEquals(new TierPolicy(100, 0.99, 0.2, 0.25, 3, List.of("m", "c"), List.of("us-east"),
                Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(30), 0.01), p);
    }

    @Test
    void tierPolicyBuilder_outOfRange_refusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TierPolicy.builder().maxViolationShare(0.7).build());
        assertTrue(e.getMessage().startsWith("maxViolationShare"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TierPolicy.builder().forecastQuantile(0.2).build());
        assertTrue(e.getMessage().contains("forecastQuantile"), e.getMessage());
    }

    @Test
    void slaPoliciesBuilder_tiersAndServices_sameAsTheRecord() {
        TierPolicy critical = TierPolicy.builder().weight(100).build();
        TierPolicy standard = TierPolicy.builder().build();
        SlaPolicies built = SlaPolicies.builder().tier("critical", critical).tier("standard", standard)
                .defaultTier("standard").service("checkout", "critical").build();
        assertEquals(new SlaPolicies(1, "standard", Map.of("critical", critical, "standard", standard),
                List.of(new ServicePolicy("checkout", "critical", null, null, null, null, null, null, null, null,
                        null, null))), built);
        assertEquals(critical, built.effectivePolicy("checkout"));
        assertEquals(standard, built.effectivePolicy("search"));
        // Without defaultTier, the first tier added.
        assertEquals("critical", SlaPolicies.builder().tier("critical", critical).tier("standard", standard).build()
                .defaultTier());
    }

    @Test
    void slaPoliciesBuilder_noTierOrUnknownTier_refusedSayingWhat() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> SlaPolicies.builder().build());
        assertTrue(none.getMessage().startsWith("tiers: must not be empty"), none.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> SlaPolicies.builder().tier("standard", TierPolicy.builder().build()).service("checkout", "gold")
                        .build());
        assertEquals("services[0].tier: tier 'gold' is not defined in tiers", unknown.getMessage());
    }

    @Test
    void servicePolicyBuilder_overridesByName_onTopOfTheTier() {
        ServicePolicy search = ServicePolicy.builder("search", "standard").maxSpotShare(0.8).minOnDemandCount(0)
                .leadTime(Duration.ofMinutes(2)).build();
        assertEquals(new ServicePolicy("search", "standard", null, null, null, 0.8, 0, null, null,
                Duration.ofMinutes(2), null, null), search);
        SlaPolicies sla = SlaPolicies.builder().tier("standard", TierPolicy.builder().build()).service(search).build();
        TierPolicy effective = sla.effectivePolicy("search");
        assertEquals(0.8, effective.maxSpotShare(), 0);
        assertEquals(Duration.ofMinutes(2), effective.leadTime());
        assertEquals(0.95, effective.forecastQuantile(), 0);   // the tier's
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServicePolicy.builder("search", "standard").maxSpotShare(1.5).build());
        assertTrue(e.getMessage().contains("maxSpotShare"), e.getMessage());
    }
}
