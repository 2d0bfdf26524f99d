package io.fleetpredict.core.document;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpredict.core.ResourceAmount;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes records as document trees in schema field order; absent optional values are left out, so a
 * document read and written back keeps its shape.
 */
final class DocumentWriter {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Integral doubles below this are written without a fraction (100, not 100.0); 2^53 keeps them exact. */
    private static final double EXACT_INTEGER_LIMIT = 9.007199254740992E15;

    private DocumentWriter() {}

    static ObjectNode write(Document document) {
        ObjectNode out = NODES.objectNode();
        switch (document.kind()) {
            case PREDICTED_FLEET_STATE -> predicted(out, (PredictedFleetState) document);
            case FLEET_STATE -> fleet(out, (FleetState) document);
            case PROVISIONAL_FLEET_STATE -> provisional(out, (ProvisionalFleetState) document);
            case SLA_POLICIES -> sla(out, (SlaPolicies) document);
            case EVENT_FEED -> feed(out, (EventFeed) document);
            case INSTANCE_CATALOGUE -> catalogue(out, (InstanceCatalogue) document);
            case OVERRIDES -> overrides(out, (OverrideSet) document);
        }
        return out;
    }

    // ---- shared pieces

    private static void number(ObjectNode out, String name, double value) {
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGER_LIMIT) {
            out.put(name, (long) value);
        } else {
            out.put(name, value);
        }
    }

    private static void optNumber(ObjectNode out, String name, @Nullable Double value) {
        if (value != null) {
            number(out, name, value);
        }
    }

    private static void optText(ObjectNode out, String name, @Nullable String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static void optInstant(ObjectNode out, String name, @Nullable Instant value) {
        if (value != null) {
            out.put(name, value.toString());
        }
    }

    private static void optDuration(ObjectNode out, String name, @Nullable Duration value) {
        if (value != null) {
            out.put(name, value.toString());
        }
    }

    private static void optStrings(ObjectNode out, String name, @Nullable List<String> values) {
        if (values != null) {
            ArrayNode array = out.putArray(name);
            values.forEach(array::add);
        }
    }

    private static <T> void array(ObjectNode out, String name, List<T> values, BiConsumer<ObjectNode, T> element) {
        ArrayNode array = out.putArray(name);
        values.forEach(v -> element.accept(array.addObject(), v));
    }

    private static void amount(ObjectNode out, ResourceAmount amount) {
        out.put("resource_type", amount.type().jsonName());
        number(out, "quantity", amount.amount());
        out.put("units", amount.unit().symbol());
    }

    private static void schemaVersion(ObjectNode out, @Nullable Integer version) {
        if (version != null) {
            out.put("schema_version", version);
        }
    }

    // ---- documents

    private static void predicted(ObjectNode out, PredictedFleetState d) {
        schemaVersion(out, d.schemaVersion());
        optText(out, "fleet_id", d.fleetId());
        out.put("timestamp", d.timestamp().toString());
        if (d.horizon() != null) {
            out.put("horizon", d.horizon().jsonName());
        }
        optInstant(out, "valid_from", d.validFrom());
        optInstant(out, "valid_until", d.validUntil());
        array(out, "resource_requirements", d.resourceRequirements(), DocumentWriter::requirement);
        if (d.services() != null) {
            array(out, "services", d.services(), (o, s) -> {
                o.put("service", s.service());
                array(o, "resource_requirements", s.resourceRequirements(), DocumentWriter::requirement);
            });
        }
        if (d.model() != null) {
            model(out, d.model());
        }
        if (d.overridesApplied() != null) {
            array(out, "overrides_applied", d.overridesApplied(), DocumentWriter::overrideApplied);
        }
    }

    private static void overrideApplied(ObjectNode o, OverrideApplied v) {
        o.put("id", v.id());
        o.put("author", v.author());
        o.put("applied_at", v.appliedAt().toString());
        o.put("reason", v.reason());
        optText(o, "service", v.service());
        amount(o, v.value());
    }

    private static void requirement(ObjectNode out, ResourceRequirement r) {
        amount(out, r.amount());
        optNumber(out, "p50", r.p50());
        optNumber(out, "p90", r.p90());
        optNumber(out, "p99", r.p99());
    }

    private static void model(ObjectNode out, ModelInfo model) {
        if (model.parameters() == null) {
            out.put("model", model.name());
            return;
        }
        ObjectNode o = out.putObject("model");
        o.put("name", model.name());
        if (!model.parameters().isEmpty()) {
            ObjectNode parameters = o.putObject("parameters");
            model.parameters().forEach((key, value) -> {
                if (value instanceof String s) {
                    parameters.put(key, s);
                } else if (value instanceof Boolean b) {
                    parameters.put(key, b);
                } else if (value instanceof Long l) {
                    parameters.put(key, l);
                } else {
                    parameters.put(key, (BigDecimal) value);
                }
            });
        }
    }

    private static void fleet(ObjectNode out, FleetState d) {
        schemaVersion(out, d.schemaVersion());
        out.put("fleet_id", d.fleetId());
        out.put("version", d.version());
        out.put("as_of", d.asOf().toString());
        array(out, "services", d.services(), (o, s) -> {
            o.put("name", s.name());
            o.put("sla_tier", s.slaTier());
            array(o, "instance_groups", s.instanceGroups(), (g, group) -> {
                g.put("instance_type", group.instanceType());
                g.put("region", group.region());
                g.put("purchase_option", group.purchaseOption().jsonName());
                g.put("count", group.count());
                array(g, "capacity_per_instance", group.capacityPerInstance(), DocumentWriter::amount);
            });
            array(o, "allocated_resources", s.allocatedResources(), DocumentWriter::amount);
        });
    }

    private static void provisional(ObjectNode out, ProvisionalFleetState d) {
        fleet(out, d.fleet());
        array(out, "provisional_changes", d.provisionalChanges(), (o, c) -> {
            o.put("id", c.id());
            o.put("service", c.service());
            o.put("action", c.action().jsonName());
            o.put("instance_type", c.instanceType());
            o.put("region", c.region());
            o.put("count", c.count());
            o.put("purchase_option", c.purchaseOption().jsonName());
            array(o, "resource_delta", c.resourceDelta(), DocumentWriter::amount);
            o.put("priority", c.priority());
            o.put("sla_reason", c.slaReason());
            number(o, "estimated_cost_per_hour", c.estimatedCostPerHour());
            optNumber(o, "estimated_total_cost", c.estimatedTotalCost());
            o.put("needed_by", c.neededBy().toString());
            o.put("launch_at", c.launchAt().toString());
            o.put("status", c.status().jsonName());
            optText(o, "deferred_reason", c.deferredReason());
            optDuration(o, "lead_time_given_up", c.leadTimeGivenUp().isZero() ? null : c.leadTimeGivenUp());
        });
        ObjectNode basis = out.putObject("basis");
        basis.put("predicted_timestamp", d.basis().predictedTimestamp().toString());
        if (d.basis().horizon() != null) {
            basis.put("horizon", d.basis().horizon().jsonName());
        }
        basis.put("fleet_version", d.basis().fleetVersion());
        digest(basis, "catalogue", d.basis().catalogue());
        digest(basis, "sla_policies", d.basis().slaPolicies());
        if (d.overridesApplied() != null) {
            array(out, "overrides_applied", d.overridesApplied(), DocumentWriter::overrideApplied);
        }
    }

    private static void digest(ObjectNode out, String name, @Nullable InputDigest digest) {
        if (digest != null) {
            ObjectNode o = out.putObject(name);
            o.put("sha256", digest.sha256());
            optText(o, "source", digest.source());
        }
    }

    private static void sla(ObjectNode out, SlaPolicies d) {
        schemaVersion(out, d.schemaVersion());
        out.put("default_tier", d.defaultTier());
        ObjectNode tiers = out.putObject("tiers");
        d.tiers().forEach((name, p) -> {
            ObjectNode o = tiers.putObject(name);
            number(o, "weight", p.weight());
            number(o, "forecast_quantile", p.forecastQuantile());
            number(o, "headroom_fraction", p.headroomFraction());
            number(o, "max_spot_share", p.maxSpotShare());
            o.put("min_on_demand_count", p.minOnDemandCount());
            optStrings(o, "allowed_instance_families", p.allowedInstanceFamilies());
            optStrings(o, "allowed_regions", p.allowedRegions());
            o.put("lead_time", p.leadTime().toString());
            o.put("scale_in_window", p.scaleInWindow().toString());
            o.put("scale_in_cooldown", p.scaleInCooldown().toString());
            optNumber(o, "max_violation_share", p.maxViolationShare());
        });
        array(out, "services", d.services(), (o, s) -> {
            o.put("service", s.service());
            o.put("tier", s.tier());
            optNumber(o, "weight", s.weight());
            optNumber(o, "forecast_quantile", s.forecastQuantile());
            optNumber(o, "headroom_fraction", s.headroomFraction());
            optNumber(o, "max_spot_share", s.maxSpotShare());
            if (s.minOnDemandCount() != null) {
                o.put("min_on_demand_count", s.minOnDemandCount());
            }
            optStrings(o, "allowed_instance_families", s.allowedInstanceFamilies());
            optStrings(o, "allowed_regions", s.allowedRegions());
            optDuration(o, "lead_time", s.leadTime());
            optDuration(o, "scale_in_window", s.scaleInWindow());
            optDuration(o, "scale_in_cooldown", s.scaleInCooldown());
        });
    }

    private static void feed(ObjectNode out, EventFeed d) {
        schemaVersion(out, d.schemaVersion());
        array(out, "events", d.events(), (o, e) -> {
            o.put("id", e.id());
            o.put("type", e.type().jsonName());
            o.put("name", e.name());
            o.put("start", e.start().toString());
            o.put("end", e.end().toString());
            if (e.wholeFleet()) {
                o.put("scope", "fleet");
            } else {
                optStrings(o, "scope", e.scope());
            }
            ExpectedImpact impact = e.expectedImpact();
            if (impact != null) {
                ObjectNode i = o.putObject("expected_impact");
                optNumber(i, "demand_multiplier", impact.demandMultiplier());
                if (impact.additiveUplift() != null) {
                    array(i, "additive_uplift", impact.additiveUplift(), DocumentWriter::amount);
                }
                if (impact.capacityRemoved() != null) {
                    array(i, "capacity_removed", impact.capacityRemoved(), DocumentWriter::amount);
                }
                if (impact.instancesRemoved() != null) {
                    i.put("instances_removed", impact.instancesRemoved());
                }
            }
        });
    }

    private static void catalogue(ObjectNode out, InstanceCatalogue d) {
        schemaVersion(out, d.schemaVersion());
        array(out, "offers", d.offers(), (o, offer) -> {
            o.put("instance_type", offer.instanceType());
            o.put("family", offer.family());
            o.put("region", offer.region());
            number(o, "cpu_cores", offer.cpuCores());
            number(o, "memory_gib", offer.memoryGiB());
            number(o, "bandwidth_gbps", offer.bandwidthGbps());
            number(o, "storage_gib", offer.storageGiB());
            number(o, "on_demand_price_per_hour", offer.onDemandPricePerHour());
            optNumber(o, "spot_price_per_hour", offer.spotPricePerHour());
            number(o, "interruption_rate_per_hour", offer.interruptionRatePerHour());
            o.put("boot_time", offer.bootTime().toString());
        });
    }

    private static void overrides(ObjectNode out, OverrideSet d) {
        schemaVersion(out, d.schemaVersion());
        array(out, "overrides", d.overrides(), (o, v) -> {
            o.put("id", v.id());
            o.put("action", v.action().jsonName());
            optText(o, "service", v.service());
            if (v.amount() != null) {
                amount(o, v.amount());
            } else if (v.resourceType() != null) {
                o.put("resource_type", v.resourceType().jsonName());
            }
            optNumber(o, "factor", v.factor());
            o.put("start", v.start().toString());
            o.put("expiry", v.expiry().toString());
            o.put("author", v.author());
            o.put("reason", v.reason());
        });
    }
}
