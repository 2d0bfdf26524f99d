package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ready capacity the loop measures its SLA against, checked against shares worked out by hand: an instance
 * serves from its {@code readyAt} until the first observation that no longer lists it.
 */
class ReadyCapacityTest {

    private static final Instant T0 = Instant.parse("2024-06-03T00:00:00Z");
    private static final List<Offer> OFFERS = List.of(new Offer("m.large", "m", "us-east", 2, 8, 10, 0, 0.1,
            OptionalDouble.empty(), 0, Duration.ofMinutes(10)));

    private static Instance instance(String id, String service, Instant readyAt) {
        return instance(id, service, readyAt, readyAt.isAfter(T0) ? InstanceState.PENDING : InstanceState.RUNNING);
    }

    private static Instance instance(String id, String service, Instant readyAt, InstanceState state) {
        return new Instance(id, "m.large", "us-east", PurchaseOption.ON_DEMAND, state, T0.minusSeconds(600), readyAt,
                "key-" + id, Map.of(PreProvisioner.TAG_SERVICE, service), Map.of(), 0.1);
    }

    private static void observe(ReadyCapacity ready, Instant now, Instance... instances) {
        ready.observe(now, List.of(instances), i -> i.tags().get(PreProvisioner.TAG_SERVICE), () -> OFFERS);
    }

    private static Map<ResourceType, Double> cores(double n) {
        return Map.of(ResourceType.CPU, n);
    }

    private static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void shortShare_bootingThenEndedInstances_shareOfTheSpanWithLessReadyThanDemand() {
        ReadyCapacity ready = new ReadyCapacity();
        assertFalse(ready.observed());
        // a ready from T0 (2 cores), b ready 10 minutes later (2 more); demand 3 cores throughout.
        observe(ready, T0, instance("a", "web", T0), instance("b", "web", at(10)));
        assertTrue(ready.observed());

        assertEquals(10.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12, "2 cores until b is ready");
        // a is no longer listed at minute 40: it served until then, b alone after.
        observe(ready, at(40), instance("b", "web", at(10)));
        assertEquals(20.0 / 30, ready.shortShare("web", cores(3), at(30), at(60)), 1e-12);
        assertEquals(0, ready.shortShare("web", cores(2), at(60), at(90)), "demand equal to what is ready is served");
        observe(ready, at(90), instance("b", "web", at(10)));
        assertEquals(0, ready.shortShare("web", cores(2), at(90), at(120)), "a, gone already, not taken out again");
        assertEquals(1, ready.shortShare("web", cores(2.5), at(120), at(150)));
        assertEquals(0, ready.shortShare("web", cores(5), at(150), at(150)), "an empty span has no short time");
        assertEquals(1, ready.shortShare("api", cores(1), at(150), at(180)), "another service has nothing ready");
    }

    @Test
    void shortShare_demandOfSeveralResources_shortWhenAnyOneIsShort() {
        ReadyCapacity ready = new ReadyCapacity();
        observe(ready, T0, instance("a", "web", T0));

        assertEquals(0, ready.shortShare("web", Map.of(ResourceType.CPU, 2.0, ResourceType.MEMORY, 8.0), T0, at(30)));
        assertEquals(1, ready.shortShare("web", Map.of(ResourceType.CPU, 1.0, ResourceType.MEMORY, 9.0), at(30),
                at(60)));
    }

    @Test
    void shortShare_instanceEndingBeforeItWasReady_neverServes() {
        ReadyCapacity ready = new ReadyCapacity();
        observe(ready, T0, instance("a", "web", T0), instance("slow", "web", at(20)));
        // slow is released at minute 5, before its boot ended: it served no time at all.
        observe(ready, at(5), instance("a", "web", T0));

        assertEquals(1, ready.shortShare("web", cores(3), T0, at(30)));
    }

    @Test
    void shortShare_changeExactlyAtTheStartOfTheSpan_countsFromThatStart() {
        ReadyCapacity ready = new ReadyCapacity();
        observe(ready, T0, instance("a", "web", T0), instance("b", "web", at(30)));

        assertEquals(1, ready.shortShare("web", cores(3), T0, at(30)), "b is not ready before minute 30");
        assertEquals(0, ready.shortShare("web", cores(3), at(30), at(60)), "b is ready from the span's first instant");
    }

    @Test
    void shortShare_readyAtLaterThanFirstReported_followsTheLatestAnswer() {
        ReadyCapacity ready = new ReadyCapacity();
        // b boots, expected ready at minute 10; at minute 20 the cloud says it came up at minute 18.
        observe(ready, T0, instance("a", "web", T0), instance("b", "web", at(10), InstanceState.PENDING));
        observe(ready, at(20), instance("a", "web", T0), instance("b", "web", at(18), InstanceState.RUNNING));

        assertEquals(18.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12, "2 cores until minute 18");
    }

    @Test
    void shortShare_readyAtEarlierThanFirstReported_followsTheLatestAnswer() {
        ReadyCapacity ready = new ReadyCapacity();
        observe(ready, T0, instance("a", "web", T0), instance("b", "web", at(20), InstanceState.PENDING));
        observe(ready, at(25), instance("a", "web", T0), instance("b", "web", at(12), InstanceState.RUNNING));

        assertEquals(12.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12, "2 cores until minute 12");
    }

    @Test
    void shortShare_readyAtMovedAfterItsChangeWasFolded_countsTheMoveFromTheLatestQuestionOn() {
        ReadyCapacity ready = new ReadyCapacity();
        observe(ready, T0, instance("a", "web", T0), instance("b", "web", at(10), InstanceState.PENDING));
        assertEquals(10.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12);
        assertEquals(0, ready.shortShare("web", cores(3), at(30), at(60)), "b taken as ready from minute 10");

        // At minute 60 b still boots: its boot ran late, now expected at minute 70. The spans answered stand;
        // from the latest question on, b is not ready until minute 70.
        observe(ready, at(60), instance("a", "web", T0), instance("b", "web", at(70), InstanceState.PENDING));
        assertEquals(10.0 / 30, ready.shortShare("web", cores(3), at(60), at(90)), 1e-12);
        assertEquals(0, ready.shortShare("web", cores(4), at(90), at(120)), "a and b ready, counted once each");
    }

    @Test
    void shortShare_runningInstanceWhoseLaterAnswerPutsReadyAtAfterItWasSeenRunning_readyFromWhenSeen() {
        ReadyCapacity ready = new ReadyCapacity();
        // A provider with no time to tell answers "by now": b was running at minute 5, whatever minute 15 says.
        observe(ready, at(5), instance("a", "web", T0), instance("b", "web", at(5), InstanceState.RUNNING));
        observe(ready, at(15), instance("a", "web", T0), instance("b", "web", at(15), InstanceState.RUNNING));

        assertEquals(5.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12);
    }

    @Test
    void shortShare_runningInstanceFirstReportedReadyAfterTheObservation_readyFromTheObservation() {
        ReadyCapacity ready = new ReadyCapacity();
        // The cloud's clock runs ahead of the loop's: running at minute 5, ready at minute 8 by its own account.
        observe(ready, at(5), instance("a", "web", T0), instance("b", "web", at(8), InstanceState.RUNNING));

        assertEquals(5.0 / 30, ready.shortShare("web", cores(3), T0, at(30)), 1e-12);
    }

    @Test
    void observe_aCloud_countsTheFleetsInstancesOfTheirServiceAndSeesThemEnd() {
        MutableClock clock = MutableClock.at(T0);
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).build();
        String type = cloud.offers().get(0).instanceType();
        String region = cloud.offers().get(0).region();
        int coresEach = cloud.offers().get(0).cpuCores();
        List<String> web = cloud.provision(new ProvisionRequest("web", type, region, PurchaseOption.ON_DEMAND, 2,
                Map.of(PreProvisioner.TAG_FLEET, "shop", PreProvisioner.TAG_SERVICE, "web"))).instances().stream()
                .map(Instance::id).toList();
        cloud.provision(new ProvisionRequest("other", type, region, PurchaseOption.ON_DEMAND, 3,
                Map.of(PreProvisioner.TAG_FLEET, "other", PreProvisioner.TAG_SERVICE, "web")));
        Instant readyAt = cloud.describe(io.fleetpredict.cloud.DescribeRequest.active().withInstanceIds(Set.copyOf(web)))
                .instances().get(0).readyAt();
        clock.set(readyAt.plusSeconds(60));
        ReadyCapacity ready = new ReadyCapacity();

        ready.observe(clock.instant(), cloud, "shop", Optional.empty());

        Instant from = readyAt.plusSeconds(60);
        assertEquals(0, ready.shortShare("web", cores(2 * coresEach), from, from.plusSeconds(600)),
                "the fleet's two instances, not the other fleet's three");
        assertEquals(1, ready.shortShare("web", cores(2 * coresEach + 1), from.plusSeconds(600),
                from.plusSeconds(1200)));
        clock.set(from.plusSeconds(1200));
        cloud.release(ReleaseRequest.of("down", List.of(web.get(0))));
        ready.observe(clock.instant(), cloud, "shop", Optional.empty());
        assertEquals(1, ready.shortShare("web", cores(2 * coresEach), from.plusSeconds(1200),
                from.plusSeconds(1800)), "one ended at the observation that no longer listed it");
    }
}
