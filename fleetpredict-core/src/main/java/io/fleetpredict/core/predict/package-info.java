/**
 * Prediction: from a fleet's history (resource use and activity per service) and its event feed to one
 * predicted fleet state per horizon.
 *
 * <p>A {@link io.fleetpredict.core.predict.Predictor} (built once) fits a
 * {@link io.fleetpredict.core.predict.FleetModel} on a {@link io.fleetpredict.core.predict.FleetHistory};
 * the model predicts a {@link io.fleetpredict.core.predict.Prediction}, absorbs new actuals online with
 * {@link io.fleetpredict.core.predict.FleetModel#update} and re-estimates everything with
 * {@link io.fleetpredict.core.predict.FleetModel#refit}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.core.predict;

import org.jspecify.annotations.NullMarked;
