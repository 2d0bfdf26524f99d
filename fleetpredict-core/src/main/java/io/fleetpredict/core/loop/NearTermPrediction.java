package io.fleetpredict.core.loop;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.ModelInfo;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.document.TierPolicy;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.forecast.TimeSeries;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The short term as the loop provisions for it: every step from the last closed one until a launch made
 * at the next cycle would be ready and serving, and a cooldown beyond ({@code bootTime + leadTime +
 * scaleInCooldown + cycle}, plus one step), at the monitor's own step, one {@link NearTermForecast} per
 * service and resource. The projection buys capacity for the steps only a launch made now serves in time,
 * and releases capacity only when every step of the reach stays under what would remain.
 *
 * <p><b>The operating point is chosen from the SLA target.</b> Each service's bound is the
 * {@code level} quantile of its forecast errors, and the level follows adaptive conformal inference
 * (Gibbs and Candès, 2021) on the share of each closed step in which the service's demand stood above its
 * ready capacity ({@code short}, from {@link ReadyCapacity}: what the cloud actually ran), against the
 * SLA's {@link TierPolicy#maxViolationShare()} ({@code target}, or {@code 1 - forecastQuantile} when the
 * tier states none). The level is the sum of two terms:
 * <ul>
 *   <li>a <em>calibrated</em> term, {@code calibrated += target / 20 * (short - target)}: the long-run share
 *       of short time tracks the target, whatever the trace. Its rate keeps Gibbs and Candès's ratio of
 *       rate to target ({@code 0.005} at a target of {@code 0.1}): a short step raises it by a twentieth of
 *       the allowed share, so at a target of 0.1% one unforeseeable spike does not throw the bound past
 *       the largest error seen for the {@code 1 / target} steps it takes to come back;</li>
 *   <li>a <em>burst</em> term, {@code burst = burst * 0.5^(step / reach) + 0.005 * short}: Gibbs and
 *       Candès's own rate, forgotten with a half-life of the reach (the time a launch takes to serve and a
 *       release to wait out). Anomalies come in runs (a holiday, a storm, a flash crowd); the burst term
 *       widens the bound at once after a short step, for as long as buying capacity takes to matter, and
 *       then lets it go.</li>
 * </ul>
 * The burst term stays bounded, so the calibrated term alone carries the long-run guarantee: its fixed
 * point is the level at which, bursts included, the share of short time equals the target. The
 * calibrated term starts at {@code 1 - target}, the plain conformal choice, and neither moves until the
 * cloud has been observed.
 *
 * <p>Not thread-safe: {@link OnlinePredictStep} serialises calls.
 */
final class NearTermPrediction {

    /**
     * The calibrated term's rate per unit of target: Gibbs and Candès's rate of 0.005 at a target of 0.1,
     * kept in proportion, not tuned here.
     */
    static final double CALIBRATION_RATE_PER_TARGET = 0.05;
    /** The burst term's rate: Gibbs and Candès's choice, not tuned here. */
    static final double BURST_RATE = 0.005;
    /** How far back the ordinary error pools reach. */
    static final Duration WINDOW = Duration.ofDays(7);

    private final Duration reach;
    private final Duration bootTime;
    private final Map<ResourceType, Double> floor;
    private final @Nullable SlaPolicies policies;
    private final @Nullable ReadyCapacity ready;
    private final Duration cycle;
    private final Map<String, Map<ResourceType, NearTermForecast>> forecasts = new LinkedHashMap<>();
    private final Map<String, Double> calibrated = new LinkedHashMap<>();
    private final Map<String, Double> bursts = new LinkedHashMap<>();
    private @Nullable Instant observingSince;

    /**
     * @param bootTime the longest an instance takes to become ready
     * @param beyond how far past the boot time the forecast reaches: the SLA's largest lead time plus
     *     scale-in cooldown
     * @param floor one instance's capacity per resource, canonical units (the smallest offer's)
     * @param policies the SLA policies, or {@code null} for the defaults' target of 0.1
     * @param ready what the cloud ran, or {@code null} when the loop cannot see it (the level then stays put)
     * @param cycle how often the loop decides: capacity a later cycle can still launch in time is left to it
     */
    NearTermPrediction(Duration bootTime, Duration beyond, Map<ResourceType, Double> floor,
            @Nullable SlaPolicies policies, @Nullable ReadyCapacity ready, Duration cycle) {
        this.bootTime = bootTime;
        this.reach = bootTime.plus(beyond).plus(cycle);
        this.floor = new EnumMap<>(floor);
        this.policies = policies;
        this.ready = ready;
        this.cycle = cycle;
    }

    /**
     * The most steps ahead the prediction reaches at a step: as many as its error window holds
     * ({@link #WINDOW}, at least {@value NearTermForecast#MIN_WINDOW_ERRORS} steps). Each lead keeps its own
     * errors over the window, so a reach of more steps would both measure its far leads only on forecasts made
     * before the window began and hold leads times window errors per resource; and every cycle writes one
     * predicted state per step of the reach.
     */
    static long maxSteps(Duration step) {
        return Math.max(NearTermForecast.MIN_WINDOW_ERRORS, WINDOW.dividedBy(step));
    }

    /**
     * Refuses a reach longer, in steps of {@code step}, than {@link #maxSteps} allows, naming what it adds up
     * to: a boot time of days at a one-minute step is a configuration mistake, refused here rather than
     * exhausting the heap in the first cycle.
     *
     * @throws IllegalStateException if the reach is too long
     */
    void requireReachWithin(Duration step) {
        long steps = stepsCovering(reach, step) + 1L;
        if (steps > maxSteps(step)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "the near-term prediction would reach %s ahead (the longest boot time %s, plus the largest lead "
                            + "time and scale-in cooldown %s, plus the cycle %s): %d steps of %s, more than the %d its "
                            + "error window of %s holds; use offers that boot sooner, shorter SLA lead times and "
                            + "cooldowns, or a longer step", reach, bootTime, reach.minus(bootTime).minus(cycle),
                    cycle, steps, step, maxSteps(step), WINDOW));
        }
    }

    /**
     * How far past the cycle's time the prediction reaches: the span over which what a cycle decides matters,
     * which also bounds how far the history may run ahead of the clock, and how long a metric may be silent,
     * before the loop says so ({@link OnlinePredictStep}).
     *
     * @return the longest boot time, plus the largest lead time and scale-in cooldown, plus the cycle
     */
    Duration reach() {
        return reach;
    }

    /** The share of time the service's demand may stand above its ready capacity. */
    double target(String service) {
        if (policies == null) {
            return 0.1;
        }
        TierPolicy p = policies.effectivePolicy(service);
        Double share = p.maxViolationShare();
        return share != null ? share : 1 - p.forecastQuantile();
    }

    /** @return the current level of a service's bound: its calibrated term plus its burst term */
    double level(String service) {
        return calibrated(service) + burst(service);
    }

    /** @return the calibrated term of a service's level, 1 - its target before its first step */
    double calibrated(String service) {
        return calibrated.getOrDefault(service, 1 - target(service));
    }

    /** @return the burst term of a service's level, 0 before its first short step */
    double burst(String service) {
        return bursts.getOrDefault(service, 0.0);
    }

    /**
     * Absorbs the steps closed since the last call, adapting each service's level, and predicts every step
     * from {@code now} until a launch made now would serve.
     *
     * @param history the monitor's history
     * @param now the cycle's time
     * @param events the known events, each applied to the services in its scope
     * @param fleetId the fleet, for the documents
     * @return one predicted state per step, earliest first
     */
    List<PredictedFleetState> predict(FleetHistory history, Instant now, List<FleetEvent> events, String fleetId) {
        if (ready != null && ready.observed() && observingSince == null) {
            observingSince = now;
        }
        Duration step = history.step();
        for (String service : history.services()) {
            absorb(service, history, scoped(events, service), step);
        }
        return states(history, now, events, fleetId, step);
    }

    /**
     * The events whose scope takes in {@code service} ({@link FleetEvent#appliesTo}): an event scoped elsewhere, or
     * to a misspelt name, leaves it be.
     */
    private static List<FleetEvent> scoped(List<FleetEvent> events, String service) {
        return events.stream().filter(e -> e.appliesTo(service)).toList();
    }

    private void absorb(String service, FleetHistory history, List<FleetEvent> events, Duration step) {
        Map<ResourceType, TimeSeries> usage = history.usage(service);
        Map<ResourceType, NearTermForecast> byType = forecasts.computeIfAbsent(service, s -> new EnumMap<>(ResourceType.class));
        Instant from = null;
        Instant to = null;
        for (Map.Entry<ResourceType, TimeSeries> e : usage.entrySet()) {
            NearTermForecast f = byType.computeIfAbsent(e.getKey(), t -> new NearTermForecast(step,
                    stepsCovering(reach, step) + 1, stepsCovering(bootTime, step),
                    floorIn(t, history.unit(service, t)), WINDOW));
            Instant absorbed = f.end();
            Instant end = absorbed == null ? e.getValue().start() : absorbed;
            from = from == null || end.isBefore(from) ? end : from;
            to = to == null || e.getValue().end().isAfter(to) ? e.getValue().end() : to;
        }
        if (from == null || to == null) {
            return;
        }
        double burstDecay = Math.pow(0.5, step.toNanos() / (double) reach.toNanos());
        for (Instant t = from; t.isBefore(to); t = t.plus(step)) {
            Map<ResourceType, Double> demand = new EnumMap<>(ResourceType.class);
            for (Map.Entry<ResourceType, TimeSeries> e : usage.entrySet()) {
                TimeSeries s = e.getValue();
                long i = (t.toEpochMilli() - s.start().toEpochMilli()) / step.toMillis();
                if (t.isBefore(s.start()) || i >= s.size()) {
                    continue;
                }
                double value = s.get((int) i);
                NearTermForecast f = Objects.requireNonNull(byType.get(e.getKey()), "made in the loop above");
                Instant absorbed = f.end();
                if (absorbed == null || !absorbed.isAfter(t)) {
                    f.absorb(t, value, events);
                }
                demand.put(e.getKey(), history.unit(service, e.getKey()).convert(value, e.getKey().canonicalUnit()));
            }
            if (ready != null && observingSince != null && !t.isBefore(observingSince)) {
                double shortShare = ready.shortShare(service, demand, t, t.plus(step));
                double target = target(service);
                double level = calibrated(service) + CALIBRATION_RATE_PER_TARGET * target * (shortShare - target);
                // Above 1 the bound reaches past the largest error seen (see NearTermForecast#forecast), and the
                // level remembers the short time it owes; below 0 it would mean no bound at all.
                calibrated.put(service, Math.max(0, level));
                bursts.put(service, burst(service) * burstDecay + BURST_RATE * shortShare);
            }
        }
    }

    private List<PredictedFleetState> states(FleetHistory history, Instant now, List<FleetEvent> events,
            String fleetId, Duration step) {
        List<PredictedFleetState> out = new ArrayList<>();
        Instant origin = null;
        for (Map<ResourceType, NearTermForecast> byType : forecasts.values()) {
            for (NearTermForecast f : byType.values()) {
                Instant end = f.end();
                if (end != null && (origin == null || end.isBefore(origin))) {
                    origin = end;
                }
            }
        }
        if (origin == null) {
            return out;
        }
        int horizon = stepsCovering(reach, step) + 1;
        for (int h = 1; h <= horizon; h++) {
            Instant from = origin.plus(step.multipliedBy(h - 1));
            Instant until = from.plus(step);
            if (!until.isAfter(now)) {
                continue;
            }
            if (!from.isBefore(now.plus(reach))) {
                break;
            }
            Map<ResourceType, Double> total = new EnumMap<>(ResourceType.class);
            List<ServiceRequirements> services = new ArrayList<>();
            Map<String, Object> params = new LinkedHashMap<>();
            params.put(ModelInfo.DECISION_INTERVAL, cycle.toString());
            for (String service : history.services()) {
                Map<ResourceType, NearTermForecast> byType = forecasts.getOrDefault(service, Map.of());
                List<FleetEvent> own = scoped(events, service);
                double level = level(service);
                List<ResourceRequirement> reqs = new ArrayList<>();
                for (Map.Entry<ResourceType, NearTermForecast> e : byType.entrySet()) {
                    NearTermForecast f = e.getValue();
                    Instant end = f.end();
                    if (end == null) {
                        continue;
                    }
                    int lead = (int) ((from.toEpochMilli() - end.toEpochMilli()) / step.toMillis()) + 1;
                    if (lead < 1 || lead > f.horizon()) {
                        continue;
                    }
                    double[] pu = f.forecast(lead, level, own);
                    ResourceUnit unit = history.unit(service, e.getKey());
                    double upper = Decimals.round(pu[1]);
                    double median = Math.min(upper, Decimals.round(pu[0]));
                    reqs.add(new ResourceRequirement(e.getKey(), upper, unit, median, upper, upper));
                    total.merge(e.getKey(), unit.convert(upper, e.getKey().canonicalUnit()), Double::sum);
                    if (h == 1) {
                        params.put("forecast." + service + "." + e.getKey().jsonName(), f.candidate(lead));
                    }
                }
                if (!reqs.isEmpty()) {
                    services.add(new ServiceRequirements(service, reqs));
                    params.put("level." + service, decimal(level));
                    params.put("burst." + service, decimal(burst(service)));
                    params.put("target." + service, decimal(target(service)));
                }
            }
            if (services.isEmpty()) {
                continue;
            }
            List<ResourceRequirement> fleet = new ArrayList<>();
            total.forEach((type, v) -> fleet.add(new ResourceRequirement(type, Decimals.round(v),
                    type.canonicalUnit(), null, null, null)));
            Instant validFrom = from.isBefore(now) ? now : from;
            out.add(new PredictedFleetState(1, fleetId, now, Horizon.SHORT_TERM, validFrom, until, fleet, services,
                    new ModelInfo(ModelInfo.NEAR_TERM, params), null));
        }
        return out;
    }

    private double floorIn(ResourceType type, ResourceUnit unit) {
        double canonical = floor.getOrDefault(type, 0.0);
        double f = canonical > 0 ? type.canonicalUnit().convert(canonical, unit) : 0;
        return f > 0 ? f : Double.MIN_NORMAL;
    }

    static int stepsCovering(Duration d, Duration step) {
        return Math.max(1, (int) Math.ceil(d.toNanos() / (double) step.toNanos() - 1e-9));
    }

    private static BigDecimal decimal(double v) {
        return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }
}
