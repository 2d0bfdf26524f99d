package io.fleetpredict.bench;

import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.ServiceState;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.monitor.ActivityMonitor;
import io.fleetpredict.core.monitor.MetricKey;
import io.fleetpredict.core.monitor.MetricKind;
import io.fleetpredict.core.predict.HorizonSpec;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.SlaDefaults;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.GuardedCloud;
import io.fleetpredict.core.provision.HardCaps;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import io.fleetpredict.forecast.Forecasters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time and allocation of one whole {@link FleetPredictor#cycle()} for a fleet of 1,000 services against
 * the simulated cloud in apply mode: predict (an online update and a 6-hour forecast of every service's
 * CPU and memory series), project (delta, SLA priority, cost-optimal capacity), gate and provision, and
 * the store's commit.
 *
 * <p>Each service's CPU follows a seeded daily sine (its own size, phase and noise) and its memory a
 * seeded multiple of it; services rotate through the three default SLA tiers. Setup streams two days of
 * 15-minute history into an {@link ActivityMonitor}, fits the models and runs a first cycle, which
 * provisions the initial fleet. Each invocation then advances the virtual clock by 15 minutes, records one
 * observation per series and runs one cycle, so the benchmark measures the steady state a scheduler sees:
 * the fleet follows its demand up and down the day. The short-term horizon is forecast with the
 * seasonal-naive model (daily period), whose update is cheap, so the figure is the loop's own cost rather
 * than a forecasting model's; {@code FitForecastBenchmark} measures the models. Models are not refitted
 * during the run.
 *
 * <p>Run: {@code mvn -pl fleetpredict-bench -am package -DskipTests}, then
 * {@code java -jar fleetpredict-bench/target/benchmarks.jar FleetCycle -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class FleetCycleBenchmark {

    private static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final Duration TICK = Duration.ofMinutes(15);
    private static final Duration HISTORY = Duration.ofDays(2);
    private static final String[] TIERS = {SlaDefaults.CRITICAL, SlaDefaults.STANDARD, SlaDefaults.BEST_EFFORT};

    /** The number of services in the fleet. */
    @Param("1000")
    public int services;

    private MutableClock clock;
    private ActivityMonitor monitor;
    private FleetPredictor fleet;
    private Random noise;
    private double[] size;
    private double[] phase;
    private double[] memoryPerCore;
    private MetricKey[] cpu;
    private MetricKey[] memory;

    /** Builds the fleet, streams its history, fits the models and runs the first cycle. */
    @Setup
    public void setUp() {
        clock = MutableClock.at(START);
        noise = new Random(20_260_302L);
        size = new double[services];
        phase = new double[services];
        memoryPerCore = new double[services];
        cpu = new MetricKey[services];
        memory = new MetricKey[services];
        ActivityMonitor.Builder mb = ActivityMonitor.builder().step(TICK).clock(clock);
        List<ServiceState> states = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            size[i] = 2 + 60 * noise.nextDouble() * noise.nextDouble();
            phase[i] = 24 * noise.nextDouble();
            memoryPerCore[i] = 2 + 6 * noise.nextDouble();
            cpu[i] = MetricKey.of("cpu_cores", name(i));
            memory[i] = MetricKey.of("memory_gib", name(i));
            mb.metric(cpu[i], MetricKind.GAUGE_MEAN).metric(memory[i], MetricKind.GAUGE_MEAN);
            states.add(new ServiceState(name(i), TIERS[i % TIERS.length], List.of(), List.of()));
        }
        monitor = mb.build();
        for (Instant t = START; t.isBefore(START.plus(HISTORY)); t = t.plus(TICK)) {
            observe(t);
            clock.set(t.plus(TICK));
        }
        SimulatedCloud cloud = SimulatedCloud.builder().clock(clock).defaultQuota(1_000_000)
                .defaultCapacity(1_000_000).build();
        FleetStateStore store = FleetStateStores.inMemory();
        store.create(StoredFleet.of(new FleetState(1, "fleet", 0, clock.instant(), states)));
        Predictor models = Predictor.builder().slaPolicies(SlaDefaults.policies()).fleetId("fleet")
                .horizons(List.of(HorizonSpec.shortTerm()))
                .forecaster(Horizon.SHORT_TERM, Forecasters.seasonalNaive(96))
                .clock(clock).build();
        ProjectionEngine engine = ProjectionEngine.builder().slaPolicies(SlaDefaults.policies())
                .offers(CapacityOffers.fromCloud(cloud.offers())).clock(clock).build();
        fleet = FleetPredictor.builder("fleet")
                .monitor(monitor)
                .predictor(models)
                .events(new EventFeed(1, List.of()))
                .refitEvery(Duration.ofDays(3650))
                .projection(engine)
                .cloud(GuardedCloud.builder(cloud).callTimeout(Duration.ZERO).sleeper(clock::advance).build())
                .store(store)
                .thresholds(1e9, 1e9)
                .cycle(TICK)
                .caps(new HardCaps(1_000_000, 1_000_000, Duration.ofHours(1), 1_000_000, 1e9))
                .mode(PreProvisioner.Mode.APPLY)
                .clock(clock)
                .build();
        fleet.cycle();
    }

    /**
     * Advances 15 minutes, records the new observations and runs one cycle.
     *
     * @return the cycle's report
     */
    @Benchmark
    public CycleReport cycle() {
        Instant t = clock.instant();
        observe(t);
        clock.set(t.plus(TICK));
        return fleet.cycle();
    }

    private void observe(Instant t) {
        double hour = (t.getEpochSecond() % 86_400) / 3600.0;
        for (int i = 0; i < services; i++) {
            double cores = size[i] * (1 + 0.5 * Math.sin(2 * Math.PI * (hour - phase[i]) / 24))
                    * (1 + 0.03 * noise.nextGaussian());
            monitor.record(cpu[i], t, Math.max(0.1, cores));
            monitor.record(memory[i], t, Math.max(0.1, cores * memoryPerCore[i]));
        }
    }

    private static String name(int i) {
        return "svc-" + i;
    }
}
