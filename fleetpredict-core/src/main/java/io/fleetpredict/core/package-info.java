/**
 * fleetpredict core.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
package io.fleetpredict.core;
