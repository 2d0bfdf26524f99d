/**
 * Forecasting for regular time series, with no fleet concepts.
 *
 * <p>A {@link io.fleetpredict.forecast.Forecaster} is a model specification; {@code fit} turns a
 * {@link io.fleetpredict.forecast.TimeSeries} into an immutable, thread-safe
 * {@link io.fleetpredict.forecast.FittedModel}, which yields a
 * {@link io.fleetpredict.forecast.Forecast} (point forecasts and prediction intervals) and takes new
 * observations without a full refit. {@link io.fleetpredict.forecast.Forecasters} holds the models.
 *
 * <p>Nothing in this package is null unless marked {@code @Nullable}; NullAway checks it at compile time.
 */
@NullMarked
package io.fleetpredict.forecast;

import org.jspecify.annotations.NullMarked;
