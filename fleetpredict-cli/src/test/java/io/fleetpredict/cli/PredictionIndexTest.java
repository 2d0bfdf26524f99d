package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.core.document.PredictedFleetState;
import io.fleetpredict.core.document.ResourceRequirement;
import io.fleetpredict.core.document.ServiceRequirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index finds for every row what the scan it replaces found: random predicted fleet states (timestamps shared
 * between documents, horizons given or not, services present or not, each holding a random subset of the resource
 * types) and random rows (the fleet, known and unknown services, known and unknown timestamps), each looked up
 * both ways.
 */
class PredictionIndexTest {

    private static final Instant T0 = Instant.parse("2024-11-29T00:00:00Z");
    private static final String[] SERVICES = {"checkout", "search", "cart", "fleet", "auth", "a b", "Checkout"};

    /** The scan of every document and service the index replaced, as it read: the reference rule. */
    private static Optional<PredictionIndex.Match> scan(List<PredictedFleetState> documents, Instant time,
            @Nullable String service, ResourceType type) {
        for (PredictedFleetState d : documents) {
            if (!d.timestamp().equals(time)) {
                continue;
            }
            List<ResourceRequirement> requirements = service == null ? d.resourceRequirements()
                    : d.services() == null ? List.of() : d.services().stream()
                            .filter(s -> s.service().equals(service)).findFirst()
                            .map(ServiceRequirements::resourceRequirements).orElse(List.of());
            for (ResourceRequirement r : requirements) {
                if (r.resourceType() == type) {
                    return Optional.of(new PredictionIndex.Match(r,
                            d.horizon() == null ? Horizon.SHORT_TERM : d.horizon()));
                }
            }
        }
        return Optional.empty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void find_randomDocumentsAndRows_sameMatchAsTheScan(long seed) {
        Random random = new Random(seed);
        List<PredictedFleetState> documents = new ArrayList<>();
        int count = 1 + random.nextInt(8);
        for (int d = 0; d < count; d++) {
            documents.add(document(random, d));
        }
        PredictionIndex index = PredictionIndex.of(documents);

        int matched = 0;
        for (int i = 0; i < 2_000; i++) {
            Instant time = T0.plusSeconds(3600L * random.nextInt(5));
            int s = random.nextInt(SERVICES.length + 2);
            String service = s >= SERVICES.length ? null : SERVICES[s];
            ResourceType type = ResourceType.values()[random.nextInt(ResourceType.values().length)];

            Optional<PredictionIndex.Match> expected = scan(documents, time, service, type);
            Optional<PredictionIndex.Match> actual = index.find(time, service, type);

            String row = time + "," + service + "," + type;
            assertEquals(expected.isPresent(), actual.isPresent(), row);
            if (expected.isPresent()) {
                // The very requirement, not an equal one: which document won matters.
                assertSame(expected.get().requirement(), actual.get().requirement(), row);
                assertEquals(expected.get().horizon(), actual.get().horizon(), row);
                matched++;
            }
        }
        assertTrue(matched > 0, "no row matched, so the comparison proved little");
    }

    /** Document {@code d}: its quantities are {@code d} and up, so the one a row matched names its document. */
    private static PredictedFleetState document(Random random, int d) {
        Instant time = T0.plusSeconds(3600L * random.nextInt(4));
        Horizon[] horizons = Horizon.values();
        int h = random.nextInt(horizons.length + 1);
        Horizon horizon = h == horizons.length ? null : horizons[h];
        List<ResourceRequirement> fleet = requirements(random, d, 1);
        List<ServiceRequirements> services = null;
        if (random.nextInt(4) > 0) {
            List<String> names = new ArrayList<>(List.of(SERVICES));
            Collections.shuffle(names, random);
            services = new ArrayList<>();
            for (String name : names.subList(0, random.nextInt(names.size() + 1))) {
                services.add(new ServiceRequirements(name, requirements(random, d, 0)));
            }
        }
        return new PredictedFleetState(null, null, time, horizon, null, null, fleet, services, null, null);
    }

    /** A random subset of the resource types, in random order, at least {@code least} of them. */
    private static List<ResourceRequirement> requirements(Random random, int d, int least) {
        List<ResourceType> types = new ArrayList<>(List.of(ResourceType.values()));
        Collections.shuffle(types, random);
        List<ResourceRequirement> requirements = new ArrayList<>();
        for (ResourceType type : types.subList(0, least + random.nextInt(types.size() + 1 - least))) {
            requirements.add(new ResourceRequirement(type, d + random.nextDouble(), type.canonicalUnit(), null,
                    null, null));
        }
        return requirements;
    }
}
