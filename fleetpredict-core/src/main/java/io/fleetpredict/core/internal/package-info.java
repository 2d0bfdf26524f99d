/**
 * Machinery the core library's packages share and that is not part of its API: public only so that the
 * packages can reach it, with no compatibility promise between versions.
 *
 * <p>Every parameter and return value in this package is non-null unless annotated {@code @Nullable}.
 */
@NullMarked
package io.fleetpredict.core.internal;

import org.jspecify.annotations.NullMarked;
