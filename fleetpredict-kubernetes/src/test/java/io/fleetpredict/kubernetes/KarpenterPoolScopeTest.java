package io.fleetpredict.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Providers of two pools in one cluster and namespace may use the same idempotency keys: each pool's claims
 * and records are its own. Claims and records an earlier version named after the key alone are still read.
 */
class KarpenterPoolScopeTest {

    private final FaultyCluster cluster = new FaultyCluster();
    private final KarpenterCloud general = cluster.cloud();
    private final KarpenterCloud gpu;

    KarpenterPoolScopeTest() {
        GenericKubernetesResource pool = KarpenterCloudCompatibilityTest.nodePool();
        pool.getMetadata().setName("gpu");
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(pool).create();
        gpu = KarpenterCloud.builder(cluster.client, "gpu").priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static List<String> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).toList();
    }

    @Test
    void provision_sameKeyInTwoPools_makesEachPoolItsOwnInstances_andEachAnswersItsOwnResult() {
        ProvisionResult ours = general.provision(KarpenterCloudFaultsTest.request("shared", 1));
        ProvisionResult theirs = gpu.provision(KarpenterCloudFaultsTest.request("shared", 1));

        assertNotEquals(ids(ours.instances()), ids(theirs.instances()));
        assertEquals(2, cluster.claimNames().size());
        assertEquals(ids(ours.instances()), ids(general.describe(DescribeRequest.all()).instances()));
        assertEquals(ids(theirs.instances()), ids(gpu.describe(DescribeRequest.all()).instances()));
        assertEquals(ours, general.provision(KarpenterCloudFaultsTest.request("shared", 1)));
        assertEquals(theirs, gpu.provision(KarpenterCloudFaultsTest.request("shared", 1)));
        assertEquals(2, cluster.claimNames().size());
    }

    @Test
    void provision_keyOfAnotherPoolForAnotherRequest_isNotRefused() {
        general.provision(KarpenterCloudFaultsTest.request("shared", 1));

        assertEquals(2, gpu.provision(KarpenterCloudFaultsTest.request("shared", 2)).fulfilled());
        assertEquals(2, gpu.describe(DescribeRequest.all()).instances().size());
    }

    @Test
    void release_sameKeyInTwoPools_releasesEachPoolsOwnInstances_andEachAnswersItsOwnResult() {
        String ours = general.provision(KarpenterCloudFaultsTest.request("a", 1)).instances().get(0).id();
        String theirs = gpu.provision(KarpenterCloudFaultsTest.request("b", 1)).instances().get(0).id();

        ReleaseResult ourRelease = general.release(ReleaseRequest.of("drop", List.of(ours)));
        ReleaseResult theirRelease = gpu.release(ReleaseRequest.of("drop", List.of(theirs)));

        assertEquals(List.of(ours), ids(ourRelease.instances()));
        assertEquals(List.of(theirs), ids(theirRelease.instances()));
        assertEquals(List.of(), cluster.claimNames());
        assertEquals(ourRelease, general.release(ReleaseRequest.of("drop", List.of(ours))));
        assertEquals(theirRelease, gpu.release(ReleaseRequest.of("drop", List.of(theirs))));
    }

    /** An instance another pool's provider released under a key does not bear on this pool's use of the key. */
    @Test
    void provision_keyWhoseInstanceAnotherPoolReleased_isNotRefused() {
        String theirs = gpu.provision(KarpenterCloudFaultsTest.request("shared", 1)).instances().get(0).id();
        gpu.release(ReleaseRequest.of("drop", List.of(theirs)));

        assertEquals(3, general.provision(KarpenterCloudFaultsTest.request("shared", 3)).fulfilled());
        assertEquals(3, cluster.claimNames().size());
    }

    /**
     * An earlier version named a provision's record after its key alone: one of another pool under the key's
     * old name is not this pool's record, so it neither answers nor refuses this pool's provision.
     */
    @Test
    void provision_recordUnderTheOldNameOfAnotherPool_isNotThisPoolsRecord() {
        String hash = KarpenterCloud.hash("shared");
        cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("fp-provision-" + hash).withLabels(Map.of(KarpenterCloud.MANAGED, KarpenterCloud.MANAGER,
                        KarpenterCloud.RECORD_POOL, "gpu", KarpenterCloud.PROVISIONED, hash))
                .endMetadata().withData(Map.of("request", "c6i.2xlarge|eu-west-1|SPOT|4|{}", "state", "complete",
                        "instances", "[]")).build()).create();

        ProvisionResult made = general.provision(KarpenterCloudFaultsTest.request("shared", 1));

        assertEquals(1, made.fulfilled());
        assertTrue(cluster.claimNames().contains(made.instances().get(0).id()), cluster.claimNames().toString());
    }

    /**
     * Gives the pool's claims and records of a key the names an earlier version gave them, after the key alone
     * ({@code fp-<hash>-<n>}, {@code fp-provision-<hash>}, {@code fp-release-<hash>}), the ids in the records
     * with them: the state such a version left.
     */
    private void renameToOldNames(String key) {
        String hash = KarpenterCloud.hash(key);
        Map<String, String> ids = new HashMap<>();
        for (GenericKubernetesResource c : cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS)
                .withLabel(KarpenterCloud.KEY_HASH, hash).list().getItems()) {
            String name = c.getMetadata().getName();
            String n = name.substring(name.lastIndexOf('-') + 1);
            String old = KarpenterCloud.legacyClaimName(hash, Integer.parseInt(n));
            ids.put(name, old);
            cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(name).delete();
            c.setMetadata(new ObjectMetaBuilder(c.getMetadata()).withName(old).withResourceVersion(null).withUid(null)
                    .withCreationTimestamp(null).build());
            cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).resource(c).create();
        }
        for (String[] names : List.of(new String[] {KarpenterCloud.provisionRecordName("general", hash), "fp-provision-" + hash},
                new String[] {KarpenterCloud.releaseRecordName("general", hash), "fp-release-" + hash})) {
            ConfigMap m = cluster.client.configMaps().inNamespace("default").withName(names[0]).get();
            if (m != null) {
                cluster.client.configMaps().inNamespace("default").withName(names[0]).delete();
                Map<String, String> data = new HashMap<>(m.getData());
                ids.forEach((now, old) -> data.put("instances", data.get("instances").replace("\"" + now + "\"",
                        "\"" + old + "\"")));
                cluster.client.configMaps().inNamespace("default").resource(new ConfigMapBuilder(m).editMetadata()
                        .withName(names[1]).withResourceVersion(null).withUid(null).withCreationTimestamp(null).endMetadata()
                        .withData(data).build()).create();
            }
        }
    }

    /** An upgrade keeps a record an earlier version wrote: the key answers its first result, making nothing. */
    @Test
    void provision_completeRecordUnderTheOldName_answersItsFirstResult_andMakesNothing() {
        general.provision(KarpenterCloudFaultsTest.request("old", 2));
        renameToOldNames("old");
        String hash = KarpenterCloud.hash("old");
        List<String> old = List.of(KarpenterCloud.legacyClaimName(hash, 0), KarpenterCloud.legacyClaimName(hash, 1));
        assertEquals(old, cluster.claimNames().stream().sorted().toList());
        // Karpenter deletes one since: the record, not the claims, answers.
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(old.get(0)).delete();

        ProvisionResult again = general.provision(KarpenterCloudFaultsTest.request("old", 2));

        assertEquals(old, ids(again.instances()).stream().sorted().toList());
        assertEquals(List.of(old.get(1)), cluster.claimNames());
    }

    /**
     * A provision an earlier version began and that failed part way is finished by its key after the upgrade:
     * the claims still missing are made under the new names, and the one Karpenter deleted since is not made
     * again.
     */
    @Test
    void provision_partialRecordUnderTheOldName_makesOnlyTheMissingClaims() {
        String hash = KarpenterCloud.hash("half");
        String third = KarpenterCloud.claimName("general", hash, 2);
        cluster.failIf("POST", "/nodeclaims", 1, r -> r.getUtf8Body().contains(third), r -> new MockResponse()
                .setResponseCode(500).setBody(FaultyCluster.status(500, "InternalError", "etcd is away")));
        assertThrows(CloudException.class, () -> general.provision(KarpenterCloudFaultsTest.request("half", 3)));
        renameToOldNames("half");
        String first = KarpenterCloud.legacyClaimName(hash, 0);
        String second = KarpenterCloud.legacyClaimName(hash, 1);
        cluster.client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).withName(first).delete();

        ProvisionResult finished = general.provision(KarpenterCloudFaultsTest.request("half", 3));

        assertEquals(List.of(first, second, third), ids(finished.instances()).stream().sorted().toList());
        assertEquals(List.of(second, third), cluster.claimNames().stream().sorted().toList());
        assertEquals(finished, general.provision(KarpenterCloudFaultsTest.request("half", 3)));
    }

    /** A release an earlier version recorded answers its first result after the upgrade. */
    @Test
    void release_recordUnderTheOldName_answersItsFirstResult() {
        String id = general.provision(KarpenterCloudFaultsTest.request("r", 1)).instances().get(0).id();
        ReleaseRequest drop = ReleaseRequest.of("drop", List.of(id));
        ReleaseResult first = general.release(drop);
        renameToOldNames("drop");
        assertTrue(Objects.requireNonNull(cluster.client.configMaps().inNamespace("default")
                .withName("fp-release-" + KarpenterCloud.hash("drop")).get()).getData().get("instances").contains(id));

        assertEquals(first, general.release(drop));
    }
}
