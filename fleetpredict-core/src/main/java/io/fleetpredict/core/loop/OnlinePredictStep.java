package io.fleetpredict.core.loop;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricStats;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.FleetModel;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Prediction;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.TimeSeries;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predict step from the live series of an {@link ActivityMonitor}: the near-term states that decide
 * capacity, when {@link FleetPredictor} built the step (see {@link FleetPredictor}), then, with a
 * {@link Predictor}, the fleet model's horizons. For those it fits a {@link FleetModel} on the
 * monitor's history at the first cycle, then each cycle absorbs the buckets closed since
 * ({@link FleetModel#update}) and predicts every horizon from the cycle's time.
 *
 * <p>It refits (on the monitor's whole retained history, which bounds the model's memory) when the
 * schedule says so ({@link Builder#refitEvery}, daily by default), when the event feed changed, when
 * {@link #requestRefit} was called (by {@link AccuracyFeedbackStep} on drift), or when the monitor's
 * history no longer continues the model's (a metric appeared, or cycles stopped for longer than the
 * monitor's retention). Expert overrides, when given, are applied on top of each predicted state; a state
 * whose every fleet-level requirement is switched off is left out.
 *
 * <p>A refit rests on observed data: after a silence longer than the lookahead (see below) it fits on the
 * history after the silence, and until {@link Builder#refitEvery} has been observed since (or while the silence
 * lasts) it waits, keeping the model and updating it online, the refit still due; {@link Status#warnings()} says
 * so each such cycle. A first fit, or one after the history broke off, has no model to keep and fits on the
 * observed part when it can, otherwise on all there is.
 *
 * <p>With no usage metric closed yet, or too little history to fit, it predicts nothing (an empty list,
 * which {@link StatefulProjectStep} plans as no change) and says why in {@link #status()}; so it does when
 * no metric of the monitor is a usage at all.
 *
 * <p><b>A clock behind the history.</b> When the newest closed bucket of the monitor ends at least the
 * step's lookahead after the cycle's time (a clock stepped back, or observations stamped by a clock that ran
 * ahead), it predicts nothing, says so in {@link Status#waiting()} (the cycle's time, the end of the newest
 * bucket, how far behind) and logs a warning each such cycle. The lookahead is the near-term reach (the
 * longest boot time, plus the largest lead time and scale-in cooldown, plus the cycle), or, for a step with
 * a predictor alone, its shortest horizon. It does not forecast from the history held: while the clock is
 * behind, every observation stamped by it falls into a bucket already closed and is refused as late (the
 * monitor counts it; {@code record} returns false), so that history no longer grows, and a forecast from it
 * would be re-dated to a clock that disagrees with it by hours: capacity would be bought or released for the
 * wrong hour of the day from data ever staler. Predicting nothing holds the fleet as it is (no launch, no
 * release) until the clock comes within the lookahead of the history again, and the report says why. A
 * clock behind by more than one of the monitor's steps but less than the lookahead still predicts (the steps
 * after the newest bucket that the reach still covers), with a warning in {@link Status#warnings()}.
 *
 * <p><b>A metric that stopped reporting.</b> The monitor fills the buckets of a metric that has no
 * observation with its {@link GapFill} (a gauge's last value, carried forward), and the forecast goes on
 * from those values. Once the trailing run of such buckets is longer than the lookahead, each cycle's
 * {@link Status#warnings()} names the metric, since when it has been silent and the value it is filled
 * with; the log has one warning when the silence passes the bound and one line when the metric reports
 * again. A metric filled with {@link GapFill#ZERO} (a counter) is not watched: for it no observation means
 * no event, a value, not a silence. A metric of a service whose name starts with a resource but
 * names none of its units ({@code cpu_core}) is refused when the step is built, since the conventions would
 * read it as activity and the step would wait for a usage forever. So is a metric it reads whose policy is
 * {@link GapFill#REJECT}: the monitor cannot fill its empty buckets, so one bucket that closed without an
 * observation would make every cycle fail until that bucket left the monitor's retention.
 *
 * <p>Thread-safe: cycles through one step run one at a time.
 */
public final class OnlinePredictStep implements PredictStep {

    private static final Logger LOG = LoggerFactory.getLogger(OnlinePredictStep.class);

    /**
     * What the step has done so far.
     *
     * @param fits how many times a model was fitted (the first fit and every refit)
     * @param updates how many cycles absorbed new buckets without refitting
     * @param lastFitAt when the last fit happened, or {@code null} before the first
     * @param lastFitReason why the last fit happened ({@code "first cycle"}, {@code "scheduled"}, the drift
     *     request, ...), or {@code null} before the first
     * @param pendingRefit the reason of a refit requested for the next cycle, or {@code null} when none is
     * @param waiting why the last cycle predicted nothing, or {@code null} when it predicted
     * @param warnings what the last cycle found wrong with its input and predicted through anyway: a metric
     *     silent for longer than the lookahead, a clock somewhat behind the history, a refit deferred for want of
     *     observed data after such a silence; empty when nothing was
     */
    public record Status(int fits, int updates, @Nullable Instant lastFitAt, @Nullable String lastFitReason,
            @Nullable String pendingRefit, @Nullable String waiting, List<String> warnings) {

        /** Copies. */
        public Status {
            warnings = List.copyOf(warnings);
        }
    }

    private final ActivityMonitor monitor;
    private final MetricMapping mapping;
    private final @Nullable Predictor predictor;
    private final Supplier<EventFeed> events;
    private final Duration refitEvery;
    private final @Nullable Supplier<OverrideSet> overrides;
    private final @Nullable AuditLog audit;
    private final Clock clock;
    private final @Nullable NearTermPrediction nearTerm;
    private final @Nullable String fleetId;
    private final ReentrantLock lock = new ReentrantLock();

    private @Nullable FleetModel model;
    private @Nullable EventFeed fittedFeed;
    private @Nullable Prediction last;
    private int fits;
    private int updates;
    private @Nullable Instant lastFitAt;
    private @Nullable String lastFitReason;
    private @Nullable String pendingRefit;
    /** The end of the history the model was last fitted on; what came after it, it absorbed by updates. */
    private @Nullable Instant fittedUntil;
    /** Whether the model has absorbed, by updates since its last fit, a silence longer than the lookahead. */
    private boolean throughSilence;
    private @Nullable String waiting;
    private List<String> warnings = List.of();
    /** The monitor's series as the last cycle read them, with their gap marks, for the feedback step. */
    private Map<MetricKey, MonitoredSeries> lastRead = Map.of();
    /** The metrics whose silence has been logged, so that it is logged once, not once a cycle. */
    private final Set<MetricKey> silent = new HashSet<>();

    private OnlinePredictStep(Builder b) {
        this.monitor = b.monitor;
        this.predictor = b.predictor;
        this.mapping = b.mapping;
        this.events = b.events;
        this.refitEvery = b.refitEvery;
        this.overrides = b.overrides;
        this.audit = b.audit;
        this.clock = b.clock;
        this.nearTerm = b.nearTerm;
        this.fleetId = b.fleetId;
    }

    /**
     * Starts building a step.
     *
     * @param monitor where the live series come from
     * @param predictor how models are fitted, or {@code null} for the near-term prediction alone (which only
     *     {@link FleetPredictor} sets up)
     * @return a builder with the naming conventions of {@link MetricMapping}, an empty event feed, a daily
     *     refit and no overrides
     */
    public static Builder builder(ActivityMonitor monitor, @Nullable Predictor predictor) {
        return new Builder(monitor, predictor);
    }

    @Override
    public List<PredictedFleetState> predict(Instant now) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            warnings = List.of();
            Map<MetricKey, MonitoredSeries> read = mapping.series(monitor);
            lastRead = read;
            Optional<FleetHistory> full = mapping.history(read);
            if (full.isEmpty()) {
                return waiting(mapping.anyUsage(monitor.metrics())
                        ? "too little history yet: no usage metric of the monitor has a closed bucket" + refusedAsLate()
                        : "no resource metric: none of the monitor's metrics " + monitor.metrics()
                                + " is a service's use of a resource (named <resource>_<unit>, such as cpu_cores, "
                                + "or mapped with MetricMapping.builder().usage(...))");
            }
            Lookahead ahead = lookahead();
            Instant newest = full.get().end();
            if (!newest.isBefore(now.plus(ahead.length()))) {
                return behind(now, newest, ahead);
            }
            List<String> found = new ArrayList<>();
            if (newest.isAfter(now.plus(monitor.step()))) {
                found.add(String.format(Locale.ROOT, "the clock is behind the history: the cycle's time %s is %s "
                        + "before the end of the newest closed bucket, %s; the prediction starts there, and "
                        + "observations stamped before it come too late for their buckets (record returns false)",
                        now, Duration.between(now, newest), newest));
            }
            found.addAll(silences(read, ahead));
            warnings = List.copyOf(found);
            EventFeed feed = Objects.requireNonNull(events.get(), "the event feed supplier returned null");
            List<PredictedFleetState> near = nearTerm == null ? List.of()
                    : nearTerm.predict(full.get(), now, feed.events(), Objects.requireNonNull(fleetId, "fleetId"));
            Predictor fitter = predictor;
            if (fitter == null) {
                waiting = null;
                return overridden(near);
            }
            List<PredictedFleetState> modelled = modelled(fitter, full.get(), observed(read, full.get(), ahead), feed,
                    now, found);
            warnings = List.copyOf(found);
            if (modelled == null) {
                return overridden(near);
            }
            List<PredictedFleetState> all = new ArrayList<>(near);
            all.addAll(modelled);
            return overridden(all);
        } finally {
            lock.unlock();
        }
    }

    /**
     * What late observations explain when no usage metric has a closed bucket: a host that recorded history and is
     * told there is too little most often stamped it on a clock of its own, ahead of which the monitor's clock had
     * already closed every bucket ({@code record} returned false for each).
     */
    private String refusedAsLate() {
        long late = 0;
        List<String> metrics = new ArrayList<>();
        Instant closedBefore = null;
        for (Map.Entry<MetricKey, MetricStats> e : monitor.stats().entrySet()) {
            if (e.getValue().late() > 0 && mapping.anyUsage(List.of(e.getKey()))) {
                late += e.getValue().late();
                metrics.add(e.getKey().toString());
                Instant closed = monitor.closedBefore(e.getKey());
                closedBefore = closedBefore == null || closed.isBefore(closedBefore) ? closed : closedBefore;
            }
        }
        if (late == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "; %d observation%s of %s %s refused as late (record returned false): the "
                + "monitor's clock has closed every bucket before %s, so observations stamped earlier come too late; "
                + "recorded on a clock of the host's own, they need the predictor built with that clock", late,
                late == 1 ? "" : "s", String.join(", ", metrics), late == 1 ? "was" : "were", closedBefore);
    }

    /** The fleet model's horizons, or {@code null} (with {@link #waiting} said) when it cannot fit yet. */
    private @Nullable List<PredictedFleetState> modelled(Predictor fitter, FleetHistory full, Observed observed,
            EventFeed feed, Instant now, List<String> found) {
        FleetModel current = model;
        String reason = current == null ? "first cycle" : refitReason(now, feed);
        boolean fitted = false;
        if (current != null && reason != null && observed.silenceEnd() != null) {
            // A refit fits on observed data alone: while too little has been observed since the last long silence,
            // or what has cannot be fitted yet, the model is kept and updated online, and the refit stays due (a
            // drift's request stays pending).
            String deferred = null;
            FleetHistory on = observed.history();
            if (on == null || !observed.refittable(refitEvery)) {
                deferred = observed.shortfall(refitEvery);
            } else {
                try {
                    current = fitted(fitter.fit(on, feed, now), on, feed, now, reason);
                    fitted = true;
                } catch (ForecastException e) {
                    deferred = "the history observed since " + observed.silenceEnd() + " cannot be fitted yet: "
                            + e.getMessage();
                }
            }
            if (deferred != null) {
                String w = "refit deferred (" + reason + "): " + deferred;
                found.add(w);
                LOG.debug("{}", w);
                reason = null;
            }
        }
        if (current != null && reason == null) {
            Optional<FleetHistory> tail = tail(full, current.history());
            if (tail == null) {
                reason = "the monitor's history no longer continues the model's";
            } else if (tail.isPresent()) {
                current = current.update(tail.get());
                model = current;
                updates++;
            }
        }
        if (current == null || (reason != null && !fitted)) {
            // No model to keep (a first fit, or one after the history broke off): the observed part when there is
            // one and it can be fitted, otherwise all there is.
            FleetHistory on = observed.history() != null ? observed.history() : full;
            try {
                FleetModel m;
                try {
                    m = fitter.fit(on, feed, now);
                } catch (ForecastException e) {
                    if (on == full) {
                        throw e;
                    }
                    on = full;
                    m = fitter.fit(full, feed, now);
                }
                current = fitted(m, on, feed, now, Objects.requireNonNull(reason, "a fit has a reason"));
            } catch (ForecastException e) {
                LOG.warn("cannot fit the fleet model yet ({}): {}", reason, e.getMessage());
                waiting("cannot fit yet: " + e.getMessage());
                return null;
            }
        }
        Instant until = fittedUntil;
        Instant silenceEnd = observed.silenceEnd();
        throughSilence = silenceEnd != null && until != null && silenceEnd.isAfter(until);
        if (now.isAfter(current.at())) {
            current = current.predictingFrom(now);
            model = current;
        }
        Prediction prediction = current.predict();
        last = prediction;
        waiting = null;
        return prediction.states();
    }

    /** Takes a model just fitted on {@code on}, with its bookkeeping. */
    private FleetModel fitted(FleetModel m, FleetHistory on, EventFeed feed, Instant now, String reason) {
        model = m;
        fits++;
        fittedFeed = feed;
        fittedUntil = on.end();
        lastFitAt = now;
        lastFitReason = reason;
        pendingRefit = null;
        LOG.debug("fleet model fitted at {} on the history from {} to {}: {}", now, start(on), on.end(), reason);
        return m;
    }

    /**
     * The part of a cycle's history a refit may fit on: all of it, or, when a metric it reads had a silence longer
     * than the lookahead (a run of buckets the monitor filled), what came after the last such silence, which is
     * empty while it lasts. A metric filled with {@link GapFill#ZERO} has no silences.
     *
     * @param history the observed part; {@code null} when nothing has been observed since the silence
     * @param silenceEnd the end of the last long silence, or {@code null} when there was none
     * @param metric the metric of that silence, or {@code null}
     * @param end the end of the cycle's history
     */
    record Observed(@Nullable FleetHistory history, @Nullable Instant silenceEnd, @Nullable MetricKey metric,
            Instant end) {

        /** Whether a refit may happen now: no long silence, or at least {@code span} observed since the last one. */
        boolean refittable(Duration span) {
            Instant since = silenceEnd;
            return since == null || (history != null && !Duration.between(since, end).minus(span).isNegative());
        }

        String shortfall(Duration span) {
            Instant since = Objects.requireNonNull(silenceEnd, "a shortfall follows a silence");
            return history == null
                    ? String.format(Locale.ROOT, "metric %s has been silent for longer than the lookahead (its "
                            + "buckets are filled); the model is not refitted on filled buckets, and is updated online until "
                            + "%s has been observed after the silence", metric, span)
                    : String.format(Locale.ROOT, "metric %s was silent until %s and %s has been observed since, less "
                            + "than %s; the model is not refitted on filled buckets, and is updated online until "
                            + "then", metric, since, Duration.between(since, end), span);
        }
    }

    /** The observed part of a cycle's history, cut after the last silence longer than the lookahead. */
    static Observed observed(Map<MetricKey, MonitoredSeries> read, FleetHistory full, Lookahead ahead) {
        Instant cut = null;
        MetricKey metric = null;
        for (Map.Entry<MetricKey, MonitoredSeries> e : read.entrySet()) {
            MonitoredSeries s = e.getValue();
            if (s.gapFill() == GapFill.ZERO) {
                continue;
            }
            for (MonitoredSeries.Gap g : s.gaps()) {
                Instant end = s.timeAt(g.toIndex());
                if (s.series().step().multipliedBy(g.length()).compareTo(ahead.length()) > 0
                        && (cut == null || end.isAfter(cut))) {
                    cut = end;
                    metric = e.getKey();
                }
            }
        }
        Instant end = full.end();
        if (cut == null) {
            return new Observed(full, null, null, end);
        }
        return new Observed(from(full, cut), cut, metric, end);
    }

    /** The history from {@code at} on, or {@code null} when some usage series has nothing after it. */
    private static @Nullable FleetHistory from(FleetHistory full, Instant at) {
        FleetHistory.Builder b = FleetHistory.builder();
        for (String service : full.services()) {
            for (Map.Entry<ResourceType, TimeSeries> e : full.usage(service).entrySet()) {
                TimeSeries s = e.getValue();
                TimeSeries part = s.start().isAfter(at) ? s : after(s, at);
                if (part == null || part.isEmpty()) {
                    return null;
                }
                b.usage(service, e.getKey(), full.unit(service, e.getKey()), part);
            }
            for (Map.Entry<String, TimeSeries> e : full.activity(service).entrySet()) {
                TimeSeries s = e.getValue();
                TimeSeries part = s.start().isAfter(at) ? s : after(s, at);
                if (part != null && !part.isEmpty()) {
                    b.activity(service, e.getKey(), part);
                }
            }
        }
        return b.build();
    }

    /** The earliest start of any usage series of a history. */
    private static Instant start(FleetHistory h) {
        Instant start = Instant.MAX;
        for (String service : h.services()) {
            for (TimeSeries s : h.usage(service).values()) {
                start = s.start().isBefore(start) ? s.start() : start;
            }
        }
        return start;
    }

    /**
     * Whether the model that made the last prediction has absorbed, by online updates since its last fit, a
     * silence longer than the lookahead: its state then carries buckets the monitor filled, and its errors say how
     * the filling misled it, not whether demand changed.
     */
    boolean throughSilence() {
        lock.lock();
        try {
            return throughSilence;
        } finally {
            lock.unlock();
        }
    }

    private List<PredictedFleetState> waiting(String why) {
        waiting = why;
        last = null;
        return List.of();
    }

    /** How far ahead a cycle's decision looks, and what that span is called in a message. */
    private record Lookahead(Duration length, String name) {
    }

    private Lookahead lookahead() {
        NearTermPrediction near = nearTerm;
        if (near != null) {
            return new Lookahead(near.reach(), "the near-term reach");
        }
        Duration shortest = Objects.requireNonNull(predictor, "a step has a predictor or a near term").horizons()
                .stream().map(HorizonSpec::length).min(Comparator.naturalOrder()).orElse(Duration.ZERO);
        return new Lookahead(shortest, "the shortest horizon");
    }

    /** Predicts nothing, for a clock at least the lookahead behind the newest closed bucket. */
    private List<PredictedFleetState> behind(Instant now, Instant newest, Lookahead ahead) {
        String why = String.format(Locale.ROOT, "the clock is behind the history: the cycle's time %s is %s before "
                + "the end of the newest closed bucket, %s, at least %s (%s) ahead of it; nothing is predicted, "
                + "which holds the fleet as it is, until the clock is within that of the history again, and "
                + "observations stamped before %s come too late for their buckets (record returns false)", now,
                Duration.between(now, newest), newest, ahead.name(), ahead.length(), newest);
        LOG.warn("{}", why);
        return waiting(why);
    }

    /**
     * Each metric whose trailing run of empty buckets is longer than the lookahead, with since when and the value
     * it is filled with; logs the first cycle of each silence, and the cycle a silent metric reports again.
     */
    private List<String> silences(Map<MetricKey, MonitoredSeries> read, Lookahead ahead) {
        List<String> out = new ArrayList<>();
        Set<MetricKey> now = new HashSet<>();
        for (Map.Entry<MetricKey, MonitoredSeries> e : read.entrySet()) {
            MonitoredSeries s = e.getValue();
            TimeSeries values = s.series();
            if (values.isEmpty() && silent.contains(e.getKey())) {
                // Silent for longer than the monitor retains: out of the history, and not back.
                now.add(e.getKey());
            }
            if (s.gapFill() == GapFill.ZERO || s.gaps().isEmpty() || values.isEmpty()) {
                continue;
            }
            MonitoredSeries.Gap trailing = s.gaps().get(s.gaps().size() - 1);
            Duration silence = values.step().multipliedBy(trailing.length());
            if (trailing.toIndex() != values.size() || silence.compareTo(ahead.length()) <= 0) {
                continue;
            }
            // After the last observed bucket, PREVIOUS and LINEAR alike carry its value flat.
            String w = String.format(Locale.ROOT, "metric %s has had no observation since %s: its last %s of "
                    + "buckets closed empty, longer than %s (%s); they are filled with %s (gap policy %s, the last "
                    + "value observed) and the forecast goes on from that", e.getKey(), s.timeAt(trailing.fromIndex()),
                    silence, ahead.name(), ahead.length(), significant(values.get(values.size() - 1)),
                    s.gapFill());
            out.add(w);
            now.add(e.getKey());
            if (silent.add(e.getKey())) {
                LOG.warn("{}", w);
            }
        }
        for (MetricKey back : silent) {
            if (!now.contains(back)) {
                LOG.info("metric {} reports again", back);
            }
        }
        silent.retainAll(now);
        return out;
    }

    /** Four significant digits, no exponent, no trailing zeros. */
    private static String significant(double value) {
        return Double.isFinite(value)
                ? new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString()
                : String.valueOf(value);
    }

    /** Why the fitted model is refitted now, or {@code null} when it is updated online. */
    private @Nullable String refitReason(Instant now, EventFeed feed) {
        if (pendingRefit != null) {
            return pendingRefit;
        }
        if (!feed.equals(fittedFeed)) {
            return "the event feed changed";
        }
        Instant fitAt = lastFitAt;
        if (fitAt == null || !now.isBefore(fitAt.plus(refitEvery))) {
            return "scheduled (every " + refitEvery + ")";
        }
        return null;
    }

    /**
     * The part of {@code full} after the end of each series of {@code fitted}: empty when nothing new has
     * closed, {@code null} when {@code full} does not continue {@code fitted}.
     */
    static @Nullable Optional<FleetHistory> tail(FleetHistory full, FleetHistory fitted) {
        if (!full.services().equals(fitted.services()) || !full.step().equals(fitted.step())) {
            return null;
        }
        FleetHistory.Builder b = FleetHistory.builder();
        boolean any = false;
        for (String service : full.services()) {
            Map<ResourceType, TimeSeries> now = full.usage(service);
            Map<ResourceType, TimeSeries> was = fitted.usage(service);
            Map<String, TimeSeries> nowActivity = full.activity(service);
            Map<String, TimeSeries> wasActivity = fitted.activity(service);
            if (!now.keySet().equals(was.keySet()) || !nowActivity.keySet().equals(wasActivity.keySet())) {
                return null;
            }
            boolean usage = false;
            for (Map.Entry<ResourceType, TimeSeries> e : now.entrySet()) {
                TimeSeries next = after(e.getValue(), Objects.requireNonNull(was.get(e.getKey())).end());
                if (next == null) {
                    return null;
                }
                if (!next.isEmpty()) {
                    b.usage(service, e.getKey(), full.unit(service, e.getKey()), next);
                    usage = true;
                }
            }
            for (Map.Entry<String, TimeSeries> e : nowActivity.entrySet()) {
                TimeSeries next = after(e.getValue(), Objects.requireNonNull(wasActivity.get(e.getKey())).end());
                if (next == null) {
                    return null;
                }
                // A history needs usage for each service with activity: activity alone waits for its usage.
                if (usage && !next.isEmpty()) {
                    b.activity(service, e.getKey(), next);
                }
            }
            any |= usage;
        }
        return any ? Optional.of(b.build()) : Optional.empty();
    }

    /** The values of {@code s} from {@code end} on; {@code null} when {@code s} starts after {@code end}. */
    private static @Nullable TimeSeries after(TimeSeries s, Instant end) {
        if (s.start().isAfter(end)) {
            return null;
        }
        int from = (int) Duration.between(s.start(), end).dividedBy(s.step());
        return from >= s.size() ? TimeSeries.of(s.end(), s.step()) : s.slice(from, s.size());
    }

    private List<PredictedFleetState> overridden(List<PredictedFleetState> states) {
        Supplier<OverrideSet> source = overrides;
        if (source == null) {
            return states;
        }
        AuditLog log = Objects.requireNonNull(audit, "the audit log is given with the overrides");
        return OverridingPredictStep.overridden(states, source, log, clock);
    }

    /**
     * Asks for a refit at the next cycle, instead of the online update.
     *
     * @param reason why, kept in {@link Status#lastFitReason()} once done
     */
    public void requestRefit(String reason) {
        Objects.requireNonNull(reason, "reason");
        lock.lock();
        try {
            pendingRefit = pendingRefit == null ? reason : pendingRefit;
        } finally {
            lock.unlock();
        }
    }

    /** @return the last cycle's prediction, with its step-by-step forecasts; empty when it predicted nothing */
    public Optional<Prediction> lastPrediction() {
        lock.lock();
        try {
            return Optional.ofNullable(last);
        } finally {
            lock.unlock();
        }
    }

    /** @return the history the current model holds (fitted on and updated with); empty before the first fit */
    public Optional<FleetHistory> history() {
        lock.lock();
        try {
            return Optional.ofNullable(model).map(FleetModel::history);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The monitor's series of a service's use of a resource as the last cycle read it, with the buckets that
     * received no observation marked ({@link MonitoredSeries#gaps()}): it covers every bucket of
     * {@link #history()} from the monitor's retained window, since each history is made from such a read.
     *
     * @param service the service
     * @param type the resource
     * @return the series, or empty when no metric of the monitor is that use or no cycle has read it yet
     */
    Optional<MonitoredSeries> lastRead(String service, ResourceType type) {
        lock.lock();
        try {
            return mapping.usageMetric(lastRead.keySet(), service, type).map(lastRead::get);
        } finally {
            lock.unlock();
        }
    }

    /** @return what the step has done so far */
    public Status status() {
        lock.lock();
        try {
            return new Status(fits, updates, lastFitAt, lastFitReason, pendingRefit, waiting, warnings);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "OnlinePredictStep[%s, refit every %s, %s]", mapping, refitEvery, status());
    }

    /** Configures an {@link OnlinePredictStep}; not thread-safe. */
    public static final class Builder extends PredictStepSettings<Builder> {
        private final ActivityMonitor monitor;
        private final @Nullable Predictor predictor;
        private Clock clock = Clock.systemUTC();
        private @Nullable NearTermPrediction nearTerm;
        private @Nullable String fleetId;

        private Builder(ActivityMonitor monitor, @Nullable Predictor predictor) {
            this.monitor = Objects.requireNonNull(monitor, "monitor");
            this.predictor = predictor;
        }

        /** The near-term prediction {@link FleetPredictor} derives from its cloud and SLA policies. */
        Builder nearTerm(NearTermPrediction value, String fleet) {
            this.nearTerm = Objects.requireNonNull(value, "nearTerm");
            this.fleetId = Objects.requireNonNull(fleet, "fleet");
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /** The settings {@link FleetPredictor.Builder} collected for the step it builds, and its clock. */
        Builder settings(PredictStepSettings<?> value, Clock stamps) {
            settingsOf(value);
            this.clock = Objects.requireNonNull(stamps, "clock");
            return this;
        }

        /**
         * Expert overrides applied on top of every prediction, read each cycle.
         *
         * @param value where the current overrides come from
         * @param log where each application is recorded
         * @param clock stamps the applications
         * @return this builder
         */
        public Builder overrides(Supplier<OverrideSet> value, AuditLog log, Clock clock) {
            overrides(value, log);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the step.
         *
         * @return the step
         * @throws NullPointerException if there is neither a predictor nor a near-term prediction
         * @throws IllegalArgumentException if a metric of a service, not mapped explicitly, has a name that
         *     starts with a resource but names none of its units, such as {@code cpu_core}; the message lists
         *     the names accepted
         * @throws IllegalArgumentException if a metric the mapping reads has the gap policy {@link GapFill#REJECT},
         *     under which one empty bucket would fail every cycle until it left the monitor's retention; the
         *     message names the metric and the policies that work
         */
        public OnlinePredictStep build() {
            if (predictor == null && nearTerm == null) {
                throw new NullPointerException("predictor");
            }
            mapping.checkNames(monitor.metrics());
            // A monitor's metrics are fixed when it is built, so a metric checked here is every metric a cycle reads.
            mapping.checkGapFills(monitor);
            return new OnlinePredictStep(this);
        }
    }
}
