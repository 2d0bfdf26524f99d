package io.fleetpredict.core.predict;

import io.fleetpredict.core.demand.DemandModel;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The prediction engine: fits a {@link FleetModel} on a fleet's history and event feed, from which one
 * predicted fleet state per horizon follows.
 *
 * <p>For each horizon the history is aggregated to the horizon's step; for each service and resource a
 * {@link DemandModel} fit decides the path: with a good fit the activity metrics are forecast and mapped to
 * the use, otherwise the use is forecast directly. Campaigns and news scale the forecasts of the series
 * they touch by their learned or declared multiplier; maintenance is passed on as capacity removed. The
 * quantity of a service is the forecast quantile its SLA asks for, at the peak step of the horizon.
 *
 * <p>Immutable and thread-safe.
 */
public final class Predictor {

    private final List<HorizonSpec> horizons;
    private final Map<Horizon, Forecaster> forecasters;
    private final @Nullable SlaPolicies slaPolicies;
    private final double defaultQuantile;
    private final DemandModel demandModel;
    private final Duration eventSeason;
    private final int eventLookback;
    private final Clock clock;
    private final @Nullable String fleetId;

    private Predictor(Builder b) {
        this.horizons = List.copyOf(b.horizons);
        this.forecasters = new EnumMap<>(b.forecasters);
        this.slaPolicies = b.slaPolicies;
        this.defaultQuantile = b.defaultQuantile;
        this.demandModel = b.demandModel;
        this.eventSeason = b.eventSeason;
        this.eventLookback = b.eventLookback;
        this.clock = b.clock;
        this.fleetId = b.fleetId;
    }

    /** @return a builder with the defaults described on each of its methods */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fits the model with the clock's current time as the prediction time.
     *
     * @param history the fleet's history; only values before the clock's time are used
     * @param events the event feed
     * @return the fitted model
     */
    public FleetModel fit(FleetHistory history, EventFeed events) {
        return fit(history, events, clock.instant());
    }

    /**
     * Fits the model for a prediction time.
     *
     * @param history the fleet's history; only values before {@code at} are used
     * @param events the event feed
     * @param at the prediction time: every horizon starts here
     * @return the fitted model
     * @throws IllegalArgumentException if a series has no value before {@code at}, a horizon's step is not a
     *     whole multiple of the history's step, or {@code at} is so far after a series' end that a horizon would
     *     need more than {@link io.fleetpredict.forecast.Forecast#MAX_HORIZON} steps (refused before any model is
     *     fitted)
     */
    public FleetModel fit(FleetHistory history, EventFeed events, Instant at) {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(at, "at");
        return FleetModel.fit(this, history.before(at), events, at);
    }

    /**
     * The horizons the predictor forecasts.
     *
     * @return the horizons, in the order given to the builder
     */
    public List<HorizonSpec> horizons() {
        return horizons;
    }

    DemandModel demandModel() {
        return demandModel;
    }

    Duration eventSeason() {
        return eventSeason;
    }

    int eventLookback() {
        return eventLookback;
    }

    @Nullable String fleetId() {
        return fleetId;
    }

    double quantile(String service) {
        return slaPolicies == null ? defaultQuantile : slaPolicies.effectivePolicy(service).forecastQuantile();
    }

    /**
     * The forecaster of a horizon: the configured one, or {@link #defaultForecaster(Duration)} at its step.
     */
    Forecaster forecaster(Horizon horizon, Duration step) {
        Forecaster f = forecasters.get(horizon);
        return f != null ? f : defaultForecaster(step);
    }

    /**
     * The forecaster a horizon gets when none is configured: MSTL with the daily and weekly periods that the
     * horizon's step divides (each kept only when the history holds two cycles of it), or automatic ETS
     * without seasonality when the step divides neither.
     *
     * @param step the horizon's step
     * @return the default forecaster at that step
     */
    public static Forecaster defaultForecaster(Duration step) {
        List<Integer> periods = new ArrayList<>();
        for (Duration cycle : List.of(Duration.ofDays(1), Duration.ofDays(7))) {
            long p = cycle.dividedBy(step);
            if (p >= 2 && step.multipliedBy(p).equals(cycle)) {
                periods.add((int) p);
            }
        }
        return periods.isEmpty() ? Forecasters.ets(1)
                : Forecasters.mstl(periods.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Settings of a {@link Predictor}. */
    public static final class Builder {
        private List<HorizonSpec> horizons = HorizonSpec.defaults();
        private final Map<Horizon, Forecaster> forecasters = new EnumMap<>(Horizon.class);
        private @Nullable SlaPolicies slaPolicies;
        private double defaultQuantile = 0.9;
        private DemandModel demandModel = DemandModel.defaults();
        private Duration eventSeason = Duration.ofDays(7);
        private int eventLookback = 4;
        private Clock clock = Clock.systemUTC();
        private @Nullable String fleetId;

        private Builder() {
        }

        /**
         * The horizons to predict, each at most once; by default {@link HorizonSpec#defaults()}.
         *
         * @param value the horizons, not empty
         * @return this builder
         */
        public Builder horizons(List<HorizonSpec> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("horizons must not be empty");
            }
            Set<Horizon> seen = EnumSet.noneOf(Horizon.class);
            for (HorizonSpec h : value) {
                if (!seen.add(h.horizon())) {
                    throw new IllegalArgumentException("horizon " + h.horizon().jsonName() + " is given twice");
                }
            }
            this.horizons = List.copyOf(value);
            return this;
        }

        /**
         * The forecaster of one horizon; by default MSTL with the daily and weekly periods at the
         * horizon's step, or automatic ETS where neither applies.
         *
         * @param horizon the horizon
         * @param value the forecaster
         * @return this builder
         */
        public Builder forecaster(Horizon horizon, Forecaster value) {
            forecasters.put(Objects.requireNonNull(horizon, "horizon"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The SLA policies whose forecast quantile sets each service's quantity; without them every
         * service gets {@link #defaultQuantile}.
         *
         * @param value the policies
         * @return this builder
         */
        public Builder slaPolicies(SlaPolicies value) {
            this.slaPolicies = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * The quantile used without SLA policies; 0.9 by default.
         *
         * @param value in [0.5, 0.999]
         * @return this builder
         */
        public Builder defaultQuantile(double value) {
            if (!(value >= 0.5 && value <= 0.999)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "defaultQuantile must be in [0.5, 0.999], was %s", value));
            }
            this.defaultQuantile = value;
            return this;
        }

        /**
         * The demand model relating use to activity; {@link DemandModel#defaults()} by default.
         *
         * @param value the model
         * @return this builder
         */
        public Builder demandModel(DemandModel value) {
            this.demandModel = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * The season and lookback over which an event's baseline is measured (see
         * {@link io.fleetpredict.core.event.EventEffects#learn}); 7 days and 4 seasons by default.
         *
         * @param season the seasonal lag, positive
         * @param lookback how many seasons back, at least 1
         * @return this builder
         */
        public Builder eventBaseline(Duration season, int lookback) {
            if (season.isZero() || season.isNegative()) {
                throw new IllegalArgumentException("season must be positive, was " + season);
            }
            if (lookback < 1) {
                throw new IllegalArgumentException("lookback must be at least 1, was " + lookback);
            }
            this.eventSeason = season;
            this.eventLookback = lookback;
            return this;
        }

        /**
         * The clock giving the prediction time of {@link Predictor#fit(FleetHistory, EventFeed)}; the
         * system UTC clock by default.
         *
         * @param value the clock
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "value");
            return this;
        }

        /**
         * The fleet id written into the documents; absent by default.
         *
         * @param value the id, a plain name as the documents require: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}
         * @return this builder
         */
        public Builder fleetId(String value) {
            // The documents refuse any other fleet id, so a prediction must not be written with one.
            this.fleetId = Checks.fleetId("fleetId", value);
            return this;
        }

        /** @return the predictor */
        public Predictor build() {
            return new Predictor(this);
        }
    }
}
