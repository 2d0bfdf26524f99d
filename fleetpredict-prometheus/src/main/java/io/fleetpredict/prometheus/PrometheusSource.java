package io.fleetpredict.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.IngestReport;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.Observation;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.provision.Sleeper;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.TimeSeries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads series from a Prometheus server's HTTP API ({@code /api/v1/query_range} and {@code /api/v1/query}).
 *
 * <h2>Ranges and pages</h2>
 * A range is evaluated at {@code start}, {@code start + step}, ... up to {@code end}. Prometheus refuses a
 * query of more than 11,000 points per series, so a long range is split into consecutive pages of at
 * most {@linkplain Builder#maxPointsPerRequest the point limit} and stitched back on one grid.
 *
 * <h2>Gaps</h2>
 * A step the server returns no point for (the series was not scraped, or had a stale marker) or a
 * {@code NaN} point is a gap. {@link #range} fills gaps by the given {@link GapPolicy}; {@link #feed} leaves
 * the bucket empty so the {@link ActivityMonitor}'s own gap fill decides. An infinite value is an error.
 * The steps before a series' first point and after its last are not gaps: {@link #range} and {@link #history}
 * start a series at its first point and end it at its last.
 *
 * <h2>Dating</h2>
 * A monitor's bucket and a history's value dated {@code t} hold {@code [t, t + step)}, while a windowed
 * expression evaluated at {@code t} covers the step that ends at {@code t}. {@link Dating#STEP_START} (a
 * {@link QuerySet}'s {@code dating}, or the last argument of {@code range}, {@code samples} and {@code feed})
 * evaluates each point at the end of its step and dates it at the step's start, so that
 * {@code avg_over_time(x[15m])} at a 15-minute step gives each bucket its own samples.
 *
 * <h2>Warnings and partial answers</h2>
 * An answer can succeed with {@code warnings}: a Prometheus whose remote read failed, or a Thanos, Cortex or
 * Mimir some of whose stores did not answer, returns the points it has, and the missing ones would be gaps.
 * By default ({@link WarningPolicy#REFUSE}) every query asks for no partial response ({@code
 * partial_response=false}, honoured by Thanos, ignored by Prometheus) and an answer with warnings is refused
 * with a {@link PrometheusWarningsException} naming the query and the warnings. Under
 * {@link WarningPolicy#ACCEPT} the points are used and the warnings go to the
 * {@linkplain Builder#warningListener listener} as {@link AnswerWarnings}. An answer's {@code infos}
 * (advice, such as a counter not named {@code _total}) are logged at INFO and never refuse it.
 *
 * <h2>Failures</h2>
 * Each request has a {@linkplain Builder#timeout timeout}, which covers the whole answer (a body that stalls
 * after its headers times out too) and is also passed to the server so it stops evaluating. An answer longer
 * than {@linkplain Builder#maxResponseBytes the size limit} is cut off and refused; answers are asked for
 * gzip-compressed and expanded up to the same limit. Of an error (a status other than 200, or a 200 whose
 * {@code status} field, within its first 64 KiB, says {@code error}) only the first 64 KiB are read, for the
 * message; an error whose body is in an encoding not asked for is named by its HTTP status all the same, and
 * retried as that status says. A redirect that keeps the
 * POST (307, 308) is followed (up to 5, never from https to http); one an HTTP client turns into a GET without
 * the query (301, 302, 303) is not sent but an error naming where it points; one without a {@code Location}
 * header is an error saying so. An error after a redirect names the address tried and the one it was
 * redirected from.
 * Transient failures (connection refused or reset, timeouts, HTTP 408, 429 and 5xx) are retried with
 * exponential backoff and jitter, honouring {@code Retry-After}; a query the server rejects as written
 * (HTTP 400 {@code bad_data}, 422 {@code execution}) fails at once. Each query has a
 * {@linkplain Builder#deadline deadline} across its redirects and retries. Every failure is a
 * {@link PrometheusException} naming the query.
 *
 * <p>Immutable and thread-safe.
 */
public final class PrometheusSource {

    private final PrometheusApi api;
    private final int maxPointsPerRequest;
    private final Clock clock;

    private PrometheusSource(Builder b) {
        String s = b.base.toString();
        HttpClient http = b.http != null ? b.http
                : HttpClient.newBuilder().connectTimeout(b.timeout).build(); // it follows no redirect: the API does
        this.api = new PrometheusApi(URI.create(s.endsWith("/") ? s : s + "/"), http, b.timeout, b.maxAttempts,
                b.initialBackoff, b.maxBackoff, b.maxResponseBytes, Map.copyOf(b.headers), b.sleeper,
                b.deadline != null ? b.deadline : PrometheusApi.defaultDeadline(b.timeout, b.maxAttempts, b.maxBackoff),
                b.clock, b.warningPolicy, b.warningListener);
        this.maxPointsPerRequest = b.maxPointsPerRequest;
        this.clock = b.clock;
    }

    /**
     * A builder for a source reading from one server.
     *
     * @param baseUrl the server's address, such as {@code http://prometheus:9090} or one with a path prefix
     * @return a builder with a 30-second timeout, 4 attempts, backoff from 200 ms to 10 s, a deadline of
     *     3 minutes per query (derived from those), an 11,000-point page and answers of at most 64 MiB
     * @throws IllegalArgumentException unless the address is absolute http or https, without credentials
     *     (give them as a {@linkplain Builder#header header}), a query or a fragment
     */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * The points of a range query, in time order, gaps left out, each dated when it was evaluated
     * ({@link Dating#EVALUATION_TIME}).
     *
     * @param promql the expression; must return at most one series
     * @param start the first evaluation time, taken to the millisecond (Prometheus's timestamps are whole
     *     milliseconds)
     * @param end the last evaluation time (the last grid point at or before it is evaluated)
     * @param step the time between evaluations; positive, whole milliseconds
     * @return the points
     * @throws PrometheusException if the server rejects the query, returns more than one series or an
     *     infinite value, or cannot be reached within the retries and the deadline; a
     *     {@link PrometheusWarningsException} if an answer came with warnings under {@link WarningPolicy#REFUSE}
     * @throws IllegalArgumentException if {@code end} is before {@code start}, the step is invalid, or the
     *     range is beyond the millisecond timestamps Prometheus uses
     */
    public List<Sample> samples(String promql, Instant start, Instant end, Duration step) {
        return samples(promql, start, end, step, Dating.EVALUATION_TIME);
    }

    /**
     * The points of a range query on the grid {@code start, start + step, ...}, in time order, gaps left out.
     *
     * @param promql the expression; must return at most one series
     * @param start the first grid time, taken to the millisecond
     * @param end the last grid time (the last grid time at or before it is read)
     * @param step the time between points; positive, whole milliseconds
     * @param dating which time a point is dated: under {@link Dating#STEP_START} the point dated {@code t} is the
     *     expression evaluated at {@code t + step - 1 ms}, and grid times whose step has not ended by the source's
     *     clock are not read
     * @return the points; none when no step of the range has ended, under {@link Dating#STEP_START}
     * @throws PrometheusException as {@link #samples(String, Instant, Instant, Duration)}
     * @throws IllegalArgumentException as {@link #samples(String, Instant, Instant, Duration)}
     */
    public List<Sample> samples(String promql, Instant start, Instant end, Duration step, Dating dating) {
        Objects.requireNonNull(dating, "dating");
        Instant from = start.truncatedTo(ChronoUnit.MILLIS);
        @Nullable GridPoints points = read(promql, from, end, step, dating);
        List<Sample> out = new ArrayList<>();
        for (int i = 0; points != null && i < points.size(); i++) {
            if (!Double.isNaN(points.value(i))) {
                out.add(new Sample(from.plus(step.multipliedBy(points.index(i))), points.value(i)));
            }
        }
        return out;
    }

    /**
     * A range query as a regular series, its points dated when they were evaluated
     * ({@link Dating#EVALUATION_TIME}); see {@link #range(String, Instant, Instant, Duration, GapPolicy, Dating)}.
     *
     * @param promql the expression; must return at most one series
     * @param start the first evaluation time, taken to the millisecond
     * @param end the last evaluation time
     * @param step the series' step; positive, whole milliseconds
     * @param gaps how steps without a point between the first point and the last are filled
     * @return the series, from its first point to its last
     * @throws PrometheusException as {@link #samples(String, Instant, Instant, Duration)}, or if the range has no
     *     point at all or a gap under {@link GapPolicy#REJECT} (the message names the time)
     * @throws NullPointerException if {@code gaps} is null, before any request
     */
    public TimeSeries range(String promql, Instant start, Instant end, Duration step, GapPolicy gaps) {
        return range(promql, start, end, step, gaps, Dating.EVALUATION_TIME);
    }

    /**
     * A range query as a regular series on the grid {@code start, start + step, ...}, from the series' first
     * point to its last, the gaps between them filled.
     *
     * <p>Steps before the first point are not gaps: the series did not exist yet (a new service, a new recording
     * rule, a renamed metric), and filling them would invent a history as long as the range asked for. Steps
     * after the last point are not gaps either: the series stopped (or has not been written yet), and a forecast
     * fitted on values carried past its end would repeat them as if they had been seen. So the series starts at
     * its first point and ends at its last, as a CSV history does; a {@code FleetHistory} takes series that start
     * and end at different times on one grid, and a prediction warns of a series that ends well before the rest.
     * Only the steps between the first point and the last are gaps, filled by {@code gaps}.
     *
     * @param promql the expression; must return at most one series
     * @param start the first grid time, taken to the millisecond
     * @param end the last grid time (the last grid time at or before it is read)
     * @param step the series' step; positive, whole milliseconds
     * @param gaps how steps without a point between the first point and the last are filled
     * @param dating which time a point is dated: under {@link Dating#STEP_START} the point dated {@code t} is the
     *     expression evaluated at {@code t + step - 1 ms}, and grid times whose step has not ended by the source's
     *     clock are not read
     * @return the series, from its first point to its last
     * @throws PrometheusException as {@link #samples(String, Instant, Instant, Duration)}, or if the range has no
     *     point at all or a gap under {@link GapPolicy#REJECT} (the message names the time)
     * @throws NullPointerException if {@code gaps} or {@code dating} is null, before any request
     */
    public TimeSeries range(String promql, Instant start, Instant end, Duration step, GapPolicy gaps, Dating dating) {
        Objects.requireNonNull(gaps, "gaps");
        Objects.requireNonNull(dating, "dating");
        Objects.requireNonNull(promql, "promql");
        Instant from = start.truncatedTo(ChronoUnit.MILLIS);
        String shown = PrometheusApi.shown(promql);
        @Nullable GridPoints points = read(promql, from, end, step, dating);
        if (points == null) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: no data from %s to %s: no step"
                    + " of the range has ended by %s", shown, start, end, clock.instant()), false);
        }
        int first = points.firstNumber();
        if (first < 0) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: no data from %s to %s",
                    shown, start, end), false);
        }
        double[] observed = Arrays.copyOfRange(points.dense(), first, points.lastNumber() + 1);
        try {
            return TimeSeries.filled(from.plus(step.multipliedBy(first)), step, observed, gaps);
        } catch (IllegalArgumentException e) {
            throw new PrometheusException("query " + shown + ": " + e.getMessage(), false, e);
        }
    }

    /**
     * The history of a set of queries over one range: each usage query becomes a usage series, each
     * activity query an activity series, all on the grid {@code start, start + step, ...} and dated as the set
     * says ({@link QuerySet#dating()}). Each series runs from its own first point to its last, as
     * {@link #range(String, Instant, Instant, Duration, GapPolicy, Dating) range} reads it: a service that began
     * reporting after {@code start} has a shorter history, not one padded with invented values, and its series
     * stay on the one grid, as a {@code FleetHistory} needs.
     *
     * @param queries the expressions, their step and dating
     * @param start the first grid time
     * @param end the last grid time
     * @param gaps how steps without a point between a series' first point and its last are filled
     * @return the history
     * @throws PrometheusException as {@link #range}, the message naming the series
     * @throws IllegalArgumentException if the queries do not make a history (no resource usage query, or
     *     an activity of a service without usage), before any request
     * @throws NullPointerException if {@code gaps} is null, before any request
     */
    public FleetHistory history(QuerySet queries, Instant start, Instant end, GapPolicy gaps) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(gaps, "gaps");
        // What FleetHistory would refuse once every range is in, refused before the first is asked for.
        Set<String> withUsage = queries.queries().stream().filter(SeriesQuery.Usage.class::isInstance)
                .map(q -> ((SeriesQuery.Usage) q).service()).collect(Collectors.toSet());
        if (withUsage.isEmpty()) {
            throw new IllegalArgumentException("queries make no history: there is no resource usage query, only "
                    + queries.queries().stream().map(SeriesQuery::name).collect(Collectors.joining(", ")));
        }
        for (SeriesQuery q : queries.queries()) {
            if (q instanceof SeriesQuery.Activity a && !withUsage.contains(a.service())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "queries make no history: activity %s"
                        + " is of service '%s', which has no resource usage query", a.name(), a.service()));
            }
        }
        FleetHistory.Builder b = FleetHistory.builder();
        for (SeriesQuery q : queries.queries()) {
            TimeSeries s;
            try {
                s = range(q.promql(), start, end, queries.step(), gaps, queries.dating());
            } catch (PrometheusException e) {
                throw e.named(q.name());
            }
            if (q instanceof SeriesQuery.Usage u) {
                b.usage(u.service(), u.type(), u.unit(), s);
            } else {
                SeriesQuery.Activity a = (SeriesQuery.Activity) q;
                b.activity(a.service(), a.metric(), s);
            }
        }
        return b.build();
    }

    /**
     * Records a range query's points into a monitor, one observation per point at the point's time,
     * evaluated at the monitor's step and dated when evaluated ({@link Dating#EVALUATION_TIME}). Steps without a
     * point record nothing, so the monitor's gap fill for the metric applies to them.
     *
     * @param monitor the monitor; the metric must be registered
     * @param metric the metric the points are observations of
     * @param promql the expression; must return at most one series
     * @param start the first evaluation time
     * @param end the last evaluation time
     * @return the monitor's report of the batch (late points are counted there, never dropped silently)
     * @throws PrometheusException as {@link #samples(String, Instant, Instant, Duration)}
     */
    public IngestReport feed(ActivityMonitor monitor, MetricKey metric, String promql, Instant start, Instant end) {
        return feed(monitor, metric, promql, start, end, Dating.EVALUATION_TIME);
    }

    /**
     * Records a range query's points into a monitor, one observation per point at the time it is dated, at the
     * monitor's step. Under {@link Dating#STEP_START} an expression over one step ({@code avg_over_time(x[15m])}
     * for a mean gauge, {@code increase(x[15m])} for a counter) so gives each bucket its own window. Steps without
     * a point record nothing, so the monitor's gap fill for the metric applies to them.
     *
     * @param monitor the monitor; the metric must be registered
     * @param metric the metric the points are observations of
     * @param promql the expression; must return at most one series
     * @param start the first grid time
     * @param end the last grid time
     * @param dating which time a point is dated, as {@link #samples(String, Instant, Instant, Duration, Dating)}
     * @return the monitor's report of the batch (late points are counted there, never dropped silently)
     * @throws PrometheusException as {@link #samples(String, Instant, Instant, Duration)}
     */
    public IngestReport feed(ActivityMonitor monitor, MetricKey metric, String promql, Instant start, Instant end,
            Dating dating) {
        Objects.requireNonNull(metric, "metric");
        List<Observation> batch = samples(promql, start, end, monitor.step(), dating).stream()
                .map(p -> Observation.of(metric, p.time(), p.value())).toList();
        return monitor.recordAll(batch);
    }

    /**
     * The value of an instant query: the latest point at or before {@code at} within the server's
     * lookback (5 minutes by default). Prometheus dates the point at the evaluation time, {@code at} to the
     * millisecond, whatever offset or {@code @} modifier the expression holds.
     *
     * <p>A point dated after {@code at} is not a value at {@code at}, and it is refused rather than taken or
     * passed over: the server did not evaluate the query at the time asked (a server or proxy that ignores the
     * {@code time} parameter and evaluates at its own clock's now, or a cache that answers for another time),
     * so leaving it out would report an answer that says nothing of {@code at} as a series without a point.
     *
     * @param promql the expression; must return at most one series
     * @param at the evaluation time
     * @return the point, or empty if the series has none there (absent, stale or {@code NaN})
     * @throws PrometheusException if the server rejects the query, returns more than one series, a native
     *     histogram sample or a point dated after {@code at} (the message names the query and both times), or
     *     cannot be reached within the retries and the deadline; a {@link PrometheusWarningsException} if the
     *     answer came with warnings under {@link WarningPolicy#REFUSE}
     * @throws IllegalArgumentException if {@code at} is beyond the millisecond timestamps Prometheus uses
     */
    public Optional<Sample> latest(String promql, Instant at) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", promql);
        long atMillis = epochMillis("at", at);
        form.put("time", PrometheusApi.seconds(atMillis));
        StreamedAnswer answer = api.call("api/v1/query", form, promql, at, at, null);
        String shown = PrometheusApi.shown(promql);
        String type = answer.resultType();
        if (type.equals("scalar")) {
            return point(shown, answer.result(), atMillis);
        }
        if (!type.equals("vector")) {
            throw new PrometheusException(String.format(Locale.ROOT,
                    "query %s: expected an instant vector, got %s", shown, kind(type)), false);
        }
        if (!answer.single()) {
            return Optional.empty();
        }
        answer.noHistograms();
        return point(shown, answer.value(), atMillis);
    }

    /** The point of an instant query evaluated at {@code atMillis}, which must not be dated after it. */
    private static Optional<Sample> point(String promql, @Nullable JsonNode node, long atMillis) {
        JsonNode pair = StreamedAnswer.pair(promql, node);
        long millis = StreamedAnswer.millis(promql, pair.get(0));
        if (millis > atMillis) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: the server returned a point at %s"
                    + " for the evaluation time %s; a point after the time asked for is not the value then (the"
                    + " server did not evaluate the query at that time)", promql, Instant.ofEpochMilli(millis),
                    Instant.ofEpochMilli(atMillis)), false);
        }
        double v = StreamedAnswer.value(promql, pair.get(1), millis);
        return Double.isNaN(v) ? Optional.empty() : Optional.of(new Sample(Instant.ofEpochMilli(millis), v));
    }

    /**
     * The points of a range on the grid {@code from, from + step, ...} as {@code dating} dates them, by their index
     * on that grid; null when, dated at the step's start, no step of the range has ended by the clock.
     */
    private @Nullable GridPoints read(String promql, Instant from, Instant end, Duration step, Dating dating) {
        if (dating == Dating.EVALUATION_TIME) {
            return grid(promql, from, end, step, Duration.ZERO);
        }
        Objects.requireNonNull(promql, "promql");
        checkStep(step);
        if (end.isBefore(from)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "end %s is before start %s", end, from));
        }
        // The point dated t is evaluated at its step's last millisecond; a step still running would be read over
        // part of its window, so the range stops at the last step that has ended.
        Duration lag = step.minusMillis(1);
        Instant evaluatedFrom = from.plus(lag);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant evaluatedTo = end.plus(lag).isAfter(now) ? now : end.plus(lag);
        return evaluatedTo.isBefore(evaluatedFrom) ? null : grid(promql, evaluatedFrom, evaluatedTo, step, lag);
    }

    private static void checkStep(Duration step) {
        if (step.isNegative() || step.isZero() || step.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("step must be positive whole milliseconds, was " + step);
        }
    }

    /**
     * The points of the range by their index on its grid; {@code lag} is how long after the time a point is dated
     * it is evaluated, for a message about a point off the grid.
     */
    private GridPoints grid(String promql, Instant start, Instant end, Duration step, Duration lag) {
        Objects.requireNonNull(promql, "promql");
        String shown = PrometheusApi.shown(promql);
        checkStep(step);
        if (end.isBefore(start)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "end %s is before start %s", end, start));
        }
        long startMs = epochMillis("start", start);
        long endMs = epochMillis("end", end);
        long count;
        try {
            count = Math.subtractExact(endMs, startMs) / step.toMillis() + 1;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the range from %s to %s at a step of %s is beyond the millisecond timestamps Prometheus uses",
                    start, end, step), e);
        }
        long stepMs = step.toMillis();
        if (count > 50_000_000L) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the range has %d points of %s; use a longer step", count, step));
        }
        GridPoints points = new GridPoints((int) count);
        @Nullable JsonNode seriesLabels = null;
        for (long first = 0; first < count; first += maxPointsPerRequest) {
            long last = Math.min(count, first + maxPointsPerRequest) - 1;
            Map<String, String> form = new LinkedHashMap<>();
            form.put("query", promql);
            form.put("start", PrometheusApi.seconds(startMs + first * stepMs));
            form.put("end", PrometheusApi.seconds(startMs + last * stepMs));
            form.put("step", PrometheusApi.seconds(stepMs));
            int pageStart = points.size();
            StreamedAnswer answer = api.call("api/v1/query_range", form, promql,
                    Instant.ofEpochMilli(startMs + first * stepMs), Instant.ofEpochMilli(startMs + last * stepMs),
                    new StreamedAnswer.Page(points, start, step, lag, first, last));
            String type = answer.resultType();
            if (!type.equals("matrix")) {
                throw new PrometheusException(String.format(Locale.ROOT,
                        "query %s: expected a range vector, got %s", shown, kind(type)), false);
            }
            if (!answer.single()) {
                continue;
            }
            // Pages are one query cut in time: a series whose labels change from page to page is two
            // series, which one request over the whole range would have refused.
            JsonNode labels = answer.labels();
            if (seriesLabels == null) {
                seriesLabels = labels;
            } else if (!seriesLabels.equals(labels)) {
                throw new PrometheusException(String.format(Locale.ROOT,
                        "query %s: returned the series %s before %s and %s from there; it must return one"
                                + " (aggregate it, e.g. sum(...))", shown, StreamedAnswer.shorten(seriesLabels),
                        Instant.ofEpochMilli(startMs + first * stepMs), StreamedAnswer.shorten(labels)), false);
            }
            if (!answer.values()) {
                continue; // Prometheus leaves the field out of a series without float points
            }
            int twice = points.order(pageStart);
            if (twice >= 0) {
                throw new PrometheusException(String.format(Locale.ROOT, "query %s: the server returned two points"
                        + " at %s", shown, Instant.ofEpochMilli(startMs + twice * stepMs)), false);
            }
        }
        return points;
    }

    /** A result type as a message names it. */
    private static String kind(String type) {
        return type.isEmpty() ? "an answer without a result type"
                : "a " + PrometheusApi.cut(type, 100);
    }

    private static long epochMillis(String what, Instant t) {
        try {
            return t.toEpochMilli();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s is beyond the millisecond timestamps Prometheus uses", what, t), e);
        }
    }

    /** The wait before retry {@code attempt + 1}: see {@link PrometheusApi#backoff}. */
    Duration backoff(int attempt, @Nullable Duration retryAfter) {
        return api.backoff(attempt, retryAfter);
    }

    /**
     * The longest request timeout: the longest whole count of milliseconds whose nanoseconds fit a signed
     * 64-bit integer (about 292 years), since Prometheus reads the {@code timeout} sent with each query as
     * Go's {@code time.Duration} and refuses a longer one with HTTP 400.
     */
    static final Duration MAX_TIMEOUT = Duration.ofMillis(Long.MAX_VALUE / 1_000_000);

    /** Configures a {@link PrometheusSource}. */
    public static final class Builder {
        private final URI base;
        private @Nullable HttpClient http;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private int maxPointsPerRequest = 11_000;
        private int maxResponseBytes = 64 << 20;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Sleeper sleeper = Sleeper.system();
        private @Nullable Duration deadline;
        private Clock clock = Clock.systemUTC();
        private WarningPolicy warningPolicy = WarningPolicy.REFUSE;
        private Consumer<AnswerWarnings> warningListener = w -> { };

        private Builder(URI base) {
            Objects.requireNonNull(base, "baseUrl");
            if (!base.isAbsolute() || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))
                    || base.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an absolute http or https address, was " + base);
            }
            if (base.getRawUserInfo() != null) {
                // the HTTP client would not send them, and the address shows in every error message
                throw new IllegalArgumentException("baseUrl must not hold credentials; send them with"
                        + " header(\"Authorization\", ...)");
            }
            if (base.getRawQuery() != null || base.getRawFragment() != null) {
                // the API's paths are resolved against the address, which drops a query and a fragment
                throw new IllegalArgumentException("baseUrl must not have a query or a fragment, was " + base);
            }
            this.base = base;
        }

        /**
         * The longest a request may take, and the evaluation timeout sent to the server.
         *
         * @param timeout positive and at most {@code PT2562047H47M16.854S} (about 292 years, the longest
         *     Prometheus takes: it reads the timeout as a count of nanoseconds in a signed 64-bit integer)
         * @return this builder
         * @throws IllegalArgumentException if the timeout is not positive or longer than that
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive, was " + timeout);
            }
            if (timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "timeout must be at most %s (about"
                        + " 292 years, the longest Prometheus takes as a query's timeout), was %s", MAX_TIMEOUT,
                        timeout));
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * How many times a transiently failing request is tried in all.
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The wait before the first retry, doubled for each further one up to {@code max}; each wait is
         * drawn between half and all of that.
         *
         * @param initial not negative
         * @param max at least {@code initial}, and a whole count of milliseconds fits a {@code long}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            if (initial.isNegative() || max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "need 0 <= initial <= max, was %s and %s", initial, max));
            }
            inMillis("max", max);
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /**
         * The most points one range request may ask for; longer ranges are paged. Prometheus's own limit
         * is 11,000 points per series.
         *
         * @param points at least 1
         * @return this builder
         */
        public Builder maxPointsPerRequest(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("maxPointsPerRequest must be at least 1, was " + points);
            }
            this.maxPointsPerRequest = points;
            return this;
        }

        /**
         * The largest answer read; a longer one fails as soon as the limit is passed, so a server or proxy
         * that sends without end cannot exhaust the memory. One series of 11,000 points is about 300 KB;
         * the default is 64 MiB. Of an answer with another status than 200 (an error) only the start a
         * message shows is read, at most 64 KiB, whatever this limit; so too of an answer of status 200 whose
         * {@code status} field, within its first 64 KiB (Prometheus writes it first), says {@code error}.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder maxResponseBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /**
         * A header sent with every request, such as {@code Authorization}; its value is never logged. It is
         * sent to the base URL's server only: a redirect to another scheme, host or port goes without it.
         *
         * @param name the header name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException if the HTTP client cannot send it: a name it sets itself (such as
         *     {@code Host}, {@code Content-Length}, {@code Connection}) or not a token, or a value with a line
         *     break or another control character (the message does not show the value)
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            // Checked here rather than at the first query; the client's own message would show the value.
            HttpRequest.Builder probe = HttpRequest.newBuilder(base);
            try {
                probe.header(name, "x");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header " + name + " cannot be set: " + e.getMessage(), e);
            }
            try {
                probe.header(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the value of header " + name
                        + " is not a valid header value (it holds a line break or another control character)");
            }
            headers.put(name, value);
            return this;
        }

        private static void inMillis(String what, Duration d) {
            try {
                d.toMillis();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + " must fit a count of milliseconds, was " + d, e);
            }
        }

        /**
         * The HTTP client to use (for proxies, TLS settings or an executor); by default one with the
         * timeout as its connect timeout. Leave its redirect policy at {@code NEVER}, its default: the source
         * follows redirects itself, so that its errors name the address tried.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Whether an answer that succeeded with warnings (a partial response: a store, an ingester or a remote
         * read did not answer) is refused or used; see {@link WarningPolicy}. {@link WarningPolicy#REFUSE} by
         * default, which also asks each query for no partial response.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder warningPolicy(WarningPolicy policy) {
            this.warningPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Receives the warnings of each answer used under {@link WarningPolicy#ACCEPT}, one call per answer
         * (per page of a range), on the calling thread before the points are returned; nothing by default.
         * Under {@link WarningPolicy#REFUSE} the warnings are in the exception instead. An exception the
         * listener throws ends the query. A source used from several threads calls it from each of them, so it
         * must be thread-safe.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder warningListener(Consumer<AnswerWarnings> listener) {
            this.warningListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The longest one query (one request to the API: an instant query, or one page of a range) may take
         * in all, across its redirects, retries and the waits between them. Each request waits at most what
         * is left of it, and no retry is started that would begin after it; reaching it is a retryable
         * {@link PrometheusException} that says so and counts the attempts and requests made.
         *
         * <p>By default it is what the retries could take without redirects, the {@linkplain #timeout timeout}
         * times {@linkplain #maxAttempts the attempts} plus the {@linkplain #backoff longest wait} before each
         * retry, and one timeout more as a margin, so that the time spent between requests never cuts the last
         * attempt short: 3 minutes with the defaults (4 &times; 30 s + 3 &times; 10 s + 30 s). Without it a
         * chain of redirects could wait out a timeout at every address, on every attempt.
         *
         * @param deadline positive, and a whole count of milliseconds fits a {@code long}
         * @return this builder
         */
        public Builder deadline(Duration deadline) {
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("deadline must be positive, was " + deadline);
            }
            inMillis("deadline", deadline);
            this.deadline = deadline;
            return this;
        }

        /**
         * The clock a query's {@linkplain #deadline deadline} is measured on; the system clock by default.
         * A test gives one that its {@linkplain #sleeper sleeper} advances, to run retries in simulated time.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How the source waits between retries; the blocking {@link Sleeper#system()} by default.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** @return the source */
        public PrometheusSource build() {
            return new PrometheusSource(this);
        }
    }
}
