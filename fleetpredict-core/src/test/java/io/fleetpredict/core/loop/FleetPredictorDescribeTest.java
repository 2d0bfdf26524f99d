package io.fleetpredict.core.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.provision.Fixtures;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.PreProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** How often a cycle describes the whole active fleet, the call whose answer grows with the fleet. */
class FleetPredictorDescribeTest {

    /**
     * Counts the describes whose answer lists every active instance of the fleet while the fleet runs
     * instances of more than one service (a scale-in's look at one service's instances is not one).
     */
    static final class CountingCloud extends ForwardingCloudProvider {
        private final SimulatedCloud sim;
        int wholeFleet;

        CountingCloud(SimulatedCloud sim) {
            this.sim = sim;
        }

        @Override
        protected CloudProvider delegate() {
            return sim;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            DescribeResult answer = super.describe(request);
            List<Instance> active = sim.describe(DescribeRequest.active()).instances();
            Set<String> listed = answer.instances().stream().map(Instance::id).collect(Collectors.toSet());
            long services = active.stream().map(i -> i.tags().get(PreProvisioner.TAG_SERVICE)).distinct().count();
            if (services > 1 && active.stream().allMatch(i -> listed.contains(i.id()))) {
                wholeFleet++;
            }
            return answer;
        }
    }

    @Test
    void cycle_withLaunchesAndReleases_describesTheWholeActiveFleetOnce() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        CountingCloud counting = new CountingCloud(sim);
        // What each cycle asks for: launches of both services, then releases and launches mixed.
        List<List<ProvisionalChange>> script = List.of(
                List.of(Fixtures.change("out-web", "web", 3, 1), Fixtures.change("out-api", "api", 2, 1)),
                List.of(Fixtures.change("out-web-2", "web", 1, 1)),
                List.of(Fixtures.scaleIn("in-api", "api", "m.large", 1, PurchaseOption.ON_DEMAND, 1, Fixtures.T0)),
                List.of(),
                List.of(Fixtures.change("out-api-2", "api", 2, 1),
                        Fixtures.scaleIn("in-web", "web", "m.large", 2, PurchaseOption.ON_DEMAND, 1, Fixtures.T0)));
        int[] cycle = {0};
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current,
                        script.get(cycle[0]).toArray(ProvisionalChange[]::new)))
                .cloud(GuardedCloud.builder(counting).callTimeout(Duration.ZERO).sleeper(clock::advance).build())
                .budget(100).mode(PreProvisioner.Mode.APPLY).clock(clock).build();

        List<Integer> describes = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (cycle[0] = 0; cycle[0] < script.size(); cycle[0]++) {
            int before = counting.wholeFleet;
            CycleReport report = fleet.cycle();
            describes.add(counting.wholeFleet - before);
            report.provisioning().outcomes().forEach(o -> done.add(o.getClass().getSimpleName()));
            clock.advance(Duration.ofMinutes(5));
        }

        // The changes were carried out: each launch and release of the script.
        assertEquals(List.of("Provisioned", "Provisioned", "Provisioned", "Released", "Released", "Provisioned"),
                done, done.toString());
        assertEquals(List.of("api", "api", "api", "web", "web"), sim.describe(DescribeRequest.active()).instances()
                .stream().map(i -> i.tags().get(PreProvisioner.TAG_SERVICE)).sorted().toList());
        // One describe of the whole active fleet a cycle: the reconcile's, which the ready capacity takes.
        assertEquals(List.of(1, 1, 1, 1, 1), describes);
    }

    /** Records every describe request it is given, in order. */
    static final class RecordingCloud extends ForwardingCloudProvider {
        private final SimulatedCloud sim;
        final List<DescribeRequest> asked = new ArrayList<>();

        RecordingCloud(SimulatedCloud sim) {
            this.sim = sim;
        }

        @Override
        protected CloudProvider delegate() {
            return sim;
        }

        @Override
        public DescribeResult describe(DescribeRequest request) {
            asked.add(request);
            return super.describe(request);
        }
    }

    @Test
    void cycle_withScaleIn_describesTheScaledInServiceOnceByItsTags() {
        MutableClock clock = MutableClock.at(Fixtures.T0);
        SimulatedCloud sim = SimulatedCloud.builder().clock(clock).build();
        RecordingCloud recording = new RecordingCloud(sim);
        // Launches of both services (recorded by their launch intents), a quiet cycle, a scale-in of api, a
        // quiet cycle.
        List<List<ProvisionalChange>> script = List.of(
                List.of(Fixtures.change("out-web", "web", 3, 1), Fixtures.change("out-api", "api", 2, 1)),
                List.of(),
                List.of(Fixtures.scaleIn("in-api", "api", "m.large", 1, PurchaseOption.ON_DEMAND, 1, Fixtures.T0)),
                List.of());
        int[] cycle = {0};
        FleetPredictor fleet = FleetPredictor.builder("shop").predict(now -> List.of())
                .project((predictions, current) -> Fixtures.plan(current,
                        script.get(cycle[0]).toArray(ProvisionalChange[]::new)))
                .cloud(GuardedCloud.builder(recording).callTimeout(Duration.ZERO).sleeper(clock::advance).build())
                .budget(100).mode(PreProvisioner.Mode.APPLY).clock(clock).build();

        List<List<DescribeRequest>> asked = new ArrayList<>();
        List<String> done = new ArrayList<>();
        for (cycle[0] = 0; cycle[0] < script.size(); cycle[0]++) {
            recording.asked.clear();
            CycleReport report = fleet.cycle();
            asked.add(List.copyOf(recording.asked));
            report.provisioning().outcomes().forEach(o -> done.add(o.getClass().getSimpleName()));
            clock.advance(Duration.ofMinutes(5));
        }

        assertEquals(List.of("Provisioned", "Provisioned", "Released"), done, done.toString());
        assertEquals(1, sim.describe(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_SERVICE, "api")))
                .instances().size());
        // The quiet cycles ask the same; the scale-in asks one describe more: api's active instances by the
        // fleet's and the service's tags, which list every instance api's launch recorded, so none is
        // described again by id.
        assertEquals(asked.get(1), asked.get(3));
        List<DescribeRequest> more = new ArrayList<>(asked.get(2));
        asked.get(1).forEach(more::remove);
        assertTrue(more.size() + asked.get(1).size() == asked.get(2).size(), "the scale-in asks what a quiet cycle does");
        assertEquals(List.of(DescribeRequest.active().withTags(Map.of(PreProvisioner.TAG_FLEET, "shop",
                PreProvisioner.TAG_SERVICE, "api"))), more);
    }
}
