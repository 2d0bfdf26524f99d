/**
 * The feedback loop: how predictions fare against actuals, when a model has drifted, expert overrides and
 * the audit log. The loop's refits on drift are made by its predict step ({@code io.fleetpredict.core.loop}).
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.core.feedback;

import org.jspecify.annotations.NullMarked;
