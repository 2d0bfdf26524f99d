/**
 * The JSON documents fleetpredict reads and writes, as validated records, and their codec
 * {@link io.fleetpredict.core.document.Documents}.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable};
 * record components annotated so, and documented as "{@code null} when absent", mirror optional JSON
 * fields.
 */
@NullMarked
package io.fleetpredict.core.document;

import org.jspecify.annotations.NullMarked;
