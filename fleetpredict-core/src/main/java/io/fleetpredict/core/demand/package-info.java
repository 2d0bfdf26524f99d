/**
 * How a service's resource use follows its activity: a robust regression of, say, CPU cores on
 * transactions and sessions, fitted on the fleet's own history, with its fit quality.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.core.demand;

import org.jspecify.annotations.NullMarked;
