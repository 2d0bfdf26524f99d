/**
 * Turns streams of timestamped observations (sessions, page views, transactions, and per-service CPU,
 * memory, bandwidth and storage usage) into regular time series, one per metric.
 *
 * <p>An {@link io.fleetpredict.core.monitor.ActivityMonitor} is built once with its metrics, step,
 * lateness window, retention and {@link java.time.Clock}, then takes observations from any number of
 * threads. {@link io.fleetpredict.core.monitor.ActivityMonitor#series} returns a
 * {@link io.fleetpredict.core.monitor.MonitoredSeries}: the closed buckets of the retained window as a
 * {@link io.fleetpredict.forecast.TimeSeries}, with the gap-filled indices marked.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise;
 * a {@code null} argument fails fast with a {@link java.lang.NullPointerException} naming it.
 */
@NullMarked
package io.fleetpredict.core.monitor;

import org.jspecify.annotations.NullMarked;
