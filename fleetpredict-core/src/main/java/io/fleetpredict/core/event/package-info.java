/**
 * What external events do to demand: the uplift of a recurring event type learned from the history
 * around its past occurrences, and its application to a forecast.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.core.event;

import org.jspecify.annotations.NullMarked;
