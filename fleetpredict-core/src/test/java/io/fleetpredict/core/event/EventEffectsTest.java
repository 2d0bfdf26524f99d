package io.fleetpredict.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class EventEffectsTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WEEK = Duration.ofDays(7);

    /** Hourly demand with daily and weekly cycles and 5% noise; the campaign multiplies it by {@code uplift}. */
    private static TimeSeries demandWithCampaigns(long seed, double uplift, List<TimeWindow> campaigns) {
        Random rnd = new Random(seed);
        int n = 24 * 7 * 12;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double base = 1000 * (1 + 0.5 * Math.sin(2 * Math.PI * i / 24)) * (i % 168 < 120 ? 1.0 : 0.7);
            double x = base * (1 + 0.05 * rnd.nextGaussian());
            Instant t = T0.plus(HOUR.multipliedBy(i));
            if (campaigns.stream().anyMatch(w -> w.contains(t))) {
                x *= uplift;
            }
            v[i] = x;
        }
        return TimeSeries.of(T0, HOUR, v);
    }

    private static List<TimeWindow> campaigns() {
        List<TimeWindow> w = new ArrayList<>();
        for (int week : new int[] {3, 6, 9}) {
            Instant s = T0.plus(WEEK.multipliedBy(week)).plus(Duration.ofHours(50));
            w.add(new TimeWindow(s, s.plus(Duration.ofHours(12))));
        }
        return w;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void learn_campaignWithKnownUplift_recoversItWithinThreePercent(long seed) {
        List<TimeWindow> windows = campaigns();
        TimeSeries demand = demandWithCampaigns(seed, 1.6, windows);
        EventEffect effect = EventEffects.learn("campaign", demand, windows, windows, WEEK, 3);
        // 12 hourly steps at 5% noise against a three-week median baseline, median of three occurrences:
        // the multiplier's standard error is about 1.3%, so 4% is three standard errors.
        assertEquals(1.6, effect.multiplier(), 1.6 * 0.04);
        assertEquals(3, effect.occurrenceRatios().size());
        assertEquals(EventEffect.Source.LEARNED, effect.source());
    }

    @Test
    void learn_noEffect_givesAboutOne() {
        List<TimeWindow> windows = campaigns();
        TimeSeries demand = demandWithCampaigns(11, 1.0, windows);
        assertEquals(1.0, EventEffects.learn("news", demand, windows, windows, WEEK, 3).multiplier(), 0.03);
    }

    @Test
    void learn_baselineSkipsOtherEvents() {
        // A quiet probe window in week 4: one week back is week 3's campaign (demand doubled), which must not
        // serve as its baseline. With one season of lookback nothing is left; with two, week 2 is used.
        List<TimeWindow> windows = campaigns();
        Instant s = T0.plus(WEEK.multipliedBy(4)).plus(Duration.ofHours(50));
        TimeWindow probe = new TimeWindow(s, s.plus(Duration.ofHours(12)));
        TimeSeries demand = demandWithCampaigns(5, 2.0, windows);
        assertThrows(InsufficientDataException.class,
                () -> EventEffects.learn("probe", demand, List.of(probe), windows, WEEK, 1));
        EventEffect effect = EventEffects.learn("probe", demand, List.of(probe), windows, WEEK, 2);
        assertEquals(1.0, effect.multiplier(), 0.06);
    }

    @Test
    void learn_occurrenceBeforeAnyBaseline_throwsInsufficientData() {
        TimeSeries demand = demandWithCampaigns(1, 1.5, List.of());
        TimeWindow first = new TimeWindow(T0, T0.plus(Duration.ofHours(5)));
        assertThrows(InsufficientDataException.class,
                () -> EventEffects.learn("launch", demand, List.of(first), List.of(first), WEEK, 2));
    }

    @Test
    void apply_multipliesOnlyInsideTheWindow() {
        Forecast f = Forecast.builder("flat", T0, HOUR, new double[] {10, 10, 10, 10})
                .interval(80, new double[] {8, 8, 8, 8}, new double[] {12, 12, 12, 12})
                .build();
        TimeWindow w = new TimeWindow(T0.plus(HOUR), T0.plus(HOUR.multipliedBy(3)));
        EventEffect e = new EventEffect("campaign", 1.5, List.of(), EventEffect.Source.DECLARED);
        Forecast g = EventEffects.apply(f, w, e);
        assertEquals(10, g.mean(0));
        assertEquals(15, g.mean(1));
        assertEquals(15, g.mean(2));
        assertEquals(10, g.mean(3));
        assertEquals(18, g.upper(80)[1]);
        assertEquals(12, g.lower(80)[2]);
    }

    @Test
    void timeWindow_endingBeforeItStarts_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TimeWindow(T0, T0.minusSeconds(1)));
        assertEquals(true, e.getMessage().contains("not after its start"));
    }

    @Test
    void effect_nonPositiveMultiplier_isRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new EventEffect("x", 0, List.of(), EventEffect.Source.DECLARED));
    }
    /**
     * The steps of a series a window holds, found by index, are those {@link TimeWindow#contains} holds, for windows
     * before, across, inside and after the series, aligned to its steps or not.
     */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void indexIn_randomWindows_theStepsContainsHolds(long seed) {
        Random rnd = new Random(seed);
        Duration step = Duration.ofMinutes(1 + rnd.nextInt(90));
        TimeSeries s = TimeSeries.of(T0, step, new double[1 + rnd.nextInt(200)]);
        for (int k = 0; k < 200; k++) {
            Instant start = T0.plusSeconds(rnd.nextInt(600_000) - 100_000);
            TimeWindow w = new TimeWindow(start, start.plusSeconds(1 + rnd.nextInt(200_000)));
            int from = w.firstIndexIn(s);
            int to = w.endIndexIn(s);
            for (int i = 0; i < s.size(); i++) {
                assertEquals(w.contains(s.timeAt(i)), i >= from && i < to, w + " step " + i);
            }
        }
    }

    /**
     * The multiplier learnt with steps found by index and baselines computed once a step is the one a direct
     * reading of the rule gives (every occurrence's steps by time, every baseline step checked against every event),
     * over many overlapping occurrences.
     */
    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25, 26})
    void learn_manyOverlappingOccurrences_asTheRuleReadDirectly(long seed) {
        Random rnd = new Random(seed);
        List<TimeWindow> occurrences = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            Instant start = T0.plus(WEEK.multipliedBy(2)).plusSeconds(60L * rnd.nextInt(60 * 24 * 60));
            occurrences.add(new TimeWindow(start, start.plusSeconds(60L * (1 + rnd.nextInt(60 * 72)))));
        }
        List<TimeWindow> others = new ArrayList<>(occurrences.subList(0, 20));
        others.add(new TimeWindow(T0.plusSeconds(3600 * 30 + 17), T0.plusSeconds(3600 * 80)));
        TimeSeries demand = demandWithCampaigns(seed, 1.3, occurrences);
        EventEffect learnt = EventEffects.learn("campaign", demand, occurrences, others, WEEK, 3);
        assertEquals(directRatios(demand, occurrences, others, 168, 3), learnt.occurrenceRatios());
    }

    /** The rule of {@link EventEffects#learn} read step by step, by time. */
    private static List<Double> directRatios(TimeSeries s, List<TimeWindow> occurrences, List<TimeWindow> others,
            int lag, int lookback) {
        List<Double> ratios = new ArrayList<>();
        for (TimeWindow w : occurrences) {
            double actual = 0;
            double baseline = 0;
            int steps = 0;
            for (int i = 0; i < s.size(); i++) {
                if (!w.contains(s.timeAt(i))) {
                    continue;
                }
                List<Double> found = new ArrayList<>();
                for (int k = 1; k <= lookback && i - k * lag >= 0; k++) {
                    Instant t = s.timeAt(i - k * lag);
                    if (others.stream().noneMatch(e -> e.contains(t))) {
                        found.add(s.get(i - k * lag));
                    }
                }
                if (found.isEmpty()) {
                    continue;
                }
                double[] v = found.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                int n = v.length;
                actual += s.get(i);
                baseline += n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
                steps++;
            }
            if (steps > 0 && baseline > 0) {
                ratios.add(actual / baseline);
            }
        }
        return ratios;
    }
}
