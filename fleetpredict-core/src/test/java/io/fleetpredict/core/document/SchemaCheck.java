package io.fleetpredict.core.document;

import java.util.Set;

/**
 * Validates JSON against the repository's schemas in docs/schemas, for tests in any package or module
 * (it travels in core's test-jar).
 */
public final class SchemaCheck {

    private SchemaCheck() {
    }

    /**
     * The schema violations of a JSON text.
     *
     * @param kind which document's schema to validate against
     * @param json the text
     * @return readable violations, sorted; empty when the text validates
     */
    public static Set<String> errors(DocumentKind kind, String json) {
        return DocumentFixtures.schemaErrors(kind, json);
    }
}
