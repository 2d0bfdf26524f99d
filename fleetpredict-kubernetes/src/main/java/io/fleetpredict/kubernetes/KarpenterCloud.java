package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fleetpredict.cloud.Capability;
import io.fleetpredict.cloud.CloudException;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.ProvisionRequest;
import io.fleetpredict.cloud.ProvisionResult;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.cloud.ReleaseRequest;
import io.fleetpredict.cloud.ReleaseResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
/**
 * Nodes from Karpenter: each instance is one {@code NodeClaim} ({@code karpenter.sh/v1}) that asks for an
 * instance type, a capacity type ({@code spot} or {@code on-demand}) and the region (and the pool's zones),
 * under one {@code NodePool}.
 *
 * <h2>Offers</h2>
 * The price list's offers that the pool allows: an instance type outside the pool's
 * {@code node.kubernetes.io/instance-type} requirement is not sold, and spot prices are kept only when the
 * pool's {@code karpenter.sh/capacity-type} allows {@code spot}.
 *
 * <h2>Keys, state and release</h2>
 * A provision's claims are named after a hash of its idempotency key ({@code fp-<hash>-<n>}), so a
 * retried or concurrent provision with the same key finds the claims the first one made instead of
 * making more; the request is kept in an annotation, and the same key with another request is refused.
 * An instance is {@code PENDING} until its claim names a node whose {@code Ready} condition is true, then
 * {@code RUNNING}; {@code TERMINATING} once its claim is being deleted. Release deletes the claims
 * (Karpenter drains and removes the nodes) and keeps a record in a ConfigMap of the namespace, so a
 * released instance stays visible as {@code TERMINATED} and a repeated release returns the first result.
 *
 * <p>Thread-safe: all state lives in the cluster.
 */
public final class KarpenterCloud implements CloudProvider {

    static final ResourceDefinitionContext NODE_CLAIMS = new ResourceDefinitionContext.Builder()
            .withGroup("karpenter.sh").withVersion("v1").withKind("NodeClaim").withPlural("nodeclaims")
            .withNamespaced(false).build();
    static final ResourceDefinitionContext NODE_POOLS = new ResourceDefinitionContext.Builder()
            .withGroup("karpenter.sh").withVersion("v1").withKind("NodePool").withPlural("nodepools")
            .withNamespaced(false).build();

    static final String MANAGED = "app.kubernetes.io/managed-by";
    static final String MANAGER = "fleetpredict";
    static final String KEY_HASH = "fleetpredict.io/key-hash";
    static final String KEY = "fleetpredict.io/idempotency-key";
    static final String REQUEST = "fleetpredict.io/request";
    static final String TAGS = "fleetpredict.io/tags";
    static final String LAUNCHED = "fleetpredict.io/launched-at";
    static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
    static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";
    static final String REGION = "topology.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String NODE_POOL = "karpenter.sh/nodepool";

    private final KubernetesClient client;
    private final String nodePool;
    private final String namespace;
    private final List<Offer> priceList;
    private final Clock clock;
    private final Duration settle;

    private KarpenterCloud(Builder b) {
        this.client = b.client;
        this.nodePool = b.nodePool;
        this.namespace = b.namespace;
        this.priceList = List.copyOf(b.priceList);
        this.clock = b.clock;
        this.settle = b.settle;
    }

    /**
     * A builder.
     *
     * @param client the cluster's client (its credentials are the host's)
     * @param nodePool the NodePool the claims belong to
     * @return a builder with the namespace {@code default} for release records and the system UTC clock
     */
    public static Builder builder(KubernetesClient client, String nodePool) {
        return new Builder(client, nodePool);
    }

    @Override
    public String name() {
        return "karpenter";
    }

    @Override
    public Set<Capability> capabilities() {
        return pool().allows(CAPACITY_TYPE, "spot") && priceList.stream().anyMatch(Offer::spotAvailable)
                ? EnumSet.of(Capability.SPOT) : EnumSet.noneOf(Capability.class);
    }

    @Override
    public List<Offer> offers() {
        NodePoolSpec pool = pool();
        boolean spot = pool.allows(CAPACITY_TYPE, "spot");
        boolean onDemand = pool.allows(CAPACITY_TYPE, "on-demand");
        List<Offer> out = new ArrayList<>();
        for (Offer o : priceList) {
            if (!pool.allows(INSTANCE_TYPE, o.instanceType()) || !pool.allows(REGION, o.region()) || !(onDemand || spot)) {
                continue;
            }
            out.add(spot ? o : new Offer(o.instanceType(), o.family(), o.region(), o.cpuCores(), o.memoryGiB(),
                    o.bandwidthGbps(), o.storageGiB(), o.onDemandPricePerHour(), java.util.OptionalDouble.empty(), 0,
                    o.bootTime()));
        }
        return out;
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        Objects.requireNonNull(request, "request");
        return call("provision", () -> {
            String hash = hash(request.idempotencyKey());
            String fingerprint = ClaimRecords.fingerprint(request);
            List<GenericKubernetesResource> existing = claimsOf(hash);
            if (!existing.isEmpty()) {
                return replay(request, fingerprint, hash, existing);
            }
            Offer offer = offer(request);
            NodePoolSpec pool = pool();
            Instant now = clock.instant();
            List<GenericKubernetesResource> made = new ArrayList<>();
            for (int n = 0; n < request.count(); n++) {
                GenericKubernetesResource claim = claim(request, hash, fingerprint, n, now, pool);
                try {
                    made.add(client.genericKubernetesResources(NODE_CLAIMS).resource(claim).create());
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409) {
                        // A concurrent provision with this key got there first: answer from its claims.
                        return replay(request, fingerprint, hash, awaitClaims(hash, request.count()));
                    }
                    throw e;
                }
            }
            return new ProvisionResult(request, made.stream().map(c -> instance(c, offer, Map.of())).sorted(ORDER).toList());
        });
    }

    private ProvisionResult replay(ProvisionRequest request, String fingerprint, String hash,
            List<GenericKubernetesResource> claims) {
        String earlier = ClaimRecords.annotation(claims.get(0), REQUEST);
        if (!fingerprint.equals(earlier)) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "idempotency key '%s' was used for another request: %s", request.idempotencyKey(), earlier));
        }
        List<GenericKubernetesResource> all = claims.size() < request.count() ? awaitClaims(hash, request.count()) : claims;
        Offer offer = offer(request);
        List<Instance> instances = all.stream().map(c -> instance(c, offer, Map.of())).map(ClaimRecords::asLaunched)
                .sorted(ORDER).toList();
        return new ProvisionResult(request, instances);
    }

    private List<GenericKubernetesResource> awaitClaims(String hash, int count) {
        long deadline = System.nanoTime() + settle.toNanos();
        while (true) {
            List<GenericKubernetesResource> claims = claimsOf(hash);
            if (claims.size() >= count || System.nanoTime() > deadline) {
                if (claims.isEmpty()) {
                    throw new CloudException(CloudException.Kind.TRANSIENT, "a concurrent provision's claims vanished");
                }
                return claims;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CloudException(CloudException.Kind.TRANSIENT, "interrupted", e);
            }
        }
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        Objects.requireNonNull(request, "request");
        return call("release", () -> {
            String record = "fp-release-" + hash(request.idempotencyKey());
            String fingerprint = String.join(",", new java.util.TreeSet<>(request.instanceIds()));
            ConfigMap previous = client.configMaps().inNamespace(namespace).withName(record).get();
            if (previous != null) {
                if (!fingerprint.equals(previous.getData().get("request"))) {
                    throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                            "idempotency key '%s' was used to release other instances: %s", request.idempotencyKey(),
                            previous.getData().get("request")));
                }
                return new ReleaseResult(request, ClaimRecords.readInstances(ClaimRecords.data(previous, "instances")));
            }
            Map<String, Instance> known = new LinkedHashMap<>();
            for (Instance i : all()) {
                known.put(i.id(), i);
            }
            List<String> unknown = request.instanceIds().stream().filter(id -> !known.containsKey(id)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, "unknown instances " + unknown
                        + "; nothing was released");
            }
            List<Instance> released = new ArrayList<>();
            for (String id : new java.util.TreeSet<>(request.instanceIds())) {
                Instance i = Objects.requireNonNull(known.get(id), id);
                Instance ended = ClaimRecords.withState(i, i.state().active() || i.state() == InstanceState.TERMINATING
                        ? InstanceState.TERMINATING : i.state());
                if (i.state().active()) {
                    tombstone(ended);
                    client.genericKubernetesResources(NODE_CLAIMS).withName(id).delete();
                }
                released.add(ended);
            }
            ConfigMap result = new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName(record)
                            .withLabels(Map.of(MANAGED, MANAGER)).build())
                    .withData(Map.of("request", fingerprint, "instances", ClaimRecords.writeInstances(released))).build();
            try {
                client.configMaps().inNamespace(namespace).resource(result).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
            return new ReleaseResult(request, released);
        });
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        Objects.requireNonNull(request, "request");
        return call("describe", () -> new DescribeResult(clock.instant(),
                all().stream().filter(request::matches).sorted(ORDER).toList()));
    }

    private static final Comparator<Instance> ORDER = Comparator.comparing(Instance::launchedAt).thenComparing(Instance::id);

    /** Every instance: live claims, and the records of released ones whose claims are gone. */
    private List<Instance> all() {
        Map<String, Boolean> ready = new TreeMap<>();
        for (Node node : client.nodes().withLabel(NODE_POOL, nodePool).list().getItems()) {
            ready.put(node.getMetadata().getName(), node.getStatus() != null && node.getStatus().getConditions() != null
                    && node.getStatus().getConditions().stream().anyMatch(KarpenterCloud::isReady));
        }
        Map<String, Instance> out = new LinkedHashMap<>();
        for (GenericKubernetesResource c : client.genericKubernetesResources(NODE_CLAIMS).withLabel(MANAGED, MANAGER)
                .list().getItems()) {
            out.put(c.getMetadata().getName(), instance(c, offerFor(c), ready));
        }
        for (ConfigMap m : client.configMaps().inNamespace(namespace).withLabel(MANAGED, MANAGER)
                .withLabel(KEY_HASH).list().getItems()) {
            for (Instance i : ClaimRecords.readInstances(ClaimRecords.data(m, "instances"))) {
                out.putIfAbsent(i.id(), ClaimRecords.withState(i, InstanceState.TERMINATED));
            }
        }
        return new ArrayList<>(out.values());
    }

    private static boolean isReady(NodeCondition c) {
        return "Ready".equals(c.getType()) && "True".equals(c.getStatus());
    }

    private void tombstone(Instance i) {
        ConfigMap m = new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName("fp-ended-" + i.id())
                        .withLabels(Map.of(MANAGED, MANAGER, KEY_HASH, hash(i.idempotencyKey()))).build())
                .withData(Map.of("instances", ClaimRecords.writeInstances(List.of(i)))).build();
        try {
            client.configMaps().inNamespace(namespace).resource(m).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private GenericKubernetesResource claim(ProvisionRequest r, String hash, String fingerprint, int n, Instant now,
            NodePoolSpec pool) {
        GenericKubernetesResource c = new GenericKubernetesResource();
        c.setApiVersion("karpenter.sh/v1");
        c.setKind("NodeClaim");
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(KEY, r.idempotencyKey());
        annotations.put(REQUEST, fingerprint);
        annotations.put(TAGS, Serialization.asJson(new TreeMap<>(r.tags())));
        annotations.put(LAUNCHED, now.toString());
        c.setMetadata(new ObjectMetaBuilder().withName(String.format(Locale.ROOT, "fp-%s-%d", hash, n))
                .withLabels(Map.of(MANAGED, MANAGER, KEY_HASH, hash, NODE_POOL, nodePool))
                .withAnnotations(annotations).build());
        List<Map<String, Object>> requirements = new ArrayList<>();
        requirements.add(requirement(INSTANCE_TYPE, List.of(r.instanceType())));
        requirements.add(requirement(CAPACITY_TYPE, List.of(r.purchaseOption() == PurchaseOption.SPOT ? "spot" : "on-demand")));
        requirements.add(requirement(REGION, List.of(r.region())));
        pool.values(ZONE).ifPresent(z -> requirements.add(requirement(ZONE, z)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("requirements", requirements);
        pool.nodeClassRef().ifPresent(ref -> spec.put("nodeClassRef", ref));
        c.setAdditionalProperty("spec", spec);
        return c;
    }

    private static Map<String, Object> requirement(String key, List<String> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("operator", "In");
        m.put("values", values);
        return m;
    }

    private Instance instance(GenericKubernetesResource c, Offer offer, Map<String, Boolean> readyNodes) {
        String request = ClaimRecords.annotation(c, REQUEST);
        String[] parts = request.split("\\|", -1);
        PurchaseOption option = PurchaseOption.valueOf(parts[2]);
        Instant launched = Instant.parse(ClaimRecords.annotation(c, LAUNCHED));
        InstanceState state;
        if (c.getMetadata().getDeletionTimestamp() != null) {
            state = InstanceState.TERMINATING;
        } else {
            Object status = c.getAdditionalProperties().get("status");
            Object nodeName = status instanceof Map<?, ?> s ? s.get("nodeName") : null;
            state = nodeName != null && Boolean.TRUE.equals(readyNodes.get(nodeName.toString()))
                    ? InstanceState.RUNNING : InstanceState.PENDING;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> tags = Serialization.unmarshal(ClaimRecords.annotation(c, TAGS), Map.class);
        return new Instance(c.getMetadata().getName(), parts[0], parts[1], option, state, launched,
                launched.plus(offer.bootTime()), ClaimRecords.annotation(c, KEY), tags, Map.of(), offer.pricePerHour(option));
    }

    private Offer offerFor(GenericKubernetesResource c) {
        String[] parts = ClaimRecords.annotation(c, REQUEST).split("\\|", -1);
        return priceList.stream().filter(o -> o.instanceType().equals(parts[0]) && o.region().equals(parts[1]))
                .findFirst().orElseThrow(() -> new CloudException(CloudException.Kind.INVALID_REQUEST,
                        "claim " + c.getMetadata().getName() + " is for " + parts[0] + " in " + parts[1]
                                + ", which the price list does not hold"));
    }

    private Offer offer(ProvisionRequest r) {
        Offer offer = offers().stream().filter(o -> o.instanceType().equals(r.instanceType()) && o.region().equals(r.region()))
                .findFirst().orElseThrow(() -> new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(
                        Locale.ROOT, "instance type '%s' is not offered in region '%s' by node pool '%s'",
                        r.instanceType(), r.region(), nodePool)));
        if (r.purchaseOption() == PurchaseOption.SPOT && !offer.spotAvailable()) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "no spot capacity for '%s' in '%s' in node pool '%s'", r.instanceType(), r.region(), nodePool));
        }
        return offer;
    }

    private List<GenericKubernetesResource> claimsOf(String hash) {
        return client.genericKubernetesResources(NODE_CLAIMS).withLabel(KEY_HASH, hash).list().getItems().stream()
                .sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
    }

    private NodePoolSpec pool() {
        GenericKubernetesResource p = client.genericKubernetesResources(NODE_POOLS).withName(nodePool).get();
        if (p == null) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, "node pool '" + nodePool + "' does not exist");
        }
        return new NodePoolSpec(p);
    }

    static String hash(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** Runs a call, turning the client's failures into {@link CloudException}s of the right kind. */
    private static <T> T call(String operation, Supplier<T> body) {
        try {
            return body.get();
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            CloudException.Kind kind = code == 401 || code == 403 ? CloudException.Kind.UNAUTHORIZED
                    : code == 429 ? CloudException.Kind.THROTTLED
                    : code == 400 || code == 404 || code == 409 || code == 422 ? CloudException.Kind.INVALID_REQUEST
                    : CloudException.Kind.TRANSIENT;
            throw new CloudException(kind, operation + " failed: HTTP " + code + ": " + e.getMessage(), e);
        }
    }

    /** Configures a {@link KarpenterCloud}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String nodePool;
        private String namespace = "default";
        private List<Offer> priceList = List.of();
        private Clock clock = Clock.systemUTC();
        private Duration settle = Duration.ofSeconds(30);

        private Builder(KubernetesClient client, String nodePool) {
            this.client = Objects.requireNonNull(client, "client");
            this.nodePool = Objects.requireNonNull(nodePool, "nodePool");
            if (nodePool.isBlank()) {
                throw new IllegalArgumentException("nodePool must not be blank");
            }
        }

        /**
         * The offers the provider may sell, with their prices; the pool narrows them.
         *
         * @param offers at most one per instance type and region
         * @return this builder
         */
        public Builder priceList(List<Offer> offers) {
            Set<String> seen = new java.util.HashSet<>();
            for (Offer o : offers) {
                if (!seen.add(o.instanceType() + "@" + o.region())) {
                    throw new IllegalArgumentException("the price list holds " + o.instanceType() + " in " + o.region()
                            + " twice");
                }
            }
            this.priceList = List.copyOf(offers);
            return this;
        }

        /**
         * The namespace that keeps the records of released instances.
         *
         * @param namespace an existing namespace
         * @return this builder
         */
        public Builder namespace(String namespace) {
            this.namespace = Objects.requireNonNull(namespace, "namespace");
            return this;
        }

        /**
         * The clock that stamps launches.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @return the provider */
        public KarpenterCloud build() {
            if (priceList.isEmpty()) {
                throw new IllegalArgumentException("the price list is empty; nothing could be offered");
            }
            return new KarpenterCloud(this);
        }
    }
}
