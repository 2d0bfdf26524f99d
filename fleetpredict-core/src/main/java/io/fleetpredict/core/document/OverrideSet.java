package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Expert overrides kept as a document, so they can live in version control next to the SLA policies.
 *
 * <p>JSON: {@code {"schema_version"?, "overrides": [...]}}, each element an {@link ExpertOverride}.
 *
 * @param schemaVersion the {@code schema_version}, or {@code null} when absent
 * @param overrides the overrides, unique by id (may be empty)
 */
public record OverrideSet(@Nullable Integer schemaVersion, List<ExpertOverride> overrides) implements Document {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when ids repeat
     */
    public OverrideSet {
        Documents.checkSchemaVersion(schemaVersion);
        overrides = Checks.list("overrides", overrides);
        Checks.unique("overrides", overrides, ExpertOverride::id);
    }

    @Override
    public DocumentKind kind() {
        return DocumentKind.OVERRIDES;
    }
}
