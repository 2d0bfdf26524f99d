/**
 * History and activity read from a Prometheus server over its HTTP API.
 *
 * <p>A {@link io.fleetpredict.prometheus.PrometheusSource} runs range queries ({@code /api/v1/query_range})
 * split into pages under the server's point limit, and instant queries ({@code /api/v1/query}) for the
 * latest point, with timeouts and retries. A {@link io.fleetpredict.prometheus.QuerySet} maps one PromQL
 * expression to each series the predictor needs: a service's use of a resource in a unit, or one of its
 * activity metrics. Steps the server has no sample for (never scraped, or after a stale marker) are gaps,
 * filled by the caller's {@link io.fleetpredict.forecast.GapPolicy} or, when fed into an
 * {@link io.fleetpredict.core.monitor.ActivityMonitor}, by the monitor's gap fill.
 *
 * <p>Every parameter and return value in this package is non-null unless documented otherwise.
 */
@NullMarked
package io.fleetpredict.prometheus;

import org.jspecify.annotations.NullMarked;
