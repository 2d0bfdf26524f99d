package io.fleetpredict.cli;

import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.ConfigureRequest;
import io.fleetpredict.cloud.ConfigureResult;
import io.fleetpredict.cloud.ForwardingCloudProvider;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.core.document.Documents;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The simulated cloud kept across {@code provision --apply --state-dir} runs. A run's simulated cloud starts empty,
 * so each run writes the mutations it asked of that cloud (provision, release, configure, with the simulated time
 * and what came back) to a file beside the simulated clock, and the next run replays them into its fresh cloud
 * before it starts: the simulated cloud is deterministic, so the replay launches the same instances under the same
 * ids, and the check of each call's answer against the one written makes sure it did.
 *
 * <p>One call a line, tab-separated, names percent-encoded: the simulated time, the operation, the idempotency
 * key, the request's fields, and {@code ok:} with the ids answered or {@code failed:} with the error's kind.
 */
final class SimulatedCloudJournal extends ForwardingCloudProvider {

    /** The file in the fleet's directory that holds the simulated cloud's calls of the earlier runs. */
    static final String FILE = "simulated-cloud.tsv";

    private final CloudProvider cloud;
    private final MutableClock clock;
    private final Path file;
    private final List<String> written = new ArrayList<>();

    private SimulatedCloudJournal(CloudProvider cloud, MutableClock clock, Path file) {
        this.cloud = cloud;
        this.clock = clock;
        this.file = file;
    }

    /**
     * Replays the calls kept in {@code file}, if it exists, into {@code cloud} on {@code clock}, and returns the
     * cloud wrapped so that this run's calls are written after them by {@link #save()}.
     *
     * @throws InvalidInputException naming the file and line if a line cannot be read or the cloud answers it
     *     otherwise than it did
     */
    static SimulatedCloudJournal replay(CloudProvider cloud, MutableClock clock, Path file) {
        SimulatedCloudJournal journal = new SimulatedCloudJournal(cloud, clock, file);
        Optional<String> kept = ProvisionCommand.keptText(file, "the simulated cloud's calls of the earlier --apply runs");
        if (kept.isEmpty()) {
            return journal;
        }
        List<String> lines = kept.get().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                journal.replayLine(line);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(String.format(Locale.ROOT, "%s: line %d: %s; the file holds the"
                        + " simulated cloud's calls of the earlier --apply runs: remove the fleet's directory in the"
                        + " state directory to start again", file, i + 1, e.getMessage()), e);
            }
            journal.written.add(line);
        }
        return journal;
    }

    private void replayLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length < 4) {
            throw new IllegalArgumentException("not a call of the simulated cloud: too few fields");
        }
        Instant time;
        try {
            time = Instant.parse(f[0]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 instant: '" + f[0] + "'", e);
        }
        if (time.isBefore(Documents.EARLIEST_INSTANT) || time.isAfter(Documents.LATEST_INSTANT)) {
            // The simulated cloud adds its boot times to it: past the documents' years they overflow an Instant.
            throw new IllegalArgumentException(time + " is outside the times a document holds (from "
                    + Documents.EARLIEST_INSTANT + " to " + Documents.LATEST_INSTANT + ")");
        }
        clock.set(time);
        String operation = decode(f[1]);
        String key = decode(f[2]);
        String answer = f[f.length - 1];
        String got = switch (operation) {
            case "provision" -> {
                fields(f, 9);
                int count;
                try {
                    count = Integer.parseInt(decode(f[6]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("count: not a whole number", e);
                }
                yield answer(() -> ids(cloud.provision(new ProvisionRequest(key, decode(f[3]), decode(f[4]),
                        PurchaseOption.valueOf(decode(f[5])), count, map(f[7]))).instances()));
            }
            case "release" -> {
                fields(f, 5);
                yield answer(() -> ids(cloud.release(new ReleaseRequest(key, set(f[3]))).instances()));
            }
            case "configure" -> {
                fields(f, 6);
                yield answer(() -> ids(cloud.configure(new ConfigureRequest(key, set(f[3]), map(f[4]))).instances()));
            }
            default -> throw new IllegalArgumentException("unknown operation '" + operation + "'");
        };
        if (!got.equals(answer)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "the simulated cloud answered '%s' where the earlier run had '%s' (another catalogue or"
                            + " --provider-setting than the earlier runs?)", got, answer));
        }
    }

    private static void fields(String[] f, int expected) {
        if (f.length != expected) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %d fields, expected %d",
                    decode(f[1]), f.length, expected));
        }
    }

    /** Writes this run's calls after those replayed, replacing the file whole; nothing if there were none. */
    void save() {
        if (written.isEmpty()) {
            return;
        }
        try {
            OutputFiles.write(file, written.stream().map(l -> l + "\n").collect(Collectors.joining()));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.getMessage() + "; it is to hold the simulated cloud's calls of this run",
                    e);
        }
    }

    @Override
    protected CloudProvider delegate() {
        return cloud;
    }

    @Override
    public ProvisionResult provision(ProvisionRequest r) {
        return record(() -> cloud.provision(r), ProvisionResult::instances, "provision", encode(r.idempotencyKey()),
                encode(r.instanceType()), encode(r.region()), r.purchaseOption().name(), Integer.toString(r.count()),
                map(r.tags()));
    }

    @Override
    public ReleaseResult release(ReleaseRequest r) {
        return record(() -> cloud.release(r), ReleaseResult::instances, "release", encode(r.idempotencyKey()),
                set(r.instanceIds()));
    }

    @Override
    public ConfigureResult configure(ConfigureRequest r) {
        return record(() -> cloud.configure(r), ConfigureResult::instances, "configure", encode(r.idempotencyKey()),
                set(r.instanceIds()), map(r.settings()));
    }

    /**
     * Makes the call and keeps it, with its fields as given (encoded) and its answer. A failure is kept too: the
     * simulated cloud may have applied the call before reporting a time-out, and its fault source draws the same
     * way when the call is replayed.
     */
    private <T> T record(Supplier<T> call, Function<T, List<Instance>> instances, String... encodedFields) {
        String line = clock.instant() + "\t" + String.join("\t", encodedFields) + "\t";
        try {
            T result = call.get();
            written.add(line + ids(instances.apply(result)));
            return result;
        } catch (CloudException e) {
            written.add(line + "failed:" + e.kind().name());
            throw e;
        }
    }

    private static String answer(Supplier<String> call) {
        try {
            return call.get();
        } catch (CloudException e) {
            return "failed:" + e.kind().name();
        }
    }

    private static String ids(List<Instance> instances) {
        return "ok:" + instances.stream().map(i -> encode(i.id())).collect(Collectors.joining(","));
    }

    private static String set(Set<String> values) {
        return values.stream().sorted().map(SimulatedCloudJournal::encode).collect(Collectors.joining(","));
    }

    private static Set<String> set(String field) {
        Set<String> values = new LinkedHashSet<>();
        if (!field.isEmpty()) {
            Arrays.stream(field.split(",", -1)).map(SimulatedCloudJournal::decode).forEach(values::add);
        }
        return values;
    }

    private static String map(Map<String, String> values) {
        return values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static Map<String, String> map(String field) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!field.isEmpty()) {
            for (String pair : field.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("not a name=value pair: '" + decode(pair) + "'");
                }
                values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
