package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
/** The parts of a NodePool the provider reads: its requirements and its node class. */
final class NodePoolSpec {
    private final Map<String, List<String>> in = new LinkedHashMap<>();
    private final @Nullable Map<String, Object> nodeClassRef;

    @SuppressWarnings("unchecked")
    NodePoolSpec(GenericKubernetesResource p) {
        Map<String, Object> spec = (Map<String, Object>) p.getAdditionalProperties().getOrDefault("spec", Map.of());
        Map<String, Object> template = (Map<String, Object>) spec.getOrDefault("template", Map.of());
        Map<String, Object> tspec = (Map<String, Object>) template.getOrDefault("spec", Map.of());
        for (Map<String, Object> r : (List<Map<String, Object>>) tspec.getOrDefault("requirements", List.of())) {
            if ("In".equals(r.get("operator"))) {
                in.put((String) r.get("key"), (List<String>) r.get("values"));
            }
        }
        nodeClassRef = (Map<String, Object>) tspec.get("nodeClassRef");
    }

    /** Whether the pool allows a value of a label: an unconstrained label allows any. */
    boolean allows(String key, String value) {
        List<String> values = in.get(key);
        return values == null || values.contains(value);
    }

    Optional<List<String>> values(String key) {
        return Optional.ofNullable(in.get(key));
    }

    Optional<Map<String, Object>> nodeClassRef() {
        return Optional.ofNullable(nodeClassRef);
    }
}
