package io.fleetpredict.core.predict;

import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.event.EventEffect;
import io.fleetpredict.core.event.EventEffects;
import io.fleetpredict.core.event.TimeWindow;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The event feed as the predictor reads it. Events of the same type and name ({@code campaign:Spring sale})
 * are occurrences of one recurring event type, whose effect is learned from the past ones. Campaigns and
 * news act on demand; maintenance only on capacity. Windows are widened to whole prediction steps, since a
 * step's peak reflects an event that touches any part of it.
 */
final class EventCalendar {

    private final List<FleetEvent> events;

    EventCalendar(EventFeed feed) {
        this.events = feed.events();
    }

    List<FleetEvent> events() {
        return events;
    }

    static String key(FleetEvent e) {
        return e.type().jsonName() + ":" + e.name();
    }

    static boolean demand(FleetEvent e) {
        return e.type() != EventType.MAINTENANCE;
    }

    static TimeWindow window(FleetEvent e, Duration step) {
        return new TimeWindow(floor(e.start(), step), BucketAggregation.ceil(e.end(), step));
    }

    private static Instant floor(Instant t, Duration step) {
        long sec = step.getSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), sec) * sec);
    }

    /** Demand events of a service that started before {@code before}, grouped by key in feed order. */
    Map<String, List<TimeWindow>> past(String service, Instant before, Duration step) {
        Map<String, List<TimeWindow>> out = new LinkedHashMap<>();
        for (FleetEvent e : events) {
            if (demand(e) && e.appliesTo(service) && e.start().isBefore(before)) {
                out.computeIfAbsent(key(e), k -> new ArrayList<>()).add(window(e, step));
            }
        }
        return out;
    }

    List<TimeWindow> demandWindows(String service, Duration step) {
        List<TimeWindow> out = new ArrayList<>();
        for (FleetEvent e : events) {
            if (demand(e) && e.appliesTo(service)) {
                out.add(window(e, step));
            }
        }
        return out;
    }

    /** Demand events of a service overlapping {@code [from, to)}. */
    List<FleetEvent> upcoming(String service, Instant from, Instant to) {
        TimeWindow range = new TimeWindow(from, to);
        return events.stream()
                .filter(e -> demand(e) && e.appliesTo(service) && new TimeWindow(e.start(), e.end()).overlaps(range))
                .toList();
    }

    List<FleetEvent> maintenance(Instant from, Instant to) {
        TimeWindow range = new TimeWindow(from, to);
        return events.stream()
                .filter(e -> !demand(e) && new TimeWindow(e.start(), e.end()).overlaps(range))
                .toList();
    }

    /** The declared multiplier of the first event of a key that declares one, or 0 when none does. */
    double declaredMultiplier(String key) {
        for (FleetEvent e : events) {
            if (key(e).equals(key) && e.expectedImpact() != null && e.expectedImpact().demandMultiplier() != null) {
                return e.expectedImpact().demandMultiplier();
            }
        }
        return 0;
    }

    /**
     * Learns the effect of each recurring type with past occurrences in the series.
     *
     * @return the learned effects by key; keys whose occurrences have no baseline are absent
     */
    Map<String, EventEffect> learn(String service, TimeSeries series, Duration season, int lookback) {
        Map<String, EventEffect> out = new LinkedHashMap<>();
        long lag = season.dividedBy(series.step());
        if (lag < 1 || !series.step().multipliedBy(lag).equals(season)) {
            return out;
        }
        List<TimeWindow> all = demandWindows(service, series.step());
        past(service, series.end(), series.step()).forEach((key, occurrences) -> {
            try {
                out.put(key, EventEffects.learn(key, series, occurrences, all, season, lookback));
            } catch (InsufficientDataException e) {
                // No baseline: the declared impact, if any, stands in for it.
            }
        });
        return out;
    }

    /**
     * Removes the effect of past events from a series: values inside an occurrence are divided by the
     * type's learned multiplier, or else its declared one, so the forecaster sees demand without them.
     */
    TimeSeries clean(String service, TimeSeries series, Map<String, EventEffect> learned) {
        double[] v = series.values();
        boolean changed = false;
        for (Map.Entry<String, List<TimeWindow>> e : past(service, series.end(), series.step()).entrySet()) {
            EventEffect effect = learned.get(e.getKey());
            double m = effect != null ? effect.multiplier() : declaredMultiplier(e.getKey());
            if (m <= 0 || m == 1) {
                continue;
            }
            for (TimeWindow w : e.getValue()) {
                // By index: a scan of the whole series per occurrence made a long feed cost occurrences x steps.
                for (int i = w.firstIndexIn(series), to = w.endIndexIn(series); i < to; i++) {
                    v[i] /= m;
                    changed = true;
                }
            }
        }
        return changed ? TimeSeries.of(series.start(), series.step(), v) : series;
    }

    /** Applies one effect to a forecast over an event's window, widened to whole steps. */
    static Forecast apply(Forecast f, FleetEvent e, EventEffect effect) {
        return EventEffects.apply(f, window(e, f.step()), effect);
    }

    static Set<String> keys(List<FleetEvent> es) {
        Set<String> out = new LinkedHashSet<>();
        es.forEach(e -> out.add(key(e)));
        return out;
    }
}
