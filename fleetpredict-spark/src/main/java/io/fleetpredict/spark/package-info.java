/**
 * Forecasting and evaluation of many series on Apache Spark, through the same
 * {@link io.fleetpredict.forecast.Forecaster} API as in one process.
 *
 * <p>{@link io.fleetpredict.spark.SparkForecasting} takes a long-format {@code Dataset<Row>} (one row per
 * series and time: {@code series_id}, {@code timestamp}, {@code value}, optional regressor columns), fits each
 * series independently on the executors, and returns forecasts or per-series errors as Datasets. A
 * {@link io.fleetpredict.spark.ForecastSpec} says what to forecast; a {@link io.fleetpredict.spark.ModelSource}
 * says with which model, in a form Spark can ship to the executors. {@link io.fleetpredict.spark.ForecastJob}
 * runs the same from {@code spark-submit}.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.spark;

import org.jspecify.annotations.NullMarked;
