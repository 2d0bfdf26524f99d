package io.fleetpredict.core.loop;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceGroup;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.feedback.AccuracyKey;
import io.fleetpredict.core.feedback.AccuracyTracker;
import io.fleetpredict.core.feedback.KeyAccuracy;
import io.fleetpredict.core.feedback.PredictedPoint;
import io.fleetpredict.core.feedback.PredictionInterval;
import io.fleetpredict.core.feedback.Recorded;
import io.fleetpredict.core.monitor.GapFill;
import io.fleetpredict.core.monitor.MonitoredSeries;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.HorizonPrediction;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Prediction;
import io.fleetpredict.core.predict.ServiceForecast;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.ProvisioningReport;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The feedback step of an {@link OnlinePredictStep}: each cycle, the previous cycle's step-by-step forecasts
 * are scored against the actuals that have closed since, per service, resource and horizon, in an
 * {@link AccuracyTracker}; the tracker's drift detector follows each series, and drift on any series asks
 * the predict step to refit at the next cycle. After that refit the detectors of the drifted series restart
 * their calibration (a scheduled refit keeps it).
 *
 * <p>A forecast step is scored once, by the latest forecast made before it closed, against the usage the
 * monitor recorded over it, aggregated to the horizon's step as the horizon aggregates history (the peak
 * by default). With a fleet state store, the capacity a point is scored against is the service's allocated
 * capacity when the actual is recorded; without one it is the forecast mean.
 *
 * <p>Only observed usage is scored. The buckets the monitor filled while a metric had no observation (an
 * exporter gone silent; {@link io.fleetpredict.core.monitor.MonitoredSeries#gaps()}) are no actuals: they go
 * into no figure of the tracker (MAPE, bias, coverage, under-provisioning) and are not fed to the drift
 * detector, so a silence neither raises a drift alarm nor refits the model on a made-up flat run. A forecast step
 * spanning several buckets is scored on the observed ones (their peak or mean), and left unscored when none was
 * observed; the note then says how many steps were left so. A metric filled with {@code GapFill.ZERO} (a counter)
 * is scored throughout: for it an empty bucket means no event, a value.
 *
 * <p>A model updated online through a silence longer than the lookahead carries the filled run in its state
 * ({@link OnlinePredictStep} refits on observed data alone, so it is not refitted over it): its forecasts are
 * scored, but a drift alarm they raise asks for no refit, and the detectors they fed calibrate afresh after the
 * next fit.
 *
 * <p>The notes it returns read like {@code "checkout CPU short_term: MAPE 4.1% over 96 steps, bias +0.12
 * cores, drift flagged -> refit scheduled"}: one per series scored in the cycle, and one per refit done; a series
 * whose steps in the cycle were all unobserved has a note of its own ({@code "checkout CPU short_term: 6 steps not
 * scored (no observation: the monitor filled their buckets)"}).
 *
 * <p>Thread-safe: feedback calls through one step run one at a time.
 */
public final class AccuracyFeedbackStep implements FeedbackStep {

    private final OnlinePredictStep predict;
    private final AccuracyTracker tracker;
    private final @Nullable FleetStateStore store;
    private final @Nullable String fleetId;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<AccuracyKey, Instant> scoredUntil = new HashMap<>();
    private final Set<AccuracyKey> awaitingRefit = new LinkedHashSet<>();
    private @Nullable Prediction previous;
    /** Whether the model that made {@link #previous} had absorbed a long silence since its last fit. */
    private boolean previousThroughSilence;
    private int fitsSeen;

    private AccuracyFeedbackStep(OnlinePredictStep predict, AccuracyTracker tracker, @Nullable FleetStateStore store,
            @Nullable String fleetId) {
        this.predict = Objects.requireNonNull(predict, "predict");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.store = store;
        this.fleetId = fleetId;
    }

    /**
     * A step scoring against the forecast means as capacity.
     *
     * @param predict the predict step whose forecasts are scored and which refits on drift
     * @param tracker where accuracy is tracked, with its drift detectors
     * @return the step
     */
    public static AccuracyFeedbackStep of(OnlinePredictStep predict, AccuracyTracker tracker) {
        return new AccuracyFeedbackStep(predict, tracker, null, null);
    }

    /**
     * A step scoring against the capacity allocated in a fleet state store.
     *
     * @param predict the predict step whose forecasts are scored and which refits on drift
     * @param tracker where accuracy is tracked, with its drift detectors
     * @param store the fleet state store
     * @param fleetId the fleet
     * @return the step
     */
    public static AccuracyFeedbackStep withCapacity(OnlinePredictStep predict, AccuracyTracker tracker,
            FleetStateStore store, String fleetId) {
        return new AccuracyFeedbackStep(predict, tracker, Objects.requireNonNull(store, "store"),
                Objects.requireNonNull(fleetId, "fleetId"));
    }

    /** @return the tracker the step records into, for its {@link AccuracyTracker#report()} */
    public AccuracyTracker tracker() {
        return tracker;
    }

    @Override
    public List<String> feedback(Instant now, List<PredictedFleetState> predictions, ProvisioningReport provisioning) {
        Objects.requireNonNull(now, "now");
        lock.lock();
        try {
            List<String> notes = new ArrayList<>();
            OnlinePredictStep.Status status = predict.status();
            if (status.fits() > fitsSeen) {
                if (fitsSeen > 0) {
                    notes.add(String.format(Locale.ROOT, "models refitted at %s: %s", status.lastFitAt(),
                            status.lastFitReason()));
                }
                fitsSeen = status.fits();
                // The drifted series calibrate afresh on the new model's errors; a scheduled refit keeps the
                // calibration, which still describes a model of the same kind on the same data.
                awaitingRefit.forEach(tracker::resetDrift);
                awaitingRefit.clear();
            }
            if (status.waiting() != null) {
                notes.add("no prediction: " + status.waiting());
            }
            Optional<FleetHistory> actuals = predict.history();
            if (previous != null && actuals.isPresent()) {
                score(previous, previousThroughSilence, actuals.get(), notes);
            }
            previous = predict.lastPrediction().orElse(null);
            previousThroughSilence = predict.throughSilence();
            return notes;
        } finally {
            lock.unlock();
        }
    }

    /** The fleet state in the store, read once per scoring; called only by a step built with a store. */
    private FleetState allocated(Map<String, FleetState> read) {
        FleetStateStore from = Objects.requireNonNull(store, "store");
        return read.computeIfAbsent(Objects.requireNonNull(fleetId, "fleetId"), id -> from.read(id).state());
    }

    private void score(Prediction forecasts, boolean throughSilence, FleetHistory actuals, List<String> notes) {
        Map<String, FleetState> fleet = new HashMap<>();
        Map<AccuracyKey, Integer> scored = new LinkedHashMap<>();
        Map<AccuracyKey, Integer> unobserved = new LinkedHashMap<>();
        Set<AccuracyKey> drifted = new LinkedHashSet<>();
        for (HorizonPrediction h : forecasts.horizons()) {
            for (ServiceForecast sf : h.forecasts()) {
                if (!actuals.services().contains(sf.service())) {
                    continue;
                }
                TimeSeries usage = actuals.usage(sf.service()).get(sf.resourceType());
                if (usage == null) {
                    continue;
                }
                AccuracyKey key = new AccuracyKey(sf.service(), sf.resourceType(), h.spec().horizon());
                Forecast f = sf.forecast();
                Observed observed = observed(usage, predict.lastRead(sf.service(), sf.resourceType()).orElse(null));
                Instant from = scoredUntil.getOrDefault(key, Instant.MIN);
                for (int i = 0; i < f.horizon(); i++) {
                    Instant t = f.start().plus(f.step().multipliedBy(i));
                    Instant end = t.plus(f.step());
                    if (t.isBefore(from) || t.isBefore(usage.start())) {
                        continue;
                    }
                    if (end.isAfter(usage.end())) {
                        break;
                    }
                    double actual = aggregate(usage, t, end, h.spec().aggregation(), observed);
                    if (Double.isNaN(actual)) {
                        // Nobody saw the usage of this step: the monitor made its value up.
                        unobserved.merge(key, 1, Integer::sum);
                        scoredUntil.put(key, end);
                        continue;
                    }
                    double capacity = store == null ? Math.max(0, f.mean(i))
                            : capacity(allocated(fleet), sf.service(), sf.resourceType(), sf.unit());
                    Recorded r = tracker.record(key, point(f, i, capacity), actual, f.step());
                    scored.merge(key, 1, Integer::sum);
                    if (r.drift()) {
                        drifted.add(key);
                    }
                    scoredUntil.put(key, end);
                }
            }
        }
        if (throughSilence) {
            // The model had carried its state through buckets the monitor filled: its errors say how the filling
            // misled it, not that demand changed. They are scored, but no alarm of theirs asks for a refit, and the
            // detectors they fed calibrate afresh after the next fit, which rests on observed data alone.
            awaitingRefit.addAll(scored.keySet());
            drifted.clear();
        }
        if (!drifted.isEmpty()) {
            predict.requestRefit("drift on " + drifted.stream().map(AccuracyFeedbackStep::name).toList());
            awaitingRefit.addAll(drifted);
        }
        for (KeyAccuracy k : tracker.report().series()) {
            if (scored.containsKey(k.key())) {
                notes.add(String.format(Locale.ROOT, "%s: MAPE %.1f%% over %d steps, bias %+.3g%s%s", name(k.key()),
                        k.mape(), k.count(), k.bias(), unobserved.containsKey(k.key())
                                ? ", " + unscored(Objects.requireNonNull(unobserved.remove(k.key()))) : "",
                        drifted.contains(k.key()) ? ", drift flagged -> refit scheduled" : ""));
            }
        }
        unobserved.forEach((key, n) -> notes.add(name(key) + ": " + unscored(n)));
    }

    /** What a note says of the steps left unscored for want of an observation. */
    private static String unscored(int steps) {
        return String.format(Locale.ROOT, "%d %s not scored (no observation: the monitor "
                + "filled %s)", steps, steps == 1 ? "step" : "steps", steps == 1 ? "its buckets" : "their buckets");
    }

    /**
     * Which buckets of the model's usage series were observed. A bucket the monitor filled is not an actual:
     * scored, a silent exporter's carried-forward value would count as usage nobody saw, and its flat run as a
     * change of the model's errors (a false drift alarm, and a refit on made-up data). For a metric filled with
     * {@link GapFill#ZERO} (a counter) an empty bucket is a value, no event, so it counts as observed, as it does
     * for the silence warnings of {@link OnlinePredictStep}.
     */
    private record Observed(@Nullable MonitoredSeries marks, TimeSeries usage) {

        boolean at(int usageIndex) {
            MonitoredSeries m = marks;
            if (m == null) {
                return true;
            }
            TimeSeries read = m.series();
            Instant t = usage.timeAt(usageIndex);
            if (t.isBefore(read.start()) || !t.isBefore(read.end())) {
                // Outside the window read: its marks are not known, so nothing says it was observed.
                return false;
            }
            return !m.isFilled((int) Duration.between(read.start(), t).dividedBy(read.step()));
        }
    }

    /** The marks of a usage series, or none when every bucket counts as observed. */
    private static Observed observed(TimeSeries usage, @Nullable MonitoredSeries read) {
        boolean marked = read != null && read.gapFill() != GapFill.ZERO && !read.gaps().isEmpty()
                && read.series().step().equals(usage.step());
        return new Observed(marked ? read : null, usage);
    }

    private static String name(AccuracyKey key) {
        return (key.service() == null ? "fleet" : key.service()) + " " + key.resource().jsonName() + " "
                + key.horizon().jsonName();
    }

    private static PredictedPoint point(Forecast f, int i, double capacity) {
        double mean = f.mean(i);
        double[] levels = f.levels();
        PredictionInterval interval = null;
        if (levels.length > 0) {
            double level = levels[0];
            double lo = f.lower(level)[i];
            double hi = f.upper(level)[i];
            if (Double.isFinite(lo) && Double.isFinite(hi) && hi >= lo) {
                interval = new PredictionInterval(lo, hi, level);
            }
        }
        return new PredictedPoint(mean, interval, Math.max(0, capacity), 0);
    }

    /**
     * The usage over {@code [from, to)} aggregated as the horizon aggregates, from its observed buckets alone;
     * {@code NaN} when none of them was observed.
     */
    private static double aggregate(TimeSeries usage, Instant from, Instant to, HorizonSpec.Aggregation how,
            Observed observed) {
        int a = (int) Duration.between(usage.start(), from).dividedBy(usage.step());
        int b = (int) Duration.between(usage.start(), to).dividedBy(usage.step());
        double peak = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int n = 0;
        for (int i = a; i < b; i++) {
            if (!observed.at(i)) {
                continue;
            }
            double v = usage.get(i);
            peak = Math.max(peak, v);
            sum += v;
            n++;
        }
        if (n == 0) {
            return Double.NaN;
        }
        return how == HorizonSpec.Aggregation.PEAK ? peak : sum / n;
    }

    private static double capacity(FleetState state, String service, ResourceType type, ResourceUnit unit) {
        double total = 0;
        for (ServiceState s : state.services()) {
            if (!s.name().equals(service)) {
                continue;
            }
            for (InstanceGroup g : s.instanceGroups()) {
                for (ResourceAmount a : g.capacityPerInstance()) {
                    if (a.type() == type) {
                        total += g.count() * a.to(unit).amount();
                    }
                }
            }
        }
        return total;
    }
}
