package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What is particular to Karpenter: offers narrowed by the NodePool, and the NodeClaims a provision writes. */
class KarpenterCloudTest {


    @TempDir
    Path dir;

    @AfterAll
    static void stop() {
        KarpenterCloudCompatibilityTest.stop();
    }

    static KarpenterCloud cloud(String pool, List<String> capacityTypes) {
        GenericKubernetesResource p = KarpenterCloudCompatibilityTest.nodePool();
        p.getMetadata().setName(pool);
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) p.getAdditionalProperties().get("spec"))
                .get("template");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> reqs = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("spec")).get("requirements");
        List<Map<String, Object>> changed = reqs.stream().map(r -> KarpenterCloud.CAPACITY_TYPE.equals(r.get("key"))
                ? Map.<String, Object>of("key", r.get("key"), "operator", "In", "values", capacityTypes) : r).toList();
        p.setAdditionalProperty("spec", Map.of("template", Map.of("spec", Map.of(
                "nodeClassRef", ((Map<?, ?>) spec.get("spec")).get("nodeClassRef"), "requirements", changed))));
        KarpenterCloudCompatibilityTest.client().genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(p).createOr(r -> r.update());
        return KarpenterCloud.builder(KarpenterCloudCompatibilityTest.client(), pool).priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    /** The README's sample (quoted there verbatim; ReadmeSamplesTest in fleetpredict-cli checks). */
    @Test
    void readmeSample_provisionsThroughNodeClaims() {
        cloud("general", List.of("spot", "on-demand"));
        KubernetesClient client = KarpenterCloudCompatibilityTest.client();
        List<Offer> priceList = KarpenterCloudCompatibilityTest.PRICES;
        // tag::sample[]
        CloudProvider nodes = KarpenterCloud.builder(client, "general")   // a fabric8 client and a NodePool
                .priceList(priceList)                                     // what each instance type costs
                .build();
        ProvisionResult launched = nodes.provision(new ProvisionRequest("cycle-42-checkout", "m6i.xlarge",
                "eu-west-1", PurchaseOption.ON_DEMAND, 2, Map.of("service", "checkout")));   // two NodeClaims
        // end::sample[]
        assertEquals(2, launched.instances().size());
        assertEquals(2, client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .withLabel(KarpenterCloud.KEY_HASH, KarpenterCloud.hash("cycle-42-checkout")).list().getItems().size());
    }

    @Test
    void offers_areThePriceListNarrowedByThePool() {
        KarpenterCloud both = cloud("both", List.of("spot", "on-demand"));
        assertEquals(List.of("m6i.large", "m6i.xlarge", "c6i.2xlarge"),
                both.offers().stream().map(Offer::instanceType).toList());
        assertEquals(Set.of(Capability.SPOT), both.capabilities());

        KarpenterCloud onDemand = cloud("on-demand-only", List.of("on-demand"));
        assertTrue(onDemand.offers().stream().noneMatch(Offer::spotAvailable));
        assertEquals(Set.of(), onDemand.capabilities());
        CloudException e = assertThrows(CloudException.class, () -> onDemand.provision(new ProvisionRequest("k-spot",
                "m6i.large", "eu-west-1", PurchaseOption.SPOT, 1, Map.of())));
        assertEquals(CloudException.Kind.INVALID_REQUEST, e.kind());
        CloudException gpu = assertThrows(CloudException.class, () -> onDemand.provision(new ProvisionRequest("k-gpu",
                "p4d.24xlarge", "eu-west-1", PurchaseOption.ON_DEMAND, 1, Map.of())));
        assertTrue(gpu.getMessage().contains("not offered"), gpu.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void provision_writesOneNodeClaimPerInstance_withTheRequirementsAndNodeClass() {
        KarpenterCloud cloud = cloud("claims", List.of("spot", "on-demand"));
        cloud.provision(new ProvisionRequest("k-claims", "m6i.xlarge", "eu-west-1", PurchaseOption.SPOT, 2,
                Map.of("service", "checkout")));
        List<GenericKubernetesResource> claims = KarpenterCloudCompatibilityTest.client().genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .withLabel(KarpenterCloud.KEY_HASH, KarpenterCloud.hash("k-claims")).list().getItems();
        assertEquals(2, claims.size());
        for (GenericKubernetesResource c : claims) {
            assertEquals(List.of("karpenter.sh/v1", "NodeClaim"), List.of(c.getApiVersion(), c.getKind()));
            assertEquals("claims", c.getMetadata().getLabels().get(KarpenterCloud.NODE_POOL));
            Map<String, Object> spec = (Map<String, Object>) c.getAdditionalProperties().get("spec");
            assertEquals("EC2NodeClass", ((Map<String, Object>) spec.get("nodeClassRef")).get("kind"));
            List<Map<String, Object>> reqs = (List<Map<String, Object>>) spec.get("requirements");
            assertTrue(reqs.contains(Map.of("key", KarpenterCloud.INSTANCE_TYPE, "operator", "In", "values", List.of("m6i.xlarge"))));
            assertTrue(reqs.contains(Map.of("key", KarpenterCloud.CAPACITY_TYPE, "operator", "In", "values", List.of("spot"))));
            assertTrue(reqs.contains(Map.of("key", KarpenterCloud.ZONE, "operator", "In",
                    "values", List.of("eu-west-1a", "eu-west-1b"))));
        }
    }

    @Test
    void factory_readsThePriceList_andNamesBadRowsAndSettings() throws IOException {
        Path prices = dir.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n"
                + "c6i.2xlarge,c6i,eu-west-1,8,16,12.5,0,0.386,,0,PT90S\n");
        List<Offer> offers = KarpenterCloudFactory.priceList(prices);
        assertEquals(KarpenterCloudCompatibilityTest.PRICES.get(0), offers.get(0));
        assertEquals(KarpenterCloudCompatibilityTest.PRICES.get(2), offers.get(1));

        Files.writeString(prices, Files.readString(prices) + "x,x,eu-west-1,two,8,1,0,1,,0,PT1M\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> KarpenterCloudFactory.priceList(prices));
        assertTrue(bad.getMessage().startsWith(prices + ":4: "), bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new KarpenterCloudFactory().create(Map.of("node-pool", "p", "price-list", prices.toString(), "zone", "a")));
        assertTrue(unknown.getMessage().contains("'zone'"), unknown.getMessage());
    }

    @Test
    void factory_priceListWithARepeatedOrImpossibleRow_namesTheFileAndLine() throws IOException {
        Path prices = dir.resolve("prices.csv");
        String header = "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n";
        String row = "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n";
        Files.writeString(prices, header + row + "# the same again\n" + row);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> KarpenterCloudFactory.priceList(prices));
        assertTrue(twice.getMessage().startsWith(prices + ":4: ") && twice.getMessage().contains("line 2"), twice.getMessage());
        Files.writeString(prices, header + "m6i.large,m6i,eu-west-1,2,8,12.5,0,NaN,,0,PT90S\n");
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> KarpenterCloudFactory.priceList(prices));
        assertTrue(nan.getMessage().startsWith(prices + ":2: ") && nan.getMessage().contains("onDemandPricePerHour"),
                nan.getMessage());
        Files.writeString(prices, header + "m6i.large,m6i,eu-west-1,-2,8,12.5,0,0.1,,0,PT90S\n");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(prices));
        assertTrue(negative.getMessage().startsWith(prices + ":2: ") && negative.getMessage().contains("cpuCores"),
                negative.getMessage());
    }

    @Test
    void factory_priceListThatIsAPipeOrAFolder_isRefusedUnread() throws Exception {
        Path pipe = dir.resolve("prices.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        // Opening a named pipe to read waits for a writer, which never comes: the reader must not open it.
        IllegalArgumentException fifo = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> KarpenterCloudFactory.priceList(pipe)));
        assertEquals(pipe + ": the price list is not a regular file (a directory, pipe, device or socket); nothing was"
                + " read from it", fifo.getMessage());
        IllegalArgumentException folder = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(dir));
        assertTrue(folder.getMessage().startsWith(dir + ": the price list is not a regular file"), folder.getMessage());
        IllegalArgumentException device = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(Path.of("/dev/zero")));
        assertTrue(device.getMessage().startsWith("/dev/zero: the price list is not a regular file"), device.getMessage());
    }

    @Test
    void factory_priceListLineTooLongOrNotUtf8_namesTheFileAndLine() throws IOException {
        Path prices = dir.resolve("prices.csv");
        String header = "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n";
        String row = "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n";
        Files.writeString(prices, header + row + "#" + "x".repeat(4096) + "\n");
        IllegalArgumentException longLine = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(prices));
        assertEquals(prices + ":3: the line is longer than 4096 bytes, the most a line of the price list may hold"
                + " (a row is about 100)", longLine.getMessage());
        Files.writeString(prices, header + row + "#" + "x".repeat(4096 - 1) + "\r\n");
        assertEquals(1, KarpenterCloudFactory.priceList(prices).size(), "a line of the most bytes is read");

        byte[] start = (header + "# r\u00e9gion\r").getBytes(StandardCharsets.UTF_8);
        byte[] bad = Arrays.copyOf(start, start.length + 3);
        bad[start.length] = (byte) 0xc3; // the first byte of a two-byte character, then a line end
        bad[start.length + 1] = '\n';
        bad[start.length + 2] = '\n';
        Files.write(prices, bad);
        IllegalArgumentException notUtf8 = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(prices));
        assertEquals(prices + ":3: the line is not valid UTF-8", notUtf8.getMessage());
    }

    @Test
    void factory_priceListLargerThanTheLimit_isRefusedNamingTheLineThatPassesIt() throws IOException {
        Path prices = dir.resolve("prices.csv");
        String header = "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n";
        String comment = "#" + "x".repeat(98) + "\n"; // 100 bytes
        int comments = (8 << 20) / 100 + 10;
        try (var out = Files.newBufferedWriter(prices, StandardCharsets.UTF_8)) {
            out.write(header);
            for (int i = 0; i < comments; i++) {
                out.write(comment);
            }
        }
        IllegalArgumentException large = assertThrows(IllegalArgumentException.class,
                () -> KarpenterCloudFactory.priceList(prices));
        // the byte past the limit, at offset 8388608, is in the comment after the header's bytes
        int line = 2 + ((8 << 20) - header.length()) / 100;
        assertEquals(prices + ":" + line + ": the price list goes on past 8388608 bytes, the most it may hold; nothing"
                + " was read from it", large.getMessage());
    }

    @Test
    void factory_settingsKubernetesWouldRefuse_areRefusedByName() throws IOException {
        Path prices = dir.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n");
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class, () -> new KarpenterCloudFactory()
                .create(Map.of("node-pool", "General_Pool", "price-list", prices.toString())));
        assertTrue(pool.getMessage().contains("General_Pool"), pool.getMessage());
        IllegalArgumentException namespace = assertThrows(IllegalArgumentException.class, () -> new KarpenterCloudFactory()
                .create(Map.of("node-pool", "general", "price-list", prices.toString(), "namespace", "Kube System")));
        assertTrue(namespace.getMessage().contains("Kube System"), namespace.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new KarpenterCloudFactory()
                .create(Map.of("node-pool", "general", "price-list", dir.resolve("absent.csv").toString())));
        assertTrue(missing.getMessage().contains("absent.csv"), missing.getMessage());
    }

    @ParameterizedTest(name = "record-retention ''{0}''")
    @ValueSource(strings = {"7 days", "P7", "P1W", "1w", "", "PT0S", "-P1D"})
    void factory_recordRetentionNotAPositiveIsoDuration_isRefusedNamingTheSettingAndValue(String value) throws IOException {
        Path prices = dir.resolve("prices.csv");
        Files.writeString(prices, "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
                + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time\n"
                + "m6i.large,m6i,eu-west-1,2,8,12.5,0,0.107,0.038,0.05,PT90S\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KarpenterCloudFactory()
                .create(Map.of("node-pool", "general", "price-list", prices.toString(), "record-retention", value)));
        assertEquals("the setting 'record-retention' must be a positive ISO-8601 duration such as P7D or PT36H, was '"
                + value + "'", e.getMessage());
    }

    @Test
    void factory_recordRetention_readsIsoDurations() {
        assertEquals(Duration.ofDays(3), KarpenterCloudFactory.recordRetention("P3D"));
        assertEquals(Duration.ofHours(36), KarpenterCloudFactory.recordRetention("pt36h"));
        assertEquals(Duration.ofMinutes(90), KarpenterCloudFactory.recordRetention(" PT1H30M "));
    }
}
