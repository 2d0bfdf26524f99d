package io.fleetpredict.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void pretty_nestedTree_isKeyColonBlankValueIndentedByTwoSpaces() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("c", "d");
        inner.put("e", null);
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", List.of(1, 2));
        tree.put("b", inner);
        tree.put("f", List.of(Map.of("g", true)));
        tree.put("h", Map.of());

        assertEquals("""
                {
                  "a": [ 1, 2 ],
                  "b": {
                    "c": "d",
                    "e": null
                  },
                  "f": [ {
                    "g": true
                  } ],
                  "h": { }
                }
                """, Json.pretty(tree));
    }

    @Test
    void pretty_tree_readsBackEqual() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("count", 2);
        tree.put("price", new BigDecimal("0.096"));
        tree.put("ids", List.of("i-1", "i-2"));
        tree.put("nested", Map.of("when", "2025-03-01T12:00:00Z"));

        assertEquals(tree, Json.read(Json.pretty(tree)));
    }

    @Test
    void compact_tree_hasNoWhiteSpace() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("a", List.of(1, 2));
        tree.put("b", Map.of("c", "d"));

        assertEquals("{\"a\":[1,2],\"b\":{\"c\":\"d\"}}", Json.compact(tree));
    }
}
