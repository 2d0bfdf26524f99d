/**
 * How a service's resource use follows its activity: a robust regression of, say, CPU cores on
 * transactions and sessions, fitted on the fleet's own history, with its fit quality.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
package io.fleetpredict.core.demand;
