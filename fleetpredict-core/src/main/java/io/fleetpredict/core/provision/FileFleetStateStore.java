package io.fleetpredict.core.provision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fleetpredict.core.InvalidDocumentException;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.FleetState;
import io.fleetpredict.core.document.PurchaseOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A {@link FleetStateStore} on the file system.
 *
 * <p>Layout per fleet: {@code history/state-<version>.json} and {@code history/intents-<version>.json}
 * hold each version; {@code state.json} is a copy of the current state document and the commit point.
 * A commit writes the two history files, then replaces {@code state.json}, each by writing a temporary
 * file, forcing it to disk, renaming it into place and forcing the directory. A crash before the last
 * rename leaves history files of a version that never became current; they are overwritten by the next
 * commit and never read.
 */
final class FileFleetStateStore implements FleetStateStore {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    FileFleetStateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public StoredFleet read(String fleetId) {
        Path dir = fleetDir(fleetId);
        synchronized (lockFor(dir)) {
            return readUnlocked(fleetId, dir);
        }
    }

    @Override
    public boolean create(StoredFleet initial) {
        Path dir = fleetDir(initial.fleetId());
        synchronized (lockFor(dir)) {
            try (ProcessLock held = processLock(dir)) {
                held.check();
                if (Files.exists(dir.resolve("state.json"))) {
                    return false;
                }
                commit(dir, initial);
                return true;
            } catch (IOException e) {
                throw new StateStoreException(StateStoreException.Reason.IO, initial.fleetId(), e.toString(), e);
            }
        }
    }

    @Override
    public boolean compareAndSet(long expectedVersion, StoredFleet next) {
        FleetStateStores.checkNext(expectedVersion, next);
        Path dir = fleetDir(next.fleetId());
        synchronized (lockFor(dir)) {
            try (ProcessLock held = processLock(dir)) {
                held.check();
                StoredFleet current = readUnlocked(next.fleetId(), dir);
                if (current.version() != expectedVersion) {
                    return false;
                }
                commit(dir, next);
                return true;
            } catch (IOException e) {
                throw new StateStoreException(StateStoreException.Reason.IO, next.fleetId(), e.toString(), e);
            }
        }
    }

    @Override
    public List<FleetState> history(String fleetId) {
        Path dir = fleetDir(fleetId);
        synchronized (lockFor(dir)) {
            if (!Files.exists(dir.resolve("state.json"))) {
                return List.of();
            }
            long current = readUnlocked(fleetId, dir).version();
            List<FleetState> states = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir.resolve("history"))) {
                for (Path file : files.filter(f -> f.getFileName().toString().startsWith("state-")).sorted().toList()) {
                    FleetState state = Documents.read(file, FleetState.class);
                    if (state.version() <= current) {
                        states.add(state);
                    }
                }
            } catch (IOException e) {
                throw new StateStoreException(StateStoreException.Reason.IO, fleetId, e.toString(), e);
            }
            return states;
        }
    }

    private StoredFleet readUnlocked(String fleetId, Path dir) {
        Path stateFile = dir.resolve("state.json");
        FleetState state;
        try {
            if (Files.size(stateFile) == 0) {
                throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId, stateFile + " is empty", null);
            }
            state = Documents.read(stateFile, FleetState.class);
        } catch (NoSuchFileException e) {
            throw new StateStoreException(StateStoreException.Reason.MISSING, fleetId, stateFile + " does not exist", e);
        } catch (IOException e) {
            throw new StateStoreException(StateStoreException.Reason.IO, fleetId, e.toString(), e);
        } catch (InvalidDocumentException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    stateFile + ": " + e.getMessage(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new StateStoreException(StateStoreException.Reason.IO, fleetId, e.toString(), e);
        }
        if (!state.fleetId().equals(fleetId)) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    stateFile + " holds fleet '" + state.fleetId() + "'", null);
        }
        Path intentsFile = dir.resolve("history").resolve(String.format(Locale.ROOT, "intents-%019d.json", state.version()));
        try {
            return new StoredFleet(state, readIntents(Files.readString(intentsFile, StandardCharsets.UTF_8), state.version()));
        } catch (IOException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    intentsFile + " cannot be read: " + e, e);
        } catch (RuntimeException e) {
            throw new StateStoreException(StateStoreException.Reason.UNREADABLE, fleetId,
                    intentsFile + ": " + e.getMessage(), e);
        }
    }

    private void commit(Path dir, StoredFleet next) throws IOException {
        Path history = dir.resolve("history");
        Files.createDirectories(history);
        String state = Documents.write(next.state());
        writeAtomically(history, String.format(Locale.ROOT, "intents-%019d.json", next.version()), writeIntents(next));
        writeAtomically(history, String.format(Locale.ROOT, "state-%019d.json", next.version()), state);
        writeAtomically(dir, "state.json", state);
    }

    private static void writeAtomically(Path dir, String name, String content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename durable on POSIX file systems; other systems refuse to open a directory.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // nothing more can be done portably
        }
    }

    /** A lock on the fleet's lock file, held across processes until closed. */
    private record ProcessLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        void check() throws IOException {
            if (!lock.isValid()) {
                throw new IOException("lock on " + channel + " was lost");
            }
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private static ProcessLock processLock(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return new ProcessLock(channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private Path fleetDir(String fleetId) {
        if (fleetId == null || !SAFE_ID.matcher(fleetId).matches()) {
            throw new IllegalArgumentException("fleetId must match " + SAFE_ID + " to name a directory, was '" + fleetId + "'");
        }
        return root.resolve(fleetId);
    }

    private static Object lockFor(Path dir) {
        return LOCKS.computeIfAbsent(dir, d -> new Object());
    }

    static String writeIntents(StoredFleet fleet) {
        ObjectNode root = JSON.createObjectNode();
        root.put("fleet_version", fleet.version());
        ArrayNode list = root.putArray("intents");
        for (ProvisioningIntent i : fleet.intents()) {
            ObjectNode n = list.addObject();
            n.put("id", i.id());
            n.put("change_id", i.changeId());
            n.put("idempotency_key", i.idempotencyKey());
            n.put("service", i.service());
            n.put("sla_tier", i.slaTier());
            n.put("instance_type", i.instanceType());
            n.put("region", i.region());
            n.put("purchase_option", i.purchaseOption().jsonName());
            n.put("count", i.count());
            n.put("covered_count", i.coveredCount());
            n.put("price_per_hour", i.pricePerHour());
            n.put("created_at", i.createdAt().toString());
            n.put("status", i.status().name().toLowerCase(Locale.ROOT));
            n.put("kind", i.kind().name().toLowerCase(Locale.ROOT));
            ArrayNode ids = n.putArray("instance_ids");
            i.instanceIds().forEach(ids::add);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<ProvisioningIntent> readIntents(String json, long expectedVersion) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("$: expected an object");
        }
        if (root.path("fleet_version").asLong(-1) != expectedVersion) {
            throw new IllegalArgumentException("$.fleet_version: expected " + expectedVersion + ", was " + root.get("fleet_version"));
        }
        List<ProvisioningIntent> intents = new ArrayList<>();
        JsonNode list = root.path("intents");
        if (!list.isArray()) {
            throw new IllegalArgumentException("$.intents: expected an array");
        }
        for (int k = 0; k < list.size(); k++) {
            JsonNode n = list.get(k);
            String at = "$.intents[" + k + "]";
            List<String> ids = new ArrayList<>();
            n.path("instance_ids").forEach(id -> ids.add(id.asText()));
            try {
                intents.add(new ProvisioningIntent(text(n, "id", at), text(n, "change_id", at),
                        text(n, "idempotency_key", at), text(n, "service", at), text(n, "sla_tier", at),
                        text(n, "instance_type", at), text(n, "region", at),
                        PurchaseOption.find(text(n, "purchase_option", at)).orElseThrow(
                                () -> new IllegalArgumentException(at + ".purchase_option: unknown")),
                        n.path("count").asInt(), n.path("covered_count").asInt(), n.path("price_per_hour").asDouble(),
                        Instant.parse(text(n, "created_at", at)),
                        ProvisioningIntent.Status.valueOf(text(n, "status", at).toUpperCase(Locale.ROOT)), ids,
                        // Absent in intents written before releases existed: those are all launches.
                        n.has("kind") ? ProvisioningIntent.Kind.valueOf(text(n, "kind", at).toUpperCase(Locale.ROOT))
                                : ProvisioningIntent.Kind.LAUNCH));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        return intents;
    }

    private static String text(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(at + "." + field + ": expected a string");
        }
        return value.asText();
    }
}
