package io.fleetpredict.core.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.demand.DemandFit;
import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.SchemaCheck;
import io.fleetpredict.core.event.EventEffect;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.InsufficientDataException;
import io.fleetpredict.forecast.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictorTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z"); // a Monday
    private static final Duration HOUR = Duration.ofHours(1);
    private static final HorizonSpec TWO_DAYS_HOURLY =
            new HorizonSpec(Horizon.MEDIUM_TERM, HOUR, Duration.ofDays(2), HorizonSpec.Aggregation.PEAK);

    /** A noise-free weekly pattern: a daily wave, lower at weekends. */
    private static double base(int i) {
        int hour = i % 24;
        int day = (i / 24) % 7;
        return (day >= 5 ? 70 : 100) + 40 * Math.sin(2 * Math.PI * (hour - 10) / 24);
    }

    private static FleetEvent campaign(String id, String name, Instant day, Double multiplier) {
        return new FleetEvent(id, EventType.CAMPAIGN, name, day.plus(Duration.ofHours(10)), day.plus(Duration.ofHours(22)),
                List.of(), multiplier == null ? null : new ExpectedImpact(multiplier, null, null, null));
    }

    /** Five weeks hourly; a "Promo" campaign x1.5 on day 9 and day 16 (weeks 2 and 3), 10:00 to 22:00. */
    private static FleetHistory promoHistory(double uplift, double noise, long seed) {
        Random rnd = new Random(seed);
        double[] v = new double[5 * 168];
        for (int i = 0; i < v.length; i++) {
            int day = i / 24;
            int hour = i % 24;
            boolean promo = (day == 9 || day == 16) && hour >= 10 && hour < 22;
            v[i] = base(i) * (promo ? uplift : 1) * (1 + noise * rnd.nextGaussian());
        }
        return FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, v).build();
    }

    private static Instant day(int d) {
        return T0.plus(Duration.ofDays(d));
    }

    private static Predictor seasonalNaive() {
        return Predictor.builder().horizons(List.of(TWO_DAYS_HOURLY))
                .forecaster(Horizon.MEDIUM_TERM, Forecasters.seasonalNaive(168)).build();
    }

    // --- demand -----------------------------------------------------------------------------------

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"..", ".", "-rf", "my fleet", "a/b", "shop\n", ""})
    void builder_fleetIdTheDocumentsWouldRefuse_refused(String id) {
        assertThrows(IllegalArgumentException.class, () -> Predictor.builder().fleetId(id));
    }

    @Test
    void fit_cpuExactlyTwoHundredthsOfACorePerTransaction_slopeRecoveredAndPropagated() {
        int n = 21 * 24;
        double[] tx = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            tx[i] = 1000 + 500 * Math.sin(2 * Math.PI * i / 24) + 37 * ((i * 7919) % 13);
            cpu[i] = 0.02 * tx[i];
        }
        FleetHistory h = FleetHistory.builder()
                .activity("shop", "transactions", T0, HOUR, tx)
                .usage("shop", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, cpu).build();
        Predictor p = Predictor.builder().horizons(List.of(HorizonSpec.shortTerm()))
                .forecaster(Horizon.SHORT_TERM, Forecasters.naive()).build();

        FleetModel m = p.fit(h, new EventFeed(1, List.of()), T0.plus(HOUR.multipliedBy(n)));
        DemandFit fit = m.demandFit(Horizon.SHORT_TERM, "shop", ResourceType.CPU);
        ServiceForecast f = m.predict().horizon(Horizon.SHORT_TERM).forecast("shop", ResourceType.CPU);

        assertEquals(DemandFit.Quality.GOOD, fit.quality());
        assertEquals(0.02, fit.slopes().get("transactions"), 1e-9);
        assertEquals(0, fit.intercept(), 1e-6);
        assertEquals(ServiceForecast.Path.ACTIVITY, f.path());
        // The naive forecast of transactions is the last value; CPU follows by the slope.
        for (int k = 0; k < f.forecast().horizon(); k++) {
            assertEquals(0.02 * tx[n - 1], f.forecast().mean(k), 1e-6);
        }
    }

    @Test
    void fit_sample_goodFitsUseActivityPoorAndMissingFallBackToDirect() {
        FleetModel m = Predictor.builder().horizons(List.of(HorizonSpec.shortTerm())).build()
                .fit(SampleFleet.history(), SampleFleet.events(), Instant.parse("2024-03-18T00:00:00Z"));
        DemandFit checkout = m.demandFit(Horizon.SHORT_TERM, "checkout", ResourceType.CPU);
        DemandFit catalogueMemory = m.demandFit(Horizon.SHORT_TERM, "catalogue", ResourceType.MEMORY);
        DemandFit search = m.demandFit(Horizon.SHORT_TERM, "search", ResourceType.CPU);
        Prediction p = m.predict();

        // The generator's relation is 2 + 0.02 tx + 0.001 sessions + N(0, 0.4); the tolerance covers the noise.
        assertEquals(DemandFit.Quality.GOOD, checkout.quality());
        assertEquals(0.02, checkout.slopes().get("transactions"), 0.002);
        assertEquals(0.001, checkout.slopes().get("sessions"), 0.0007);
        assertEquals(DemandFit.Quality.POOR, catalogueMemory.quality());
        assertEquals(DemandFit.Quality.NO_ACTIVITY, search.quality());
        assertEquals(ServiceForecast.Path.DIRECT,
                p.horizon(Horizon.SHORT_TERM).forecast("catalogue", ResourceType.MEMORY).path());
        assertEquals(ServiceForecast.Path.ACTIVITY,
                p.horizon(Horizon.SHORT_TERM).forecast("checkout", ResourceType.CPU).path());
    }

    // --- events -----------------------------------------------------------------------------------

    @Test
    void learn_noiseFreeCampaign_upliftExactAndForecastMatchesActual() {
        FleetHistory h = promoHistory(1.5, 0, 1);
        EventFeed feed = new EventFeed(1, List.of(campaign("p1", "Promo", day(9), null),
                campaign("p2", "Promo", day(16), null), campaign("p3", "Promo", day(30), null)));

        FleetModel m = seasonalNaive().fit(h, feed, day(30));
        EventEffect e = m.learnedEffects(Horizon.MEDIUM_TERM, "web", "CPU").get("campaign:Promo");
        Forecast withEvents = m.predict().horizon(Horizon.MEDIUM_TERM).forecast("web", ResourceType.CPU).forecast();
        Forecast without = seasonalNaive().fit(h, new EventFeed(1, List.of()), day(30)).predict()
                .horizon(Horizon.MEDIUM_TERM).forecast("web", ResourceType.CPU).forecast();

        assertEquals(1.5, e.multiplier(), 1e-9);
        assertEquals(EventEffect.Source.LEARNED, e.source());
        for (int k = 0; k < 48; k++) {
            int i = 30 * 24 + k;
            boolean promo = k >= 10 && k < 22;
            // Seasonal naive on the cleaned, exactly weekly history gives the pattern; the campaign scales it.
            assertEquals(base(i) * (promo ? 1.5 : 1), withEvents.mean(k), 1e-9, "step " + k);
            assertEquals(base(i), without.mean(k), 1e-9, "step " + k);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void learn_noisyCampaign_upliftWithinFivePercent(long seed) {
        FleetHistory h = promoHistory(1.5, 0.03, seed);
        EventFeed feed = new EventFeed(1, List.of(campaign("p1", "Promo", day(9), null),
                campaign("p2", "Promo", day(16), null), campaign("p3", "Promo", day(30), null)));

        EventEffect e = seasonalNaive().fit(h, feed, day(30))
                .learnedEffects(Horizon.MEDIUM_TERM, "web", "CPU").get("campaign:Promo");

        // 12 hourly peaks of 3% noise per occurrence: the ratio's standard error is about 1.5 * 0.03 / sqrt(12) = 0.013.
        assertEquals(1.5, e.multiplier(), 0.05);
    }

    @Test
    void predict_newEventTypes_declaredImpactAppliedAndUndeclaredOneWarned() {
        FleetHistory h = promoHistory(1.0, 0, 1);
        EventFeed feed = new EventFeed(1, List.of(
                new FleetEvent("tv", EventType.NEWS, "TV feature", day(30).plus(Duration.ofHours(19)),
                        day(30).plus(Duration.ofHours(21)), List.of("web"), new ExpectedImpact(2.0, null, null, null)),
                new FleetEvent("blog", EventType.NEWS, "Blog post", day(31).plus(Duration.ofHours(8)),
                        day(31).plus(Duration.ofHours(9)), List.of(), null)));

        Prediction p = seasonalNaive().fit(h, feed, day(30)).predict();
        Forecast f = p.horizon(Horizon.MEDIUM_TERM).forecast("web", ResourceType.CPU).forecast();

        assertEquals(2 * base(30 * 24 + 19), f.mean(19), 1e-9);
        assertEquals(2 * base(30 * 24 + 20), f.mean(20), 1e-9);
        assertEquals(base(30 * 24 + 18), f.mean(18), 1e-9);
        assertEquals(base(31 * 24 + 8), f.mean(32), 1e-9);
        AppliedEvent tv = p.events().stream().filter(e -> e.eventId().equals("tv")).findFirst().orElseThrow();
        assertEquals(EventEffect.Source.DECLARED, tv.effects().get(0).source());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("blog") && w.contains("no effect")), p.warnings().toString());
    }

    @Test
    void predict_additiveUplift_appliedInModelParametersAndUnforecastResourceWarned() {
        FleetHistory h = promoHistory(1.0, 0, 1);
        EventFeed feed = new EventFeed(1, List.of(new FleetEvent("tv", EventType.NEWS, "TV feature",
                day(30).plus(Duration.ofHours(19)), day(30).plus(Duration.ofHours(21)), List.of("web"),
                new ExpectedImpact(null, List.of(new io.fleetpredict.core.ResourceAmount(ResourceType.CPU, 10,
                        ResourceUnit.CORES), new io.fleetpredict.core.ResourceAmount(ResourceType.MEMORY, 64,
                        ResourceUnit.GIB)), null, null))));

        Prediction p = seasonalNaive().fit(h, feed, day(30)).predict();
        HorizonPrediction medium = p.horizon(Horizon.MEDIUM_TERM);
        Forecast f = medium.forecast("web", ResourceType.CPU).forecast();

        // The CPU uplift is added inside the window; web has no memory forecast, so that one has nowhere to go.
        assertEquals(base(30 * 24 + 19) + 10, f.mean(19), 1e-9);
        assertEquals(base(30 * 24 + 18), f.mean(18), 1e-9);
        java.util.Map<String, Object> params = java.util.Objects.requireNonNull(
                java.util.Objects.requireNonNull(medium.state().model()).parameters());
        assertTrue(String.valueOf(params.get("event.tv.web.CPU.uplift")).startsWith("+10.0 cores"), params.toString());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("event tv") && w.contains("64.0 GiB Memory")
                && w.contains("not applied")), p.warnings().toString());
        assertTrue(p.warnings().stream().noneMatch(w -> w.contains("CPU")), p.warnings().toString());
    }

    @Test
    void predict_maintenance_removesCapacityNotDemand() {
        FleetHistory h = promoHistory(1.0, 0, 1);
        FleetEvent drill = new FleetEvent("drill", EventType.MAINTENANCE, "Failover drill",
                day(30).plus(Duration.ofHours(2)), day(30).plus(Duration.ofHours(4)), List.of("web"),
                new ExpectedImpact(null, null, null, 3));

        Prediction with = seasonalNaive().fit(h, new EventFeed(1, List.of(drill)), day(30)).predict();
        Prediction without = seasonalNaive().fit(h, new EventFeed(1, List.of()), day(30)).predict();

        PredictedFleetState a = with.horizon(Horizon.MEDIUM_TERM).state();
        PredictedFleetState b = without.horizon(Horizon.MEDIUM_TERM).state();
        assertEquals(b.resourceRequirements(), a.resourceRequirements());
        assertEquals(b.services(), a.services());
        assertEquals(1, with.maintenance().size());
        CapacityRemoval r = with.maintenance().get(0);
        assertEquals("drill", r.eventId());
        assertEquals(3, r.instancesRemoved());
        assertEquals(List.of("web"), r.scope());
        assertTrue(a.model().parameters().containsKey("maintenance.drill"));
        assertEquals(List.of(), without.maintenance());
    }

    @Test
    void predict_sample_eventAwareBeatsEventFreeInsideCampaignWindow() {
        Instant at = Instant.parse("2024-03-20T00:00:00Z");
        Predictor p = Predictor.builder().horizons(List.of(HorizonSpec.mediumTerm())).build();
        FleetHistory full = SampleFleet.history();
        Prediction with = p.fit(full, SampleFleet.events(), at).predict();
        Prediction without = p.fit(full, SampleFleet.noEvents(), at).predict();

        double[] mae = new double[2];
        int n = 0;
        for (String service : List.of("checkout", "catalogue")) {
            TimeSeries actual = BucketAggregation.aggregate(full.usage(service).get(ResourceType.CPU), HOUR,
                    HorizonSpec.Aggregation.PEAK);
            Forecast fw = with.horizon(Horizon.MEDIUM_TERM).forecast(service, ResourceType.CPU).forecast();
            Forecast fo = without.horizon(Horizon.MEDIUM_TERM).forecast(service, ResourceType.CPU).forecast();
            for (int k = 0; k < fw.horizon(); k++) {
                Instant t = fw.start().plus(HOUR.multipliedBy(k));
                if (SampleFleet.inSale(t)) {
                    double y = actual.get((int) Duration.between(actual.start(), t).dividedBy(HOUR));
                    mae[0] += Math.abs(fw.mean(k) - y);
                    mae[1] += Math.abs(fo.mean(k) - y);
                    n++;
                }
            }
        }
        mae[0] /= n;
        mae[1] /= n;
        System.out.printf(java.util.Locale.ROOT, "sample CPU MAE inside the sale window: with events %.3f, without %.3f cores (%d steps)%n",
                mae[0], mae[1], n);
        assertEquals(24, n);
        assertTrue(mae[0] < 0.5 * mae[1], "with " + mae[0] + ", without " + mae[1]);
    }

    // --- documents --------------------------------------------------------------------------------

    @Test
    void predict_sample_oneValidDocumentPerHorizon() {
        Instant at = Instant.parse("2024-03-24T00:00:00Z");
        Prediction p = Predictor.builder().fleetId("sample").build().fit(SampleFleet.history(), SampleFleet.events(), at).predict();

        assertEquals(List.of(Horizon.SHORT_TERM, Horizon.MEDIUM_TERM, Horizon.LONG_TERM),
                p.states().stream().map(PredictedFleetState::horizon).toList());
        for (PredictedFleetState s : p.states()) {
            String json = Documents.write(s);
            assertEquals(Set.of(), SchemaCheck.errors(DocumentKind.PREDICTED_FLEET_STATE, json), json);
            PredictedFleetState back = Documents.read(json, PredictedFleetState.class);
            assertEquals(s.resourceRequirements(), back.resourceRequirements());
            assertEquals(s.services(), back.services());
            assertEquals(at, s.timestamp());
            assertEquals(at, s.validFrom());
            assertEquals(at.plus(p.horizon(s.horizon()).spec().length()), s.validUntil());
            assertEquals(3, s.services().size());
        }
        assertEquals(List.of("zone-drain"), p.maintenance().stream().map(CapacityRemoval::eventId).toList());
        assertTrue(p.events().stream().anyMatch(e -> e.eventId().equals("spring-sale-4")));
    }

    @Test
    void predict_fleetQuantity_betweenLargestServiceAndSumOfServices() {
        Prediction p = Predictor.builder().defaultQuantile(0.95).build()
                .fit(SampleFleet.history(), SampleFleet.events(), Instant.parse("2024-03-24T00:00:00Z")).predict();
        for (PredictedFleetState s : p.states()) {
            for (ResourceRequirement total : s.resourceRequirements()) {
                double sum = 0;
                double max = 0;
                for (var svc : s.services()) {
                    for (ResourceRequirement r : svc.resourceRequirements()) {
                        if (r.resourceType() == total.resourceType()) {
                            double q = r.amount().inCanonicalUnit().amount();
                            sum += q;
                            max = Math.max(max, q);
                        }
                    }
                }
                assertTrue(total.quantity() <= sum + 1e-3 && total.quantity() >= max - 1e-3,
                        s.horizon() + " " + total + " sum " + sum + " max " + max);
                assertTrue(total.p50() <= total.p90() && total.p90() <= total.p99());
            }
        }
    }

    /**
     * One glitch of a million cores a week before the end lands in MSTL's weekly season and in every forecast of
     * that hour; the forecaster cleaned of outliers forecasts the week as it was.
     */
    @Test
    void predict_cleanedForecaster_aGlitchNoLongerForecastAWeekLater() {
        FleetHistory clean = promoHistory(1, 0.02, 7);
        double[] v = clean.usage("web").get(ResourceType.CPU).values();
        int glitch = v.length - 168 + 10;
        v[glitch] = 1e6;
        FleetHistory h = FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, v).build();
        Instant end = T0.plus(HOUR.multipliedBy(v.length));
        Predictor plain = Predictor.builder().horizons(List.of(TWO_DAYS_HOURLY))
                .forecaster(Horizon.MEDIUM_TERM, Forecasters.mstl(24, 168)).build();
        Predictor cleaned = Predictor.builder().horizons(List.of(TWO_DAYS_HOURLY))
                .forecaster(Horizon.MEDIUM_TERM, Forecasters.cleaned(Forecasters.mstl(24, 168), 24, 168)).build();

        Forecast withGlitch = plain.fit(h, new EventFeed(1, List.of()), end).predict().horizon(Horizon.MEDIUM_TERM)
                .forecast("web", ResourceType.CPU).forecast();
        Forecast f = cleaned.fit(h, new EventFeed(1, List.of()), end).predict().horizon(Horizon.MEDIUM_TERM)
                .forecast("web", ResourceType.CPU).forecast();

        assertTrue(withGlitch.mean(10) > 1e4, "the glitch a week later: " + withGlitch.mean(10));
        for (int step = 0; step < 48; step++) {
            double expected = base(v.length + step);
            assertEquals(expected, f.mean(step), 0.1 * expected, "step " + step);
        }
    }

    // --- online update ----------------------------------------------------------------------------

    @Test
    void update_newActuals_predictionMovesWithoutRefit() {
        int n = 14 * 24;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 50 + (i % 2);
        }
        FleetHistory h = FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, v).build();
        Predictor p = Predictor.builder().horizons(List.of(HorizonSpec.shortTerm()))
                .forecaster(Horizon.SHORT_TERM, Forecasters.naive()).build();
        Instant end = T0.plus(HOUR.multipliedBy(n));
        FleetModel m = p.fit(h, new EventFeed(1, List.of()), end);

        FleetModel u = m.update(FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, end, HOUR, 80, 90, 120).build());
        Forecast before = m.predict().horizon(Horizon.SHORT_TERM).forecast("web", ResourceType.CPU).forecast();
        Forecast after = u.predict().horizon(Horizon.SHORT_TERM).forecast("web", ResourceType.CPU).forecast();

        assertEquals(end.plus(Duration.ofHours(3)), u.at());
        assertEquals(end.plus(Duration.ofHours(3)), after.start());
        assertEquals(51, before.mean(0), 1e-12);
        assertEquals(120, after.mean(0), 1e-12);
        assertEquals(n + 3, u.history().usage("web").get(ResourceType.CPU).size());
        // The refit on the longer history predicts the same for the naive model, which has no parameters to re-estimate.
        assertEquals(120, u.refit().predict().horizon(Horizon.SHORT_TERM).forecast("web", ResourceType.CPU)
                .forecast().mean(0), 1e-12);
    }

    @Test
    void update_sampleDay_mediumTermStateChanges() {
        FleetHistory full = SampleFleet.history();
        Instant at = Instant.parse("2024-03-22T00:00:00Z");
        Predictor p = Predictor.builder().horizons(List.of(HorizonSpec.mediumTerm())).build();
        FleetModel m = p.fit(full, SampleFleet.events(), at);
        FleetHistory.Builder next = FleetHistory.builder();
        int from = (int) Duration.between(SampleFleet.START, at).dividedBy(SampleFleet.STEP);
        full.services().forEach(s -> {
            full.usage(s).forEach((t, series) -> next.usage(s, t, full.unit(s, t), series.slice(from, from + 24)));
            full.activity(s).forEach((k, series) -> next.activity(s, k, series.slice(from, from + 24)));
        });

        FleetModel u = m.update(next.build());

        assertEquals(at.plus(Duration.ofHours(6)), u.at());
        assertNotEquals(m.predict().horizon(Horizon.MEDIUM_TERM).state().resourceRequirements(),
                u.predict().horizon(Horizon.MEDIUM_TERM).state().resourceRequirements());
    }

    // --- bad inputs -------------------------------------------------------------------------------

    @Test
    void update_unknownMetric_rejectedNamingIt() {
        FleetModel m = seasonalNaive().fit(promoHistory(1, 0, 1), new EventFeed(1, List.of()), day(35));
        FleetHistory clicks = FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, day(35), HOUR, 1)
                .activity("web", "clicks", day(35), HOUR, 1).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.update(clicks));
        assertTrue(e.getMessage().contains("unknown metric 'activity.clicks' of service 'web'"), e.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> m.demandFit(Horizon.MEDIUM_TERM, "web", ResourceType.MEMORY));
        assertTrue(f.getMessage().contains("unknown metric 'Memory'"), f.getMessage());
    }

    @Test
    void history_nanValue_rejectedNamingSeriesAndTime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, 1, Double.NaN, 3));
        assertTrue(e.getMessage().contains("web.CPU: the value at index 1 (2024-01-01T01:00:00Z) is NaN"), e.getMessage());
    }

    @Test
    void history_negativeUsage_rejectedNamingSeriesTimeAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, 1, -5, 3));
        assertEquals("web.CPU: the value at index 1 (2024-01-01T01:00:00Z) is -5.0; the use of a resource cannot be negative",
                e.getMessage());
        // Activity is not a resource: a free metric may go below zero (a net balance, a temperature).
        FleetHistory.builder().usage("web", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, 1, 0, 3)
                .activity("web", "net_signups", T0, HOUR, 2, -1, 4).build();
    }

    @Test
    void update_timeGoingBackwards_rejected() {
        FleetModel m = seasonalNaive().fit(promoHistory(1, 0, 1), new EventFeed(1, List.of()), day(35));
        FleetHistory late = FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, day(35).minus(HOUR), HOUR, 1, 2).build();
        FleetHistory gap = FleetHistory.builder()
                .usage("web", ResourceType.CPU, ResourceUnit.CORES, day(35).plus(HOUR), HOUR, 1, 2).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.update(late));
        assertTrue(e.getMessage().contains("time goes backwards"), e.getMessage());
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> m.update(gap));
        assertTrue(g.getMessage().contains("gap"), g.getMessage());
    }

    @Test
    void eventFeed_eventEndingBeforeItStarts_rejectedByCodecAndRecord() {
        String json = "{\"events\": [{\"id\": \"x\", \"type\": \"campaign\", \"name\": \"Sale\","
                + " \"start\": \"2024-03-02T00:00:00Z\", \"end\": \"2024-03-01T00:00:00Z\", \"scope\": \"fleet\"}]}";

        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> Documents.read(json, EventFeed.class));
        assertTrue(e.getMessage().contains("end"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new FleetEvent("x", EventType.CAMPAIGN, "Sale", day(2), day(1), List.of(), null));
    }

    @Test
    void fit_badSettings_rejected() {
        HorizonSpec odd = new HorizonSpec(Horizon.MEDIUM_TERM, Duration.ofMinutes(50), Duration.ofDays(1),
                HorizonSpec.Aggregation.PEAK);
        Predictor p = Predictor.builder().horizons(List.of(odd)).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.fit(promoHistory(1, 0, 1), new EventFeed(1, List.of()), day(35)));
        assertTrue(e.getMessage().contains("not a whole multiple"), e.getMessage());
        IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                () -> seasonalNaive().fit(promoHistory(1, 0, 1), new EventFeed(1, List.of()), T0));
        assertTrue(before.getMessage().contains("no value before"), before.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Predictor.builder().defaultQuantile(0.3));
        assertThrows(IllegalArgumentException.class,
                () -> Predictor.builder().horizons(List.of(HorizonSpec.shortTerm(), HorizonSpec.shortTerm())));
    }

    /** Predicting past the longest horizon after the history's end is allowed, and said; up to it, nothing is said. */
    @Test
    void predict_atMoreThanTheLongestHorizonAfterTheHistory_warnsOfTheGap() {
        FleetHistory h = constantCheckout(1344, 8);
        Instant end = T0.plus(Duration.ofMinutes(15).multipliedBy(1344));
        Predictor predictor = Predictor.builder().build();

        Prediction far = predictor.fit(h, new EventFeed(1, List.of()), end.plus(Duration.ofDays(28)).plusSeconds(1))
                .predict();
        Prediction near = predictor.fit(h, new EventFeed(1, List.of()), end.plus(Duration.ofDays(28))).predict();

        String expected = "the history ends at " + end + ", PT672H1S before the prediction time "
                + end.plus(Duration.ofDays(28)).plusSeconds(1) + " and more than the longest horizon (PT672H): every"
                + " forecast reaches across that gap";
        assertTrue(far.warnings().contains(expected), far.warnings().toString());
        assertTrue(near.warnings().stream().noneMatch(w -> w.contains("reaches across")), near.warnings().toString());
    }

    /**
     * A series that stopped while the others went on (an exporter that died) is forecast with a warning once it is
     * more than the shortest horizon behind; up to it, nothing is said.
     */
    @Test
    void predict_seriesEndingMoreThanTheShortestHorizonBeforeTheOthers_warnsOfTheGap() {
        double[] full = new double[960];
        java.util.Arrays.fill(full, 8);
        FleetHistory h = FleetHistory.builder()
                .usage("checkout", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, full)
                .usage("search", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, java.util.Arrays.copyOf(full, 954))
                .usage("reports", ResourceType.CPU, ResourceUnit.CORES, T0, HOUR, java.util.Arrays.copyOf(full, 552))
                .build();
        Instant end = T0.plus(HOUR.multipliedBy(960));

        Prediction p = Predictor.builder().build().fit(h, new EventFeed(1, List.of()), end).predict();

        String expected = "reports.CPU ends at " + T0.plus(HOUR.multipliedBy(552)) + ", PT408H before the rest of the"
                + " history (" + end + ") and more than the shortest horizon (PT6H): its forecasts reach across that gap";
        assertTrue(p.warnings().contains(expected), p.warnings().toString());
        assertTrue(p.warnings().stream().noneMatch(w -> w.startsWith("search") || w.startsWith("checkout")),
                p.warnings().toString());
    }

    /** An event whose scope names no service of the history (a typo, most likely) is predicted with a warning. */
    @Test
    void predict_eventScopeNamingAnUnknownService_warnsNamingItAndTheKnownOnes() {
        FleetHistory h = constantCheckout(1344, 8);
        Instant end = T0.plus(Duration.ofMinutes(15).multipliedBy(1344));
        EventFeed feed = new EventFeed(1, List.of(new FleetEvent("sale", EventType.CAMPAIGN, "sale", end,
                end.plus(Duration.ofHours(2)), List.of("checkotu", "checkout"), null)));

        Prediction p = Predictor.builder().build().fit(h, feed, end).predict();

        assertTrue(p.warnings().contains("event sale names service checkotu, not in the history (checkout)"),
                p.warnings().toString());
    }

    /** A constant CPU history of "checkout": {@code n} quarter-hours of {@code value} cores from T0. */
    private static FleetHistory constantCheckout(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return FleetHistory.builder().usage("checkout", ResourceType.CPU, ResourceUnit.CORES, T0,
                Duration.ofMinutes(15), v).build();
    }

    @ParameterizedTest
    @ValueSource(doubles = {2e15, 1e16, 1e300})
    void predict_usageBeyondWhatFourDecimalsHold_writtenAsPredictedNotCapped(double cores) {
        Prediction p = Predictor.builder().build().fit(constantCheckout(1344, cores), new EventFeed(1, List.of()))
                .predict();

        for (PredictedFleetState s : p.states()) {
            List<ResourceRequirement> all = new java.util.ArrayList<>(s.resourceRequirements());
            s.services().forEach(r -> all.addAll(r.resourceRequirements()));
            for (ResourceRequirement r : all) {
                // A constant series is forecast as itself; the old rounding capped every figure at 9.22e14.
                String where = s.horizon().jsonName() + " " + r;
                assertEquals(cores, r.quantity(), cores * 1e-9, where);
                assertEquals(cores, r.p50(), cores * 1e-9, where);
                assertEquals(cores, r.p99(), cores * 1e-9, where);
            }
            PredictedFleetState back = Documents.read(Documents.write(s), PredictedFleetState.class);
            assertEquals(s.resourceRequirements(), back.resourceRequirements());
        }
    }

    @Test
    void fit_onePointHistory_insufficientDataNamesSeriesAndHorizon() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Predictor.builder().build().fit(constantCheckout(1, 5), new EventFeed(1, List.of())));

        assertTrue(e.getMessage().startsWith("checkout.CPU has too little history for the short_term horizon"),
                e.getMessage());
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
    }

    @Test
    void fit_predictionTimeTenYearsPastADayOfHistory_insufficientDataNamesSeriesAndHorizon() {
        InsufficientDataException e = assertThrows(InsufficientDataException.class,
                () -> Predictor.builder().build().fit(constantCheckout(100, 5), new EventFeed(1, List.of()),
                        T0.plus(Duration.ofDays(3650))));

        assertTrue(e.getMessage().startsWith("checkout.CPU has too little history for the long_term horizon"),
                e.getMessage());
    }
    /**
     * A prediction time so far after the history that the short term (quarter-hours) would need more steps than a
     * forecast holds is refused, naming the series, before any model of any horizon is fitted.
     */
    @Test
    void fit_predictionTimePastWhatAForecastHolds_refusedBeforeAnyModelIsFitted() {
        FleetHistory h = constantCheckout(1344, 8);
        Instant end = T0.plus(Duration.ofMinutes(15).multipliedBy(1344));
        java.util.concurrent.atomic.AtomicInteger fits = new java.util.concurrent.atomic.AtomicInteger();
        io.fleetpredict.forecast.Forecaster counting = new io.fleetpredict.forecast.Forecaster() {
            @Override
            public String name() {
                return "counted naive";
            }

            @Override
            public io.fleetpredict.forecast.FittedModel fit(TimeSeries series) {
                fits.incrementAndGet();
                return Forecasters.naive().fit(series);
            }
        };
        Predictor.Builder b = Predictor.builder();
        for (Horizon horizon : Horizon.values()) {
            b.forecaster(horizon, counting);
        }
        Predictor p = b.build();
        // 1,000,000 quarter-hours after the history's end the six hours of the short term end 24 steps later.
        Instant far = end.plus(Duration.ofMinutes(15).multipliedBy(1_000_000 - 24 + 1));
        Instant farthestAllowed = far.minus(Duration.ofMinutes(15));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.fit(h, new EventFeed(1, List.of()), far));

        assertEquals("short_term checkout.CPU: a forecast from the series' end " + end + " to "
                + far.plus(Duration.ofHours(6)) + " takes 1000001 steps of PT15M, more than the 1000000 a forecast"
                + " holds", e.getMessage());
        assertEquals(0, fits.get());
        assertEquals(1_000_000, p.fit(h, new EventFeed(1, List.of()), farthestAllowed).predict()
                .horizon(Horizon.SHORT_TERM).forecasts().get(0).forecast().horizon());
    }

    /**
     * A model moved by {@code predictingFrom} so far that its forecast would take 2^32 + 24 steps is refused
     * naming the series and the count; counted as an {@code int} it wrapped to 24 steps, and the document writer
     * failed on a forecast ending 122,000 years before the horizon ("no forecast step falls inside").
     */
    @Test
    void predict_movedPastWhatAForecastHolds_refusedNotWrapped() {
        FleetHistory h = constantCheckout(1344, 8);
        Instant end = T0.plus(Duration.ofMinutes(15).multipliedBy(1344));
        FleetModel m = Predictor.builder().horizons(List.of(HorizonSpec.shortTerm())).build()
                .fit(h, new EventFeed(1, List.of()), end);
        FleetModel moved = m.predictingFrom(end.plus(Duration.ofMinutes(15).multipliedBy(1L << 32)));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, moved::predict);

        assertTrue(e.getMessage().startsWith("short_term checkout.CPU: a forecast from the series' end " + end),
                e.getMessage());
        assertTrue(e.getMessage().contains("takes " + ((1L << 32) + 24) + " steps of PT15M"), e.getMessage());
    }
}
