/**
 * The feedback loop: how predictions fare against actuals, when a model has drifted, and retraining.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
package io.fleetpredict.core.feedback;
