package io.fleetpredict.core.feedback;

import io.fleetpredict.core.document.ExpertOverride;
import java.util.Locale;
import java.util.Objects;

/**
 * An override active at a prediction's timestamp that matched no requirement in it, so it changed nothing:
 * its service is not in the prediction, or its scope has no requirement of its resource type. Most often a
 * misspelt service or an override written for another fleet.
 *
 * @param override the override
 * @param problem why it matched nothing, for example {@code no service "chekout" in the prediction}
 */
public record UnmatchedOverride(ExpertOverride override, String problem) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the problem is blank
     */
    public UnmatchedOverride {
        Objects.requireNonNull(override, "override");
        Objects.requireNonNull(problem, "problem");
        if (problem.isBlank()) {
            throw new IllegalArgumentException("problem: must not be blank");
        }
    }

    /**
     * Says which override matched nothing and why, in one line.
     *
     * @return for example {@code override "typo" (floor on chekout/CPU) matched nothing: no service "chekout" in
     *     the prediction}
     */
    public String describe() {
        return String.format(Locale.ROOT, "override \"%s\" (%s on %s) matched nothing: %s", override.id(),
                override.action().jsonName(), ExpertOverrides.scope(override), problem);
    }
}
