package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.demand.DemandFit;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.event.EventEffect;
import io.fleetpredict.core.event.TimeWindow;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Predictor} fitted on a fleet's history: per horizon, the demand fit of every service and resource
 * and a fitted forecasting model per forecast series, with the event effects learned on it.
 *
 * <p>Immutable and thread-safe. {@link #update} absorbs new actuals into the fitted models without
 * re-estimating them (the online update); {@link #refit} re-estimates everything on the longer history,
 * on whatever schedule or trigger the feedback loop decides.
 */
public final class FleetModel {

    private static final Logger LOG = LoggerFactory.getLogger(FleetModel.class);
    private static final double[] LEVELS = {80, 98};

    private final Predictor predictor;
    private final FleetHistory history;
    private final EventCalendar calendar;
    private final EventFeed feed;
    private final Instant at;
    private final List<HorizonState> horizons;
    private final List<String> warnings;

    /** A series that is forecast: an activity metric, or a resource's use on the direct path. */
    record Target(String service, String metric, boolean activity, @Nullable ResourceType type, FittedModel model,
            Map<String, EventEffect> learned) {
        String id() {
            return id(service, activity, metric);
        }

        static String id(String service, boolean activity, String metric) {
            return service + (activity ? ".activity." : ".") + metric;
        }
    }

    /** One resource of one service: how it is forecast. */
    record Resource(String service, ResourceType type, ResourceUnit unit, DemandFit fit, ServiceForecast.Path path) {
    }

    /** A series to forecast, before its model is fitted. */
    private record Series(String service, String metric, boolean activity, @Nullable ResourceType type,
            TimeSeries values) {
    }

    /** One horizon's resources and series to forecast, before any model is fitted. */
    private record Plan(HorizonSpec spec, Duration step, List<Resource> resources, Map<String, Series> series) {
    }

    /** Everything fitted for one horizon. */
    record HorizonState(HorizonSpec spec, Duration step, String forecasterName, List<Resource> resources,
            Map<String, Target> targets) {
    }

    private FleetModel(Predictor predictor, FleetHistory history, EventFeed feed, Instant at,
            List<HorizonState> horizons, List<String> warnings) {
        this.predictor = predictor;
        this.history = history;
        this.feed = feed;
        this.calendar = new EventCalendar(feed);
        this.at = at;
        this.horizons = horizons;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Warns of each series that ends more than the shortest horizon before the rest of the history: a source that
     * stopped while the others went on (an exporter that died, a file cut short). Its forecasts start from its own
     * end and reach across the gap, as a whole history's do when the prediction time is far after it.
     */
    private static void warnSeriesBehind(FleetHistory history, Predictor p, List<String> warnings) {
        Instant end = history.end();
        Duration shortest = p.horizons().stream().map(HorizonSpec::length).min(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        for (String service : history.services()) {
            Map<String, TimeSeries> series = new LinkedHashMap<>();
            history.usage(service).forEach((type, s) -> series.put(service + "." + type.jsonName(), s));
            history.activity(service).forEach((metric, s) -> series.put(service + " activity " + metric, s));
            series.forEach((name, s) -> {
                Duration behind = Duration.between(s.end(), end);
                if (behind.compareTo(shortest) > 0) {
                    warnings.add(String.format(Locale.ROOT, "%s ends at %s, %s before the rest of the history (%s)"
                            + " and more than the shortest horizon (%s): its forecasts reach across that gap", name,
                            s.end(), behind, end, shortest));
                }
            });
        }
    }

    static FleetModel fit(Predictor p, FleetHistory history, EventFeed feed, Instant at) {
        EventCalendar calendar = new EventCalendar(feed);
        List<String> warnings = new ArrayList<>();
        Duration longest = p.horizons().stream().map(HorizonSpec::length).max(Comparator.naturalOrder())
                .orElse(Duration.ZERO);
        for (FleetEvent e : feed.events()) {
            // Most likely a typo, which would pass unnoticed while the event still counts for the fleet's activity.
            List<String> unknown = e.scope().stream().filter(s -> !history.services().contains(s)).toList();
            if (!unknown.isEmpty()) {
                warnings.add(String.format(Locale.ROOT, "event %s names service%s %s, not in the history (%s)", e.id(),
                        unknown.size() == 1 ? "" : "s", String.join(", ", unknown),
                        String.join(", ", history.services().stream().sorted().toList())));
            }
        }
        Instant end = history.end();
        if (end.isAfter(Instant.MIN) && Duration.between(end, at).compareTo(longest) > 0) {
            // Allowed (a scheduler may ask about a later time on purpose), but most often a wrong --at or stale data.
            warnings.add(String.format(Locale.ROOT, "the history ends at %s, %s before the prediction time %s and more"
                    + " than the longest horizon (%s): every forecast reaches across that gap", end,
                    Duration.between(end, at), at, longest));
        }
        warnSeriesBehind(history, p, warnings);
        // Every series to forecast is found before any model is fitted, so that a prediction time too far after the
        // history is refused at once, not after minutes of fits.
        List<Plan> plans = new ArrayList<>();
        for (HorizonSpec spec : p.horizons()) {
            Duration step = spec.stepFor(history.step());
            List<Resource> resources = new ArrayList<>();
            Map<String, Series> series = new LinkedHashMap<>();
            for (String service : history.services()) {
                Map<String, TimeSeries> activity = new LinkedHashMap<>();
                history.activity(service).forEach((k, v) -> activity.put(k, BucketAggregation.aggregate(v, step, spec.aggregation())));
                for (Map.Entry<ResourceType, TimeSeries> u : history.usage(service).entrySet()) {
                    TimeSeries usage = BucketAggregation.aggregate(u.getValue(), step, spec.aggregation());
                    DemandFit fit = demandFit(p, usage, activity, warnings, spec, service, u.getKey());
                    ServiceForecast.Path path = fit.usable() ? ServiceForecast.Path.ACTIVITY : ServiceForecast.Path.DIRECT;
                    LOG.debug("{} {}.{}: {} path, {}", spec.horizon().jsonName(), service, u.getKey().jsonName(), path, fit);
                    resources.add(new Resource(service, u.getKey(), history.unit(service, u.getKey()), fit, path));
                    if (path == ServiceForecast.Path.ACTIVITY) {
                        for (String metric : fit.slopes().keySet()) {
                            series.putIfAbsent(Target.id(service, true, metric), new Series(service, metric, true, null,
                                    Objects.requireNonNull(activity.get(metric), metric)));
                        }
                    } else {
                        series.put(Target.id(service, false, u.getKey().jsonName()),
                                new Series(service, u.getKey().jsonName(), false, u.getKey(), usage));
                    }
                }
            }
            Instant until = at.plus(spec.length());
            // An empty series is refused when its turn to be fitted comes, after the shorter horizons' problems.
            series.forEach((id, s) -> {
                if (!s.values().isEmpty()) {
                    steps(s.values().end(), until, step, spec, id);
                }
            });
            plans.add(new Plan(spec, step, resources, series));
        }
        List<HorizonState> states = new ArrayList<>();
        for (Plan plan : plans) {
            Forecaster forecaster = p.forecaster(plan.spec().horizon(), plan.step());
            Map<String, Target> targets = new LinkedHashMap<>();
            plan.series().forEach((id, s) -> targets.put(id, target(p, calendar, forecaster, s, warnings, plan.spec())));
            states.add(new HorizonState(plan.spec(), plan.step(), forecaster.name(), plan.resources(), targets));
        }
        return new FleetModel(p, history, feed, at, states, warnings);
    }

    private static DemandFit demandFit(Predictor p, TimeSeries usage, Map<String, TimeSeries> activity,
            List<String> warnings, HorizonSpec spec, String service, ResourceType type) {
        try {
            return p.demandModel().fit(usage, activity);
        } catch (InsufficientDataException e) {
            String reason = "too little history for a demand fit at this step (" + e.getMessage()
                    + "); forecast usage directly";
            warnings.add(String.format(Locale.ROOT, "%s %s.%s: %s", spec.horizon().jsonName(), service,
                    type.jsonName(), reason));
            return new DemandFit(0, Map.of(), 0, 0, 0, 0, DemandFit.Quality.POOR, reason);
        }
    }

    private static Target target(Predictor p, EventCalendar calendar, Forecaster forecaster, Series s,
            List<String> warnings, HorizonSpec spec) {
        String name = Target.id(s.service(), s.activity(), s.metric());
        if (s.values().isEmpty()) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s has no complete %s step before the prediction time", name, spec.horizon().jsonName()));
        }
        Map<String, EventEffect> learned = calendar.learn(s.service(), s.values(), p.eventSeason(), p.eventLookback());
        learned.values().forEach(e -> LOG.debug("{} {}: learned {}", spec.horizon().jsonName(), name, e));
        TimeSeries clean = calendar.clean(s.service(), s.values(), learned);
        FittedModel model;
        try {
            model = forecaster.fit(clean);
        } catch (ForecastException e) {
            model = naive(clean, name, forecaster.name(), e, spec);
            warnings.add(String.format(Locale.ROOT, "%s %s: %s failed (%s); using the naive forecast",
                    spec.horizon().jsonName(), name, forecaster.name(), e.getMessage()));
            LOG.warn("{} {}: {} failed, falling back to naive: {}", spec.horizon().jsonName(), name, forecaster.name(),
                    e.getMessage());
        }
        return new Target(s.service(), s.metric(), s.activity(), s.type(), model, learned);
    }

    /**
     * The fallback when a fitted model cannot forecast (a back-transformation with no finite value, say): the naive
     * forecast of the same history, so that one series does not stop the others' prediction. When the naive
     * forecast fails too (values or a spread that overflow a double: the series' own doing), the model's failure
     * is thrown, naming the series and horizon.
     */
    private static Forecast naiveForecast(HorizonState h, Target t, int steps, double q, ForecastException why,
            List<String> notes) {
        String horizon = h.spec().horizon().jsonName();
        Forecast f;
        try {
            f = Forecasters.naive().fit(t.model().history()).forecast(steps, levels(q));
        } catch (ForecastException e) {
            throw new ForecastException(String.format(Locale.ROOT, "%s %s: %s", horizon, t.id(), why.getMessage()), why);
        }
        notes.add(String.format(Locale.ROOT, "%s %s: %s could not forecast (%s); using the naive forecast", horizon,
                t.id(), h.forecasterName(), why.getMessage()));
        LOG.warn("{} {}: {} could not forecast, falling back to naive: {}", horizon, t.id(), h.forecasterName(),
                why.getMessage());
        return f;
    }

    /** The fallback when the configured forecaster fails; when even it cannot fit, says for which series and horizon. */
    private static FittedModel naive(TimeSeries series, String name, String failed, ForecastException why,
            HorizonSpec spec) {
        try {
            return Forecasters.naive().fit(series);
        } catch (InsufficientDataException e) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s has too little history for the %s horizon: %s failed (%s), and so did the naive fallback: %s",
                    name, spec.horizon().jsonName(), failed, why.getMessage(), e.getMessage()));
        }
    }

    /** @return the prediction time */
    public Instant at() {
        return at;
    }

    /** @return the history the models were fitted on and updated with */
    public FleetHistory history() {
        return history;
    }

    /**
     * The demand fit of one resource of one service at one horizon's step.
     *
     * @param horizon a configured horizon
     * @param service a service of the history
     * @param type a resource the service has
     * @return the fit, with its quality
     * @throws IllegalArgumentException if the horizon, service or resource is unknown
     */
    public DemandFit demandFit(Horizon horizon, String service, ResourceType type) {
        return state(horizon).resources().stream()
                .filter(r -> r.service().equals(service) && r.type() == type)
                .findFirst().map(Resource::fit)
                .orElseThrow(() -> new IllegalArgumentException(String.format(Locale.ROOT,
                        "unknown metric '%s' of service '%s'", type.jsonName(), service)));
    }

    /**
     * The effects learned from the history on one forecast series.
     *
     * @param horizon a configured horizon
     * @param service a service of the history
     * @param metric an activity metric (on the activity path) or a resource's JSON name such as
     *     {@code "CPU"} (on the direct path)
     * @return the learned effects by event key ({@code type:name}); empty when none
     * @throws IllegalArgumentException if the series is not forecast at this horizon
     */
    public Map<String, EventEffect> learnedEffects(Horizon horizon, String service, String metric) {
        HorizonState h = state(horizon);
        Target t = h.targets().get(Target.id(service, true, metric));
        if (t == null) {
            t = h.targets().get(Target.id(service, false, metric));
        }
        if (t == null) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "unknown metric '%s' of service '%s' at the %s horizon; forecast series: %s",
                    metric, service, horizon.jsonName(), h.targets().keySet()));
        }
        return t.learned();
    }

    private HorizonState state(Horizon horizon) {
        return horizons.stream().filter(h -> h.spec().horizon() == horizon).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("horizon " + horizon.jsonName() + " is not configured"));
    }

    /**
     * Absorbs new actuals: each fitted model takes the new complete steps of its series, keeping its
     * parameters; the demand fits and learned event effects stay. The prediction time moves to the end of
     * the new history when that is later.
     *
     * @param actuals observations that continue some or all series of the history
     * @return the updated model
     * @throws IllegalArgumentException if {@code actuals} names an unknown service or metric, or a series does
     *     not continue its history (time going backwards or a gap)
     */
    public FleetModel update(FleetHistory actuals) {
        FleetHistory longer = history.append(actuals);
        List<HorizonState> states = new ArrayList<>();
        for (HorizonState h : horizons) {
            Map<String, Target> targets = new LinkedHashMap<>();
            for (Target t : h.targets().values()) {
                TimeSeries base = t.activity() ? longer.activity(t.service()).get(t.metric())
                        : longer.usage(t.service()).get(t.type());
                TimeSeries agg = BucketAggregation.aggregate(Objects.requireNonNull(base, t.metric()), h.step(), h.spec().aggregation());
                Instant fittedEnd = t.model().history().end();
                int from = (int) Duration.between(agg.start(), fittedEnd).dividedBy(h.step());
                FittedModel model = t.model();
                if (from < agg.size()) {
                    // Clean over the whole series so that windows are judged against it, then keep the new steps.
                    TimeSeries clean = calendar.clean(t.service(), agg, t.learned());
                    model = model.update(clean.slice(from, clean.size()));
                }
                targets.put(t.id(), new Target(t.service(), t.metric(), t.activity(), t.type(), model, t.learned()));
            }
            states.add(new HorizonState(h.spec(), h.step(), h.forecasterName(), h.resources(), targets));
        }
        Instant end = longer.end();
        return new FleetModel(predictor, longer, feed, end.isAfter(at) ? end : at, states, warnings);
    }

    /**
     * The same fitted model with a later prediction time, for a caller whose history ends before the
     * present (the last buckets of a monitor are still open): the forecasts still start after the history,
     * and every horizon starts at {@code later}.
     *
     * @param later the new prediction time, not before {@link #at()}
     * @return the model predicting from {@code later}; this model when it equals {@link #at()}
     * @throws IllegalArgumentException if {@code later} is before the current prediction time
     */
    public FleetModel predictingFrom(Instant later) {
        Objects.requireNonNull(later, "later");
        if (later.isBefore(at)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "later must not be before the prediction time %s, was %s", at, later));
        }
        return later.equals(at) ? this : new FleetModel(predictor, history, feed, later, horizons, warnings);
    }

    /**
     * Re-estimates every demand fit, event effect and forecasting model on the current history.
     *
     * @return the refitted model for the same prediction time
     */
    public FleetModel refit() {
        return fit(predictor, history, feed, at);
    }

    /**
     * Predicts every horizon from the prediction time.
     *
     * @return the prediction
     * @throws IllegalArgumentException if the prediction time, moved by {@link #predictingFrom} or
     *     {@link #update}, is so far after a series' end that a horizon would need more than
     *     {@link Forecast#MAX_HORIZON} steps
     */
    public Prediction predict() {
        List<String> notes = new ArrayList<>(warnings);
        List<HorizonPrediction> out = new ArrayList<>();
        List<AppliedEvent> applied = new ArrayList<>();
        List<CapacityRemoval> maintenance = new ArrayList<>();
        Instant farthest = at;
        for (HorizonState h : horizons) {
            HorizonPrediction hp = predict(h, notes, applied);
            out.add(hp);
            Instant until = at.plus(h.spec().length());
            farthest = until.isAfter(farthest) ? until : farthest;
        }
        for (FleetEvent e : calendar.maintenance(at, farthest)) {
            List<ResourceAmount> removed = e.expectedImpact() != null && e.expectedImpact().capacityRemoved() != null
                    ? e.expectedImpact().capacityRemoved() : List.of();
            int instances = e.expectedImpact() != null && e.expectedImpact().instancesRemoved() != null
                    ? e.expectedImpact().instancesRemoved() : 0;
            if (removed.isEmpty() && instances == 0) {
                notes.add("maintenance " + e.id() + " declares no capacity removed; passed on without an amount");
            }
            maintenance.add(new CapacityRemoval(e.id(), e.name(), new TimeWindow(e.start(), e.end()), e.scope(),
                    removed, instances));
        }
        return new Prediction(at, out, maintenance, dedupe(applied), notes.stream().distinct().toList());
    }

    private static List<AppliedEvent> dedupe(List<AppliedEvent> events) {
        Map<String, AppliedEvent> out = new LinkedHashMap<>();
        for (AppliedEvent e : events) {
            out.putIfAbsent(e.eventId() + "\u0000" + e.horizon() + "\u0000" + e.service() + "\u0000" + e.effects()
                    + "\u0000" + e.additiveUplift(), e);
        }
        return List.copyOf(out.values());
    }

    private HorizonPrediction predict(HorizonState h, List<String> notes, List<AppliedEvent> applied) {
        Instant until = at.plus(h.spec().length());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("forecaster", h.forecasterName());
        params.put("step", h.step().toString());
        params.put("aggregation", h.spec().aggregation().name().toLowerCase(Locale.ROOT));
        params.put("fleet_quantity", "sum of per-service quantiles at each step, peak over the horizon");
        Map<String, Forecast> targetForecasts = new LinkedHashMap<>();
        Map<String, List<EventEffect>> effectsBy = new LinkedHashMap<>();
        for (Target t : h.targets().values()) {
            Instant origin = t.model().history().end();
            int steps = steps(origin, until, h.step(), h.spec(), t.id());
            double q = predictor.quantile(t.service());
            Forecast f;
            try {
                f = t.model().forecast(steps, levels(q));
            } catch (ForecastException e) {
                f = naiveForecast(h, t, steps, q, e, notes);
            }
            if (!origin.isBefore(until)) {
                notes.add(String.format(Locale.ROOT, "%s %s: the history reaches past the horizon's end",
                        h.spec().horizon().jsonName(), t.id()));
            }
            for (FleetEvent e : calendar.upcoming(t.service(), f.start(), f.start().plus(h.step().multipliedBy(steps)))) {
                String key = EventCalendar.key(e);
                EventEffect effect = t.learned().get(key);
                if (effect == null && e.expectedImpact() != null && e.expectedImpact().demandMultiplier() != null) {
                    effect = new EventEffect(key, e.expectedImpact().demandMultiplier(), List.of(), EventEffect.Source.DECLARED);
                }
                if (effect == null) {
                    if (e.expectedImpact() == null) {
                        notes.add(String.format(Locale.ROOT,
                                "event %s (%s) has no past occurrence with a baseline and no expected impact; no effect applied",
                                e.id(), key));
                        LOG.warn("event {} ({}) has no learned or declared effect on {}", e.id(), key, t.id());
                    }
                    continue;
                }
                try {
                    f = EventCalendar.apply(f, e, effect);
                } catch (ForecastException x) {
                    // A declared multiplier so large that the forecast overflows: the event's doing, so name it.
                    throw new ForecastException(String.format(Locale.ROOT, "%s %s: event %s (%s) multiplies the"
                            + " forecast by %s: %s", h.spec().horizon().jsonName(), t.id(), e.id(), key,
                            effect.multiplier(), x.getMessage()), x);
                }
                effectsBy.computeIfAbsent(e.id() + "\u0000" + t.service(), k -> new ArrayList<>()).add(effect);
                params.put("event." + e.id() + "." + t.id(), effect.toString());
            }
            targetForecasts.put(t.id(), f);
        }
        List<ServiceForecast> forecasts = new ArrayList<>();
        Set<String> uplifted = new HashSet<>();
        for (Resource r : h.resources()) {
            Forecast f;
            if (r.path() == ServiceForecast.Path.ACTIVITY) {
                Map<String, Forecast> act = new LinkedHashMap<>();
                r.fit().slopes().keySet().forEach(m -> act.put(m, targetForecasts.get(Target.id(r.service(), true, m))));
                f = LinearDemandPropagation.propagate("demand(" + r.fit() + ") of " + h.forecasterName(), r.fit(), ForecastWindows.aligned(act));
                params.put("demand." + r.service() + "." + r.type().jsonName(), "activity: " + r.fit());
            } else {
                f = Objects.requireNonNull(targetForecasts.get(Target.id(r.service(), false, r.type().jsonName())));
                params.put("demand." + r.service() + "." + r.type().jsonName(), "direct: " + r.fit().reason());
            }
            f = uplift(f, r, h, applied, params, uplifted);
            forecasts.add(new ServiceForecast(r.service(), r.type(), r.unit(), r.path(), r.fit(), f));
        }
        warnUnappliedUplifts(h, until, uplifted, notes);
        effectsBy.forEach((k, effects) -> {
            String[] parts = k.split("\u0000", 2);
            FleetEvent e = feed.events().stream().filter(x -> x.id().equals(parts[0])).findFirst().orElseThrow();
            applied.add(new AppliedEvent(e.id(), EventCalendar.key(e), h.spec().horizon(), parts[1], new TimeWindow(e.start(), e.end()),
                    effects, List.of()));
        });
        for (FleetEvent m : calendar.maintenance(at, until)) {
            params.put("maintenance." + m.id(), "capacity removed " + m.start() + " to " + m.end()
                    + " (passed to the projection, not demand)");
        }
        PredictedFleetState state = PredictedDocumentWriter.write(predictor, at, h.spec().horizon(), h.forecasterName(),
                forecasts, until, params);
        return new HorizonPrediction(h.spec(), state, forecasts);
    }

    /**
     * The forecast with the declared additive uplifts of the events upcoming in it added, each shared equally by
     * the services in the event's scope that this horizon forecasts the resource of. Each uplift applied is
     * recorded in {@code applied}, in the model parameters ({@code event.<id>.<service>.<resource>.uplift}) and,
     * as {@code id + NUL + resource}, in {@code uplifted}.
     */
    private Forecast uplift(Forecast f, Resource r, HorizonState h, List<AppliedEvent> applied,
            Map<String, Object> params, Set<String> uplifted) {
        Forecast out = f;
        for (FleetEvent e : calendar.upcoming(r.service(), f.start(), f.start().plus(f.step().multipliedBy(f.horizon())))) {
            if (e.expectedImpact() == null || e.expectedImpact().additiveUplift() == null) {
                continue;
            }
            for (ResourceAmount a : e.expectedImpact().additiveUplift()) {
                if (a.type() != r.type()) {
                    continue;
                }
                // The services that receive a share are those whose forecast of the resource is uplifted: the
                // shares add up to the declared amount.
                long sharing = h.resources().stream()
                        .filter(x -> x.type() == r.type() && e.appliesTo(x.service())).count();
                double add = a.to(r.unit()).amount() / sharing;
                TimeWindow w = EventCalendar.window(e, f.step());
                out = ForecastWindows.shifted(out, w, add);
                applied.add(new AppliedEvent(e.id(), EventCalendar.key(e), h.spec().horizon(), r.service(), new TimeWindow(e.start(), e.end()),
                        List.of(), List.of(new ResourceAmount(r.type(), add, r.unit()))));
                params.put("event." + e.id() + "." + r.service() + "." + r.type().jsonName() + ".uplift",
                        String.format(Locale.ROOT, "+%s %s from %s to %s (declared %s %s, shared by %d service%s)",
                                add, r.unit().symbol(), w.start(), w.end(), a.amount(), a.unit().symbol(), sharing,
                                sharing == 1 ? "" : "s"));
                uplifted.add(e.id() + "\u0000" + r.type());
            }
        }
        return out;
    }

    /**
     * Warns of each declared additive uplift of an event within the horizon that no service was uplifted by:
     * no service in the event's scope has a forecast of that resource, so there is no use to add it to.
     */
    private void warnUnappliedUplifts(HorizonState h, Instant until, Set<String> uplifted, List<String> notes) {
        TimeWindow horizon = new TimeWindow(at, until);
        for (FleetEvent e : calendar.events()) {
            if (!EventCalendar.demand(e) || e.expectedImpact() == null || e.expectedImpact().additiveUplift() == null
                    || !new TimeWindow(e.start(), e.end()).overlaps(horizon)) {
                continue;
            }
            for (ResourceAmount a : e.expectedImpact().additiveUplift()) {
                if (uplifted.contains(e.id() + "\u0000" + a.type())) {
                    continue;
                }
                notes.add(String.format(Locale.ROOT, "event %s (%s) declares an additive uplift of %s %s %s, but no"
                        + " service in its scope has a %s forecast; not applied", e.id(), EventCalendar.key(e),
                        a.amount(), a.unit().symbol(), a.type().jsonName(), a.type().jsonName()));
                LOG.warn("event {} ({}): additive uplift of {} {} {} not applied in the {} horizon: no service in its"
                        + " scope has a {} forecast", e.id(), EventCalendar.key(e), a.amount(), a.unit().symbol(),
                        a.type().jsonName(), h.spec().horizon().jsonName(), a.type().jsonName());
            }
        }
    }

    private static double[] levels(double q) {
        double level = Math.abs(200 * q - 100);
        if (level == 0 || level == 80 || level == 98) {
            return LEVELS.clone();
        }
        return new double[] {LEVELS[0], LEVELS[1], level};
    }

    /**
     * The steps a forecast from a series' end takes to reach the horizon's end (at least one); refused when more
     * than a forecast holds, naming the series, rather than wrapping when counted as an {@code int}.
     */
    private static int steps(Instant origin, Instant until, Duration step, HorizonSpec spec, String id) {
        long steps = Math.max(1, ceilSteps(origin, until, step));
        if (steps > Forecast.MAX_HORIZON) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s %s: a forecast from the series' end %s to %s takes %d steps of %s, more than the %d a"
                    + " forecast holds", spec.horizon().jsonName(), id, origin, until, steps, step, Forecast.MAX_HORIZON));
        }
        return (int) steps;
    }

    private static long ceilSteps(Instant from, Instant to, Duration step) {
        if (!to.isAfter(from)) {
            return 0;
        }
        Duration d = Duration.between(from, to);
        long n = d.dividedBy(step);
        return step.multipliedBy(n).equals(d) ? n : n + 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FleetModel[at=%s, services=%s, horizons=%d]",
                at, history.services(), horizons.size());
    }
}
