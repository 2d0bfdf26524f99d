/**
 * fleetpredict bench.
 *
 * <p>Nothing in this package is null unless marked {@code @Nullable}; NullAway checks it at compile time.
 */
@NullMarked
package io.fleetpredict.bench;

import org.jspecify.annotations.NullMarked;
