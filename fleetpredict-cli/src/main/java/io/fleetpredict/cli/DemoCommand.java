package io.fleetpredict.cli;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.SlaPolicies;
import io.fleetpredict.core.internal.Checks;
import io.fleetpredict.core.internal.Decimals;
import io.fleetpredict.core.predict.FleetHistory;
import io.fleetpredict.core.predict.FleetModel;
import io.fleetpredict.core.predict.Prediction;
import io.fleetpredict.core.predict.Predictor;
import io.fleetpredict.core.projection.CapacityOffers;
import io.fleetpredict.core.projection.Projection;
import io.fleetpredict.core.projection.ProjectionEngine;
import io.fleetpredict.core.projection.ProjectionState;
import io.fleetpredict.core.loop.CycleReport;
import io.fleetpredict.core.loop.FleetPredictor;
import io.fleetpredict.core.provision.FleetStateStore;
import io.fleetpredict.core.provision.FleetStateStores;
import io.fleetpredict.core.provision.PreProvisioner;
import io.fleetpredict.core.provision.StoredFleet;
import io.fleetpredict.forecast.GapPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fleetpredict demo}: the whole loop on the bundled sample fleet (three services, four weeks of
 * history, a recurring campaign and a maintenance window) against the simulated cloud.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole loop on the bundled sample fleet against the simulated cloud.")
final class DemoCommand implements Callable<Integer>, WritesIntoFolder {

    /** The bundled sample, as listed in its README. */
    static final List<String> SAMPLE_FILES = List.of(
            "catalogue.activity.page_views.csv", "catalogue.cpu.cores.csv", "catalogue.memory.GiB.csv",
            "checkout.activity.sessions.csv", "checkout.activity.transactions.csv", "checkout.cpu.cores.csv",
            "checkout.memory.GiB.csv", "search.cpu.cores.csv",
            "events.json", "fleet-state.json", "instance-catalogue.json", "sla-policies.json");

    private static final double THRESHOLD_PER_HOUR = 5.0;

    /** What {@code --out} receives: the prediction of each horizon, the plan and the fleet after the cycle. */
    static final List<String> OUTPUT_FILES = java.util.stream.Stream.concat(PredictCommand.outputFiles().stream(),
            java.util.stream.Stream.of("provisional-fleet-state.json", "fleet-state.json")).toList();

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Mixin
    ProviderOptions provider;

    @Option(names = "--out", paramLabel = "DIR",
            description = "also write every document the loop produced into this folder")
    @Nullable Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (out != null) {
            // Every file, before the loop runs: one that cannot be written would otherwise fail after others were.
            OutputFiles.checkFolder(out);
            for (String name : OUTPUT_FILES) {
                OutputFiles.checkFile(out.resolve(name));
            }
        }
        Path sample = Files.createTempDirectory("fleetpredict-sample");
        try {
            extractSample(sample);
            FleetHistory history = PredictCommand.readHistory(sample, GapPolicy.REJECT, ZoneOffset.UTC);
            EventFeed events = Documents.read(sample.resolve("events.json"), EventFeed.class);
            SlaPolicies sla = Documents.read(sample.resolve("sla-policies.json"), SlaPolicies.class);
            FleetState fleet = Documents.read(sample.resolve("fleet-state.json"), FleetState.class);
            InstanceCatalogue catalogue = provider.catalogue().orElse(
                    Documents.read(sample.resolve("instance-catalogue.json"), InstanceCatalogue.class));
            Instant at = history.end();
            // Opened before any work, so that a bad --provider or --provider-setting ends the demo at once.
            MutableClock clock = MutableClock.at(at);
            CloudProvider cloud = provider.open(clock, Optional.of(catalogue));

            o.println("== 1. Predict: the sample fleet's needs from its history and event feed, at " + at);
            FleetModel model;
            try (Progress progress = verbosity.progress("demo: predict", 0, "models fitted")) {
                model = CountedForecaster.countFits(Predictor.builder().slaPolicies(sla).fleetId(fleet.fleetId()),
                        history.step(), progress).build().fit(history, events, at);
            }
            Prediction prediction = model.predict();
            o.print(PredictCommand.summary(prediction));
            prediction.warnings().forEach(w -> o.println("  warning: " + w));

            o.println();
            o.println("== 2. Project: what the fleet should change, cheapest first within each SLA");
            ProjectionEngine engine = ProjectionEngine.builder().slaPolicies(sla)
                    .offers(provider.simulated() ? CapacityOffers.fromCatalogue(catalogue)
                            : CapacityOffers.fromCloud(cloud.offers()))
                    .clock(clock).build();
            Projection projection = engine.project(prediction.states(), fleet, events.events(), ProjectionState.empty());
            o.print(PlanCommand.summary(projection, at, prediction.states()));

            o.println();
            o.println("== 3. Provision: one scheduler cycle against " + (provider.simulated() ? "the simulated cloud"
                    : "provider '" + provider.provider + "'") + ", cost threshold " + Decimals.text(THRESHOLD_PER_HOUR) + " per hour");
            FleetStateStore store = FleetStateStores.inMemory();
            store.create(StoredFleet.of(fleet));
            FleetPredictor scheduler = FleetPredictor.builder(fleet.fleetId())
                    .predict(now -> prediction.states())
                    .projection(engine).events(events)
                    .cloud(provider.guarded(cloud, clock))
                    .store(store).slaPolicies(sla).thresholds(THRESHOLD_PER_HOUR, THRESHOLD_PER_HOUR)
                    .mode(PreProvisioner.Mode.APPLY).clock(clock).build();
            CycleReport cycle = scheduler.cycle();
            ProvisionCommand.text(cycle.provisioning(), o);
            clock.advance(Duration.ofMinutes(10));
            FleetState after = store.read(fleet.fleetId()).state();
            long running = cloud.describe(DescribeRequest.all()).instances().stream()
                    .filter(i -> i.state() == InstanceState.RUNNING).count();
            o.printf(Locale.ROOT, "fleet state now at version %d; %d launched instances running ten minutes later%s%n",
                    after.version(), running, cloud instanceof SimulatedCloud sim
                            ? ", " + Decimals.text(sim.accruedCost()) + " spent so far" : "");

            if (out != null) {
                prediction.states().forEach(s -> OutputFiles.write(out.resolve(PredictCommand.fileName(s)),
                        Documents.write(s)));
                OutputFiles.write(out.resolve("provisional-fleet-state.json"), Documents.write(projection.document()));
                OutputFiles.write(out.resolve("fleet-state.json"), Documents.write(after));
                o.println();
                o.println("documents written to " + Checks.printable(out.toString()));
            }
            o.flush();
            return ExitCodes.OK;
        } finally {
            deleteRecursively(sample);
        }
    }

    static void extractSample(Path dir) throws IOException {
        for (String name : SAMPLE_FILES) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/sample/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the bundled sample lacks " + name);
                }
                Files.copy(in, dir.resolve(name));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public List<String> filesWrittenIntoOut() {
        return OUTPUT_FILES;
    }
}
