package io.fleetpredict.core.guide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.forecast.GuideSamples;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedding guide's scheduling sample: a cycle that throws (here the cloud failing every attempt of its
 * describe) is logged, and the scheduler runs the next one, which provisions.
 */
class ScheduledCyclesTest {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledCyclesTest.class);

    @Test
    void scheduledSample_aFailedCycleIsLoggedAndTheNextOneRuns() throws Exception {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        // Every attempt of the first cycle's first describe fails: that cycle throws a CloudException.
        sim.failNext(SimulatedCloud.Operation.DESCRIBE, 50, CloudException.Kind.TRANSIENT);
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current,
                        new ProvisionalChange[] {Fixtures.change("chg-" + current.version() + "-1", "checkout", 3, 1)}))
                .cloud(GuardedCloud.builder(sim).callTimeout(Duration.ZERO).sleeper(d -> { }).build())
                .budget(5).mode(PreProvisioner.Mode.APPLY).clock(clock).build();
        Duration every = Duration.ofMillis(20);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            // tag::scheduled[]
            scheduler.scheduleAtFixedRate(() -> {
                try {
                    LOG.info("{}", fleet.cycle().summary());
                } catch (RuntimeException e) {  // CloudException, StateStoreException, ForecastException, ...
                    LOG.warn("fleet cycle failed; the next one runs on schedule", e);
                }
            }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
            // end::scheduled[]
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (active(sim) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } finally {
            scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(20, TimeUnit.SECONDS));
        }
        // The step proposes 3 more every cycle: a later cycle provisioned, maybe one more before the shutdown.
        int active = active(sim);
        assertTrue(active >= 3 && active % 3 == 0, "a later cycle provisioned: " + active);
    }

    /** The instances running; 0 while the describe still fails (the failures are counted, whoever calls). */
    private static int active(SimulatedCloud sim) {
        try {
            return sim.describe(DescribeRequest.active()).instances().size();
        } catch (CloudException e) {
            return 0;
        }
    }

    @Test
    void guide_quotesTheScheduledSample() throws Exception {
        GuideSamples.assertQuoted(EmbeddingGuideTest.SOURCES.resolve("ScheduledCyclesTest.java"), "scheduled",
                EmbeddingGuideTest.GUIDE);
    }
}
