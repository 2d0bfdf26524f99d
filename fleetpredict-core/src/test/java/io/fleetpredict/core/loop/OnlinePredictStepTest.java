package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.ExpertOverride;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.OverrideAction;
import io.fleetpredict.core.document.OverrideSet;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.feedback.AuditLog;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OnlinePredictStepTest {

    static final Instant T0 = Instant.parse("2025-03-03T00:00:00Z");
    static final MetricKey CPU = MetricKey.of("cpu_cores", "checkout");

    private final MutableClock clock = MutableClock.at(T0);
    private final ActivityMonitor monitor = ActivityMonitor.builder().step(Duration.ofMinutes(15)).clock(clock)
            .metric(CPU, MetricKind.GAUGE_MEAN).build();
    private final Random random = new Random(7);
    private Instant fed = T0;

    /** Feeds a daily sine of CPU every 5 minutes up to {@code until}, moving the clock along. */
    private void feedUntil(Instant until) {
        for (; fed.isBefore(until); fed = fed.plus(Duration.ofMinutes(5))) {
            clock.set(fed);
            double day = 2 * Math.PI * (fed.getEpochSecond() % 86_400) / 86_400.0;
            monitor.record(CPU, fed, 8 + 4 * Math.sin(day) + 0.2 * random.nextGaussian());
        }
        clock.set(until);
    }

    private static Predictor predictor() {
        return Predictor.builder().horizons(List.of(HorizonSpec.shortTerm())).build();
    }

    @Test
    void predict_noClosedBucket_predictsNothingAndSaysWhy() {
        OnlinePredictStep step = OnlinePredictStep.builder(monitor, predictor()).build();
        assertEquals(List.of(), step.predict(T0));
        assertTrue(step.status().waiting().contains("no usage metric"), step.status().toString());
        assertTrue(step.lastPrediction().isEmpty());
    }

    @Test
    void predict_laterCycles_updateOnlineFromTheCycleTimeThenRefitOnSchedule() {
        OnlinePredictStep step = OnlinePredictStep.builder(monitor, predictor()).refitEvery(Duration.ofHours(2)).build();
        feedUntil(T0.plus(Duration.ofDays(3)));
        Instant first = clock.instant();
        List<PredictedFleetState> states = step.predict(first);
        assertEquals(1, states.size());
        assertEquals(first, states.get(0).timestamp());
        assertEquals("first cycle", step.status().lastFitReason());

        feedUntil(first.plus(Duration.ofMinutes(30)));
        Instant second = clock.instant();
        PredictedFleetState updated = step.predict(second).get(0);
        assertEquals(1, step.status().fits());
        assertEquals(1, step.status().updates());
        assertEquals(second, updated.timestamp(), "the prediction time is the cycle's, not the end of the closed buckets");
        FleetHistory history = step.history().orElseThrow();
        // Buckets close 5 minutes after they end: the last closed one ends at 00:15 of the fourth day.
        assertEquals(first.plus(Duration.ofMinutes(15)), history.end());

        feedUntil(first.plus(Duration.ofHours(2)));
        step.predict(clock.instant());
        assertEquals(2, step.status().fits());
        assertTrue(step.status().lastFitReason().startsWith("scheduled"), step.status().toString());
    }

    @Test
    void predict_afterRequestOrFeedChange_refits() {
        AtomicReference<EventFeed> feed = new AtomicReference<>(new EventFeed(1, List.of()));
        OnlinePredictStep step = OnlinePredictStep.builder(monitor, predictor()).events(feed::get).build();
        feedUntil(T0.plus(Duration.ofDays(3)));
        step.predict(clock.instant());

        step.requestRefit("drift on checkout CPU short_term");
        assertEquals("drift on checkout CPU short_term", step.status().pendingRefit());
        feedUntil(clock.instant().plus(Duration.ofMinutes(15)));
        step.predict(clock.instant());
        assertEquals(2, step.status().fits());
        assertEquals("drift on checkout CPU short_term", step.status().lastFitReason());
        assertNull(step.status().pendingRefit());

        feed.set(new EventFeed(1, List.of(new FleetEvent("sale", EventType.CAMPAIGN, "spring sale",
                clock.instant().plus(Duration.ofHours(2)), clock.instant().plus(Duration.ofHours(3)), List.of(),
                new ExpectedImpact(1.5, null, null, null)))));
        feedUntil(clock.instant().plus(Duration.ofMinutes(15)));
        step.predict(clock.instant());
        assertEquals(3, step.status().fits());
        assertEquals("the event feed changed", step.status().lastFitReason());
    }

    @Test
    void predict_withOverrides_appliesThemAndAudits() {
        AuditLog audit = AuditLog.inMemory();
        OverrideSet set = new OverrideSet(1, List.of(new ExpertOverride("floor-1", OverrideAction.FLOOR, "checkout",
                ResourceType.CPU, ResourceAmount.of(ResourceType.CPU, 100, ResourceUnit.CORES), null, T0,
                T0.plus(Duration.ofDays(30)), "ops", "launch week")));
        OnlinePredictStep step = OnlinePredictStep.builder(monitor, predictor()).overrides(() -> set, audit, clock).build();
        feedUntil(T0.plus(Duration.ofDays(3)));
        PredictedFleetState s = step.predict(clock.instant()).get(0);
        assertEquals(100, s.services().get(0).resourceRequirements().get(0).quantity(), 1e-9);
        assertEquals("floor-1", s.overridesApplied().get(0).id());
        assertTrue(audit.entries().size() >= 1);
    }

    @Test
    void builder_nonPositiveRefit_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnlinePredictStep.builder(monitor, predictor()).refitEvery(Duration.ZERO));
        assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
    }
}
