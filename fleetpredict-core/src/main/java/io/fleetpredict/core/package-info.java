/**
 * fleetpredict core: resource types, units and amounts, and the exceptions core throws.
 *
 * <p>The JSON documents and their codec are in {@link io.fleetpredict.core.document}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.core;

import org.jspecify.annotations.NullMarked;
