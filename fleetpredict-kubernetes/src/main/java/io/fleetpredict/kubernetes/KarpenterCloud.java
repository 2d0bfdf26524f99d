package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
/**
 * Nodes from Karpenter: each instance is one {@code NodeClaim} ({@code karpenter.sh/v1}) that asks for an
 * instance type, a capacity type ({@code spot} or {@code on-demand}) and the region, under one
 * {@code NodePool}. The claim is built as Karpenter builds a claim of the pool: owned by it, with its
 * template's labels, annotations, node class, taints, expiry and requirements on other labels. It also asks
 * Karpenter not to disrupt it ({@code karpenter.sh/do-not-disrupt}) unless the template says otherwise: a
 * node made ahead of demand has no pods yet and would be consolidated as empty; release ends it instead.
 *
 * <h2>Offers</h2>
 * The price list's offers that the pool allows: an offer is sold only when the pool's requirements on
 * the labels the price list tells (instance type, region, the type's family, category, generation and
 * size, {@code karpenter.k8s.aws/instance-cpu} and {@code instance-memory} in MiB, and
 * {@code kubernetes.io/arch} when the type's name spells it) allow it, with Karpenter's operators including
 * the integer {@code Gt}, {@code Lt}, {@code Gte} and {@code Lte}, and when the pool's
 * {@code topology.kubernetes.io/zone} requirements leave a zone of the offer's region; spot prices are kept
 * only when the pool's {@code karpenter.sh/capacity-type} allows {@code spot}. A provision of an offer the
 * pool cannot take is refused, naming the requirement. Requirements on labels the price list cannot tell
 * ({@code kubernetes.io/os}, say) go on each claim unchecked.
 *
 * <h2>Keys, state and release</h2>
 * A provision's claims are named after the pool and a hash of its idempotency key ({@code fp-<pool>-<hash>-<n>}),
 * so a retried or concurrent provision with the same key finds the claims the first one made and makes only
 * those still missing (a provision that failed part way is finished so, and keeps a partial record of the
 * claims it made, so that one Karpenter deletes before the retry is not made again); the request is kept in an
 * annotation, and the same key with another request is refused. A window is left between provisions under one
 * key that run at once: a claim one of them made and Karpenter deleted before the other, which listed the key's
 * claims earlier, reaches its name is made again by that other (docs/integrations.md says when, and what a
 * caller sees). Its result is then kept in a ConfigMap
 * ({@code fp-provision-<pool>-<hash>}), so the same key answers that result and makes nothing again even after
 * Karpenter deleted the claims itself (consolidation, interruption, the claim's {@code expireAfter}), for as
 * long as the record is kept: while any claim it lists (or any claim of its key) exists, however long that is,
 * and then for {@link Builder#recordRetention} from when a provision or release of the pool first finds them
 * all gone (it marks the record so; a later one that finds claims of its key again takes the mark off), after
 * which a later provision or release deletes it. A record lists its instances: one that would pass the
 * 1 MiB a ConfigMap holds as text keeps them compressed, and a provision or release whose record would pass it
 * even so (or a provision of more claims than the provider lists in a pool) is refused, {@code INVALID_REQUEST},
 * before any claim is made or deleted, as the record is written after them. A provision
 * past the pool's {@code spec.limits} ({@code cpu}, {@code memory}, {@code nodes}, or any limit its use has
 * already passed) or in a pool being deleted is refused before anything is made; the use is the pool's
 * status and the provider's claims Karpenter has not launched yet, which the status does not count.
 * An instance is {@code PENDING} until its claim names a node whose {@code Ready} condition is true and
 * that no longer carries Karpenter's {@code karpenter.sh/unregistered} taint nor the claim's startup taints,
 * or until Karpenter has recorded the node initialized (the claim's {@code Initialized} condition, the node's
 * {@code karpenter.sh/initialized} label), then {@code RUNNING}, and it stays {@code RUNNING} while its node
 * is not Ready for a while (a kubelet that missed heartbeats): a node that came up is billed and, once it is
 * Ready again, serves, and is never reported as a launch still coming up, which a caller would give up on and
 * release; a node that stays unhealthy is Kubernetes' and Karpenter's to replace (which deletes its claim).
 * {@code TERMINATING} once its claim is being deleted. An instance's {@code readyAt} is when it came up once it
 * has (the transition time of the claim's {@code Initialized} condition, else, before Karpenter records it, of
 * its node's {@code Ready} condition; kept between the launch and the describe), and until then its launch plus
 * its offer's boot time; a provision reports its instances as launched, with the latter. Release deletes the claims
 * (Karpenter drains and removes the nodes), one delete each, and keeps a record of the instances it ends, one for
 * those of each provision key, written before their claims are deleted ({@code fp-ended-<pool>-<hash of their ids>}),
 * and of its result ({@code fp-release-<pool>-<hash>}) in ConfigMaps of the namespace, so,
 * for the retention after the release, a released instance stays visible as {@code TERMINATED}, a provision
 * under its key does not make it again, and a repeated release returns the first result. Past the retention,
 * a later provision or release deletes the records, the oldest first: provision records a retention after
 * their last claim was found gone, ended-instance and release records a retention after the release.
 * Claims and records are the pool's own: providers of several pools may use the same keys in one cluster
 * and namespace. Records an earlier version named after the key alone ({@code fp-provision-<hash>},
 * {@code fp-release-<hash>}, claims {@code fp-<hash>-<n>}) are still read, when they are the pool's.
 *
 * <h2>Failures</h2>
 * Every failure is a {@link CloudException} naming the API call or the object: the HTTP status sets the
 * kind, a write that got no answer, an answer that cannot be read, a server error (any 5xx: the API server
 * answers 500 when etcd changes leader after storing the object) or a request timeout (408, from a proxy that
 * stopped waiting) is {@code TIMED_OUT} as it may have been applied, and so is a provision or release that fails after changing some objects. A record's write that
 * meets another writer's change (HTTP 409, or 404 when the record went) is tried again, a provision's record read
 * again and merged so that it lists the claims of both, or answered as it is when it lists them already (as it
 * does when provisions of one request race: the first to record answers them all); after five such conflicts in
 * a row the call fails {@code TRANSIENT}, naming the record. A release's record that a concurrent release under the key wrote first
 * is kept: of the same instances, its result is answered; of others (the key reused at the same moment), the
 * release is refused as a reused key ({@code INVALID_REQUEST}, or {@code TIMED_OUT} with that cause when it
 * had deleted claims already). A provision or release that fails part way names what it made (apart from the
 * claims a concurrent provision under the key made, which it names as found; a claim carries the id of the call
 * that made it, {@value #ATTEMPT}, so one whose create the client sent again by itself is named as made) or
 * deleted: the first {@value #NAMES_LISTED} claims and the count of the rest, so that a message stays short at any
 * size of request;
 * {@code describe} lists them all. A message quotes at most the first 1,024 characters of a key or a request.
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
    /**
     * A random id of the provision call that made a claim. Calls under one key share the key and the request, so
     * this alone tells a claim this call made (its create sent again by a client that retries by itself, after
     * the first reached the API server, answered 409) from one a concurrent call made.
     */
    static final String ATTEMPT = "fleetpredict.io/attempt";
    static final String TAGS = "fleetpredict.io/tags";
    static final String PROVISIONED = "fleetpredict.io/provisioned";
    /** The label of a release's record, holding the hash of the release's key. */
    static final String RELEASED = "fleetpredict.io/released";
    /**
     * When a record was last written, by the provider's clock: the age of a release's record and of an ended
     * instance's counts from there.
     */
    static final String RECORDED = "fleetpredict.io/recorded-at";
    /**
     * When a sweep first found every claim of a provision record gone, by the provider's clock: the record's
     * age counts from there. A record without it has claims, or was not looked at since they went; a sweep
     * that finds claims of a marked record's key again takes the mark off.
     */
    static final String CLAIMS_GONE = "fleetpredict.io/claims-gone-at";
    /** The state of the record of a provision that failed part way: the claims it names were made. */
    static final String PARTIAL = "partial";
    /** The pool whose instances a record holds: providers of several pools may share a namespace. */
    static final String RECORD_POOL = "fleetpredict.io/node-pool";
    static final String DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";
    static final String UNREGISTERED = "karpenter.sh/unregistered";
    /** The label Karpenter puts on a node once it has initialized it, and never takes off. */
    static final String INITIALIZED = "karpenter.sh/initialized";
    static final String LAUNCHED = "fleetpredict.io/launched-at";
    static final String INSTANCE_TYPE = "node.kubernetes.io/instance-type";
    static final String CAPACITY_TYPE = "karpenter.sh/capacity-type";
    static final String REGION = "topology.kubernetes.io/region";
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String NODE_POOL = "karpenter.sh/nodepool";

    /** How long a record is kept by default: well past the retries of a provision or a release. */
    static final Duration DEFAULT_RECORD_RETENTION = Duration.ofDays(7);
    /**
     * The longest record retention: ten thousand Gregorian years (3,652,425 days). A clock anywhere in the
     * years 0000 to 9999 then has a cutoff ({@code now} less the retention) an {@link Instant} can hold, and a
     * longer retention would keep records for no purpose a cluster could have.
     */
    static final Duration MAX_RECORD_RETENTION = Duration.ofDays(3_652_425);
    /**
     * How many times one provision or release writes at most to clean records up, unless it wrote more records
     * itself: a call after a long pause is not held up, and the next ones go on from where it stopped. A call
     * that wrote more records writes up to twice as many times as it wrote, so that records cannot pile up
     * faster than they go (a release writes one for the instances of each provision key it ends). Taking the
     * mark ({@value #CLAIMS_GONE}) off provision records whose key has claims again comes first, then deleting
     * expired records, the oldest first, and marking those whose claims are gone takes what is left.
     */
    static final int SWEEP_LIMIT = 50;
    /**
     * How many times a record is written at most when concurrent writers keep changing it between its read and
     * its write (HTTP 409).
     */
    private static final int RECORD_WRITES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(KarpenterCloud.class);

    /**
     * How many names a message lists at most: a provision or release of tens of thousands of instances that fails
     * part way would otherwise write megabytes into each log line and audit entry that quotes it.
     */
    static final int NAMES_LISTED = 10;
    /** How many objects one page of a list asks for. */
    private static final int PAGE = 500;
    /**
     * The most pages of one list read, 500,000 objects in pages of {@value #PAGE}: a pool's claims and records are
     * a few thousand, and Kubernetes clusters are tested to 5,000 nodes.
     */
    private static final int MAX_PAGES = 1_000;
    /** A DNS-1123 subdomain: what Kubernetes allows as the name of a NodePool. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    /** A DNS-1123 label: what Kubernetes allows as the name of a namespace. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final KubernetesClient client;
    private final String nodePool;
    private final String namespace;
    private final List<Offer> priceList;
    private final Clock clock;
    private final Duration recordRetention;

    private KarpenterCloud(Builder b) {
        this.client = b.client;
        this.nodePool = b.nodePool;
        this.namespace = b.namespace;
        this.priceList = List.copyOf(b.priceList);
        this.clock = b.clock;
        this.recordRetention = b.recordRetention;
    }

    /**
     * A builder.
     *
     * @param client the cluster's client (its credentials are the host's)
     * @param nodePool the NodePool the claims belong to: a DNS-1123 subdomain of at most 63 characters
     * @return a builder with the namespace {@code default} for release records and the system UTC clock
     * @throws IllegalArgumentException if the pool's name is not one Kubernetes allows
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
        return api("capabilities", () -> pool().allows(CAPACITY_TYPE, "spot") && priceList.stream().anyMatch(Offer::spotAvailable)
                ? EnumSet.of(Capability.SPOT) : EnumSet.noneOf(Capability.class));
    }

    @Override
    public List<Offer> offers() {
        return api("offers", () -> allowedOffers(pool()));
    }

    private List<Offer> allowedOffers(NodePoolSpec pool) {
        if (!pool.allows(CAPACITY_TYPE, "spot") && !pool.allows(CAPACITY_TYPE, "on-demand")) {
            return List.of();
        }
        return priceList.stream().filter(pool::allows).map(o -> asSold(o, pool)).toList();
    }

    /** The offer as the pool sells it: without its spot price when the pool does not allow spot capacity. */
    private static Offer asSold(Offer o, NodePoolSpec pool) {
        return pool.allows(CAPACITY_TYPE, "spot") ? o : new Offer(o.instanceType(), o.family(), o.region(), o.cpuCores(),
                o.memoryGiB(), o.bandwidthGbps(), o.storageGiB(), o.onDemandPricePerHour(), java.util.OptionalDouble.empty(),
                0, o.bootTime());
    }

    @Override
    public ProvisionResult provision(ProvisionRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.count() > MAX_PAGES * PAGE) {
            // Its record would be built, hundreds of megabytes of JSON, only to be refused: refused before it is.
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "a provision of %d instances is more than the %d NodeClaims the provider lists in a pool; ask for"
                            + " fewer instances in each provision, under several keys; nothing was made", request.count(),
                    MAX_PAGES * PAGE));
        }
        return api("provision", () -> {
            String hash = hash(request.idempotencyKey());
            String fingerprint = ClaimRecords.fingerprint(request);
            String attempt = UUID.randomUUID().toString();
            String record = provisionRecordName(nodePool, hash);
            ConfigMap done = readRecord(record, "fp-provision-" + hash, Set.of(fingerprint), request.idempotencyKey(),
                    "for another request");
            List<Instance> recorded = done == null ? List.of()
                    : ClaimRecords.readInstances(done).stream().map(ClaimRecords::asLaunched).toList();
            if (done != null && (done.getData() == null || !PARTIAL.equals(done.getData().get("state")))) {
                // The first result, whatever Karpenter has done with its claims since: nothing is made again.
                return new ProvisionResult(request, recorded.stream().sorted(ORDER).toList());
            }
            Map<String, GenericKubernetesResource> claims = new TreeMap<>();
            for (GenericKubernetesResource c : claimsOf(hash)) {
                claims.put(sameRequest(request, fingerprint, c).getMetadata().getName(), c);
            }
            // Made by a provision under this key that failed part way: gone since only if Karpenter deleted them.
            Map<String, Instance> gone = new TreeMap<>();
            recorded.stream().filter(i -> !claims.containsKey(i.id())).forEach(i -> gone.put(i.id(), i));
            for (Instance i : releasedOf(hash)) {
                if (!i.instanceType().equals(request.instanceType()) || !i.region().equals(request.region())
                        || i.purchaseOption() != request.purchaseOption() || !i.tags().equals(request.tags())) {
                    throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                            "idempotency key '%s' was used for another request, whose instance %s was released",
                            shortened(request.idempotencyKey()), i.id()));
                }
                if (!claims.containsKey(i.id())) {  // a released claim stays listed while Karpenter drains it
                    gone.put(i.id(), i);
                }
            }
            NodePoolSpec pool = pool();
            if (pool.deleting()) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                        "node pool '%s' is being deleted, so Karpenter launches nothing for it; nothing was made", nodePool));
            }
            Offer offer = offer(request, pool);
            Instant now = clock.instant();
            // Claims are made in order under fixed names, so the names still missing are those a failed or
            // concurrent provision with this key has not made yet; released or gone ones are not made again. A
            // provision that an earlier version began named its claims without the pool.
            List<Integer> missing = IntStream.range(0, request.count()).filter(n -> Stream.of(claimName(nodePool, hash, n),
                    legacyClaimName(hash, n)).noneMatch(name -> claims.containsKey(name) || gone.containsKey(name)))
                    .boxed().toList();
            // A replay makes nothing, so a pool now over its limits does not refuse it.
            Optional<String> passed = missing.isEmpty() || !pool.limited() ? Optional.empty()
                    : pool.limitPassed(offer, missing.size(), unlaunched());
            if (passed.isPresent()) {
                throw new CloudException(CloudException.Kind.QUOTA_EXCEEDED, String.format(Locale.ROOT,
                        "node pool '%s' has no room under its limits for %d more nodes (%s); nothing was made",
                        nodePool, missing.size(), passed.get()));
            }
            refuseRecordPastLimit(request, hash, fingerprint, missing, claims, gone, offer, now);
            List<String> made = new ArrayList<>();
            // Claims whose create met one a concurrent provision under the key had made: this one took them, but
            // did not make them.
            List<String> found = new ArrayList<>();
            for (int n : missing) {
                String name = claimName(nodePool, hash, n);
                try {
                    Created c = create(request, claim(request, hash, fingerprint, attempt, n, now, pool), fingerprint,
                            attempt);
                    claims.put(name, c.claim());
                    (c.foundMade() ? found : made).add(name);
                } catch (CloudException e) {
                    if (made.isEmpty() && found.isEmpty()) {
                        throw e;
                    }
                    CloudException open = partlyDone("provision", request.idempotencyKey(),
                            madeAndFound(made, found, request.count()), e);
                    // Kept so that the retry does not make again a claim Karpenter deletes in the meantime.
                    try {
                        writeProvisionRecord(record, hash, fingerprint, launched(claims, gone, offer), PARTIAL,
                                ownName(done, record));
                    } catch (CloudException notKept) {
                        open.addSuppressed(notKept);
                    }
                    throw open;
                }
            }
            List<Instance> result;
            try {
                result = writeProvisionRecord(record, hash, fingerprint, launched(claims, gone, offer), "complete",
                        ownName(done, record));
            } catch (CloudException e) {
                throw made.isEmpty() && found.isEmpty() ? e : partlyDone("provision", request.idempotencyKey(),
                        madeAndFound(made, found, request.count()) + " but not its record", e);
            }
            sweepRecords(1);
            return new ProvisionResult(request, result);
        });
    }

    /**
     * Refuses, before any claim is made, a provision whose record would not fit in a ConfigMap: the record is
     * written once the claims are made, and a provision that made its claims but cannot record them could never
     * be finished by its key (each retry would fail on the record the same way), nor would the key answer it.
     * The record checked is the one the provision would write: its claims, those it is about to make (launched
     * now, as it will make them) and those gone since; a concurrent provision under the key writes the same
     * instances.
     */
    private void refuseRecordPastLimit(ProvisionRequest request, String hash, String fingerprint, List<Integer> missing,
            Map<String, GenericKubernetesResource> claims, Map<String, Instance> gone, Offer offer, Instant now) {
        List<Instance> planned = new ArrayList<>(launched(claims, gone, offer));
        for (int n : missing) {
            planned.add(new Instance(claimName(nodePool, hash, n), request.instanceType(), request.region(),
                    request.purchaseOption(), InstanceState.PENDING, now, now.plus(offer.bootTime()),
                    request.idempotencyKey(), request.tags(), Map.of(), offer.pricePerHour(request.purchaseOption())));
        }
        refuseUnkept(ClaimRecords.body(Map.of("request", fingerprint, "state", "complete"), planned), "provision",
                request.count(), request.idempotencyKey(),
                "ask for fewer instances in each provision, under several keys; nothing was made");
    }

    /**
     * Refuses a request whose record the API server would not keep, even compressed: {@code what} the request
     * ("provision", "release"), {@code instead} what to do and that nothing was done.
     */
    private static void refuseUnkept(ClaimRecords.Body body, String what, int count, String key, String instead) {
        if (!body.fits()) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "a %s of %d instances under key '%s' needs a record of %d bytes even compressed, more than the %d"
                            + " bytes the API server keeps in one ConfigMap; %s", what, count, shortened(key),
                    body.bytes(), ClaimRecords.CONFIG_MAP_BYTES, instead));
        }
    }

    /** A provision's instances as it reports them: its claims, and those released or gone since, as launched. */
    private List<Instance> launched(Map<String, GenericKubernetesResource> claims, Map<String, Instance> gone, Offer offer) {
        List<Instance> instances = new ArrayList<>();
        claims.values().forEach(c -> instances.add(launchedInstance(c, offer)));
        gone.values().forEach(i -> instances.add(ClaimRecords.asLaunched(i)));
        return instances.stream().sorted(ORDER).toList();
    }

    /** The record as read, if it is the one under {@code name} (not one an earlier version named after the key alone). */
    private static @Nullable ConfigMap ownName(@Nullable ConfigMap read, String name) {
        return read != null && name.equals(read.getMetadata().getName()) ? read : null;
    }

    /**
     * Writes, or replaces, the record of a provision: {@code complete}, or {@value #PARTIAL} when it failed part
     * way. Each write is conditional on the version last read ({@code read}, from the start of the provision, or
     * none): a concurrent provision under the key may have written the record since, and an unconditional write
     * would drop the claims only it had recorded, so that a retry made again one that Karpenter deleted meanwhile.
     * On a conflict (409, or 404 when the record went) the record is read again and merged: it lists the claims of
     * both writers, and is complete once either completed; a partial write meeting a complete record leaves it.
     * A record that says already all the merge would (another writer of the request recorded the same claims) is
     * left as it is and answered: only a writer with something to add writes, so callers racing under one key
     * meet a conflict for each of those, not one for each rewrite of the others.
     * Bounded: after {@value #RECORD_WRITES} conflicts in a row the write fails, {@code TRANSIENT}.
     *
     * @return the instances the record holds once written, sorted as a provision reports them
     */
    private List<Instance> writeProvisionRecord(String record, String hash, String fingerprint, List<Instance> instances,
            String state, @Nullable ConfigMap read) {
        ConfigMap current = read;
        KubernetesClientException conflict = null;
        for (int attempt = 0; attempt < RECORD_WRITES; attempt++) {
            List<Instance> merged = instances;
            String mergedState = state;
            if (current != null) {
                String other = ClaimRecords.data(current, "request");
                if (!fingerprint.equals(other)) {
                    throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                            "the record %s/%s was written meanwhile for another request under the same key: %s",
                            namespace, record, shortened(other)));
                }
                List<Instance> theirs = ClaimRecords.readInstances(current).stream().map(ClaimRecords::asLaunched).toList();
                boolean theyCompleted = !PARTIAL.equals(ClaimRecords.data(current, "state"));
                if (theyCompleted && PARTIAL.equals(state)) {
                    return theirs.stream().sorted(ORDER).toList();
                }
                Map<String, Instance> union = new TreeMap<>();
                theirs.forEach(i -> union.put(i.id(), i));
                instances.forEach(i -> union.put(i.id(), i));
                merged = union.values().stream().sorted(ORDER).toList();
                mergedState = theyCompleted ? "complete" : state;
                boolean saysAlready = merged.equals(theirs.stream().sorted(ORDER).toList())
                        && mergedState.equals(theyCompleted ? "complete" : PARTIAL) && !hasAnnotation(current, CLAIMS_GONE);
                if (saysAlready) {
                    // Another writer of this request recorded all this one would (a write would also take a mark of
                    // its claims gone off). Rewriting it would only change its version under the other writers, each
                    // of whom would then meet a conflict and rewrite in turn: a few callers racing under one key
                    // would outlast the bound. Its record answers this one as it will answer any repeat of the key.
                    return merged;
                }
            }
            ConfigMap m = stamped(record, Map.of(PROVISIONED, hash),
                    ClaimRecords.body(Map.of("request", fingerprint, "state", mergedState), merged));
            try {
                if (current == null) {
                    client.configMaps().inNamespace(namespace).resource(m).create();
                } else {
                    client.configMaps().inNamespace(namespace).resource(m)
                            .lockResourceVersion(current.getMetadata().getResourceVersion()).update();
                }
                return merged;
            } catch (KubernetesClientException e) {
                if (!changedMeanwhile(e)) {
                    throw ApiFailures.of("write ConfigMap " + namespace + "/" + record, true, e);
                }
                conflict = e;
            }
            current = readConfigMap(record);
        }
        throw conflicted(record, Objects.requireNonNull(conflict, "conflict"));
    }

    /**
     * Whether a write conditional on what was read failed because another writer changed the object since (HTTP
     * 409) or deleted it (404).
     */
    private static boolean changedMeanwhile(KubernetesClientException e) {
        return e.getCode() == 409 || e.getCode() == 404;
    }

    /**
     * The failure of a record's write that met another writer's change each of the {@value #RECORD_WRITES} times:
     * passing contention, not a wrong request, and nothing of it was written.
     */
    private CloudException conflicted(String record, KubernetesClientException last) {
        return new CloudException(CloudException.Kind.TRANSIENT, String.format(Locale.ROOT,
                "write ConfigMap %s/%s met a concurrent change of the record each of the %d times it was tried (HTTP %d:"
                        + " %s); the record was not written", namespace, record, RECORD_WRITES, last.getCode(),
                ApiFailures.said(last)), last);
    }

    /**
     * Deletes the pool's records past the retention, the oldest first, and marks the provision records whose
     * claims are all gone. A release's record and an ended instance's are about instances that have ended
     * already, so their age counts from when they were last written: the {@value #RECORDED} annotation, or
     * the record's creation on the API server for a record without one. (An ended instance's record is
     * written before its claim is deleted, and Karpenter may drain the node for a while after; until the
     * claim is gone its provision record is kept, and keeps the instance listed.) A provision record answers
     * its key and keeps its instances listed once their claims are gone, which may be long after the
     * provision (Karpenter ends a claim on a spot interruption or at its {@code expireAfter}, and a person
     * may delete one): it is kept while any claim it lists, or any claim of its key, still exists, and its
     * age counts from its {@value #CLAIMS_GONE} annotation, the time a sweep first found them all gone. A
     * record whose age cannot be read is kept. A marked record whose key has a claim again loses its mark: a
     * retry of a provision that failed part way makes the claims still missing and then rewrites the record,
     * which drops the mark, but when that write fails (or the retry stops before it) the record would keep a
     * mark older than its claims, and be deleted as soon as they go, not a retention later.
     *
     * <p>A call writes here at most {@value #SWEEP_LIMIT} times, or twice the {@code written} records of the
     * call it follows when that is more: mark clears first, then deletes, the marks taking what is left. A
     * clear put off could let its record be deleted at once when its claims go again, while a delete or a mark
     * put off only keeps a record longer; clears are rare, each following a provision that made claims and
     * failed to write its record. So a call after a long pause is held up no longer than before, and records
     * cannot pile up faster than they go: a call writes {@code written} records, each of which takes at most
     * two writes here in its life (a mark and a delete) besides the clears. Each write is conditional on the
     * version listed, so a record a retry of its key rewrote since is left as it now is. A failure here leaves
     * the records for the next provision or release: the call it follows has succeeded. So does any other
     * failure of the sweep's own (a cutoff out of the range of {@link Instant} for a clock far in the past, a
     * record the code does not expect): it is logged, never thrown.
     */
    private void sweepRecords(int written) {
        try {
            Instant now = clock.instant();
            Instant cutoff = now.minus(recordRetention);
            record Aged(ConfigMap map, Instant at) {
            }
            List<ConfigMap> records = listAll("list records of pool " + nodePool, client.configMaps()
                    .inNamespace(namespace).withLabel(MANAGED, MANAGER).withLabel(RECORD_POOL, nodePool)).stream()
                    .filter(KarpenterCloud::isRecord).toList();
            // Listed after the records: a claim a listed record names was made before that record was written,
            // so one missing from this list is gone. Not listed when there is no provision record: the fate of
            // each depends on it, a marked one's too (its key may have claims again).
            boolean needed = records.stream().anyMatch(KarpenterCloud::isProvisionRecord);
            LiveClaims live = needed ? liveClaims() : new LiveClaims(Set.of(), Set.of());
            List<Aged> expired = new ArrayList<>();
            List<Aged> allGone = new ArrayList<>();
            List<ConfigMap> claimsBack = new ArrayList<>();
            for (ConfigMap m : records) {
                if (!isProvisionRecord(m)) {
                    recordedAt(m).filter(at -> at.isBefore(cutoff)).ifPresent(at -> expired.add(new Aged(m, at)));
                } else if (live.holdAnyOf(m)) {
                    if (hasAnnotation(m, CLAIMS_GONE)) {
                        claimsBack.add(m);
                    }
                } else if (hasAnnotation(m, CLAIMS_GONE)) {
                    claimsGoneAt(m).filter(at -> at.isBefore(cutoff)).ifPresent(at -> expired.add(new Aged(m, at)));
                } else {
                    allGone.add(new Aged(m, recordedAt(m).orElse(Instant.MIN)));
                }
            }
            Comparator<Aged> oldestFirst = Comparator.comparing(Aged::at).thenComparing(a -> a.map().getMetadata().getName());
            expired.sort(oldestFirst);
            allGone.sort(oldestFirst);
            int budget = Math.max(SWEEP_LIMIT, 2 * written);
            for (ConfigMap m : claimsBack.subList(0, Math.min(budget, claimsBack.size()))) {
                clearClaimsGone(m);
            }
            budget -= Math.min(budget, claimsBack.size());
            for (Aged a : expired.subList(0, Math.min(budget, expired.size()))) {
                String name = a.map().getMetadata().getName();
                try {
                    client.configMaps().inNamespace(namespace).withName(name)
                            .lockResourceVersion(a.map().getMetadata().getResourceVersion()).delete();
                    LOG.debug("deleted record {}/{} of {}, past the retention of {}", namespace, name, a.at(),
                            recordRetention);
                } catch (KubernetesClientException e) {
                    // 409: rewritten since it was listed, so young again; 404: another provider of the pool deleted it.
                    if (!changedMeanwhile(e)) {
                        throw ApiFailures.of("delete ConfigMap " + namespace + "/" + name, true, e);
                    }
                }
            }
            budget -= Math.min(budget, expired.size());
            for (Aged a : allGone.subList(0, Math.min(budget, allGone.size()))) {
                markClaimsGone(a.map(), now);
            }
        } catch (CloudException e) {
            LOG.warn("records of pool {} past the retention of {} were not all deleted, or not all marked as having"
                    + " no claim left (or not cleared of that mark when they had claims again); the next provision or"
                    + " release tries again: {}", nodePool, recordRetention,
                    e.getMessage());
        } catch (RuntimeException e) {
            // Not the cluster's answer but the sweep's own fault: the call it follows has succeeded all the same.
            LOG.warn("records of pool {} past the retention of {} were not swept; the next provision or release"
                    + " tries again", nodePool, recordRetention, e);
        }
    }

    /**
     * Writes on a provision record that its claims were all found gone {@code now}, from which its age counts.
     * Conditional on the version listed: a 409 means a provision under its key rewrote it since (a retry of a
     * provision that failed part way, which may have made claims again), and a 404 that another provider of the
     * pool deleted it; either way the record is left as it now is, for a later sweep to look at again.
     */
    private void markClaimsGone(ConfigMap m, Instant now) {
        String name = m.getMetadata().getName();
        ConfigMap marked = new ConfigMapBuilder(m).editMetadata().addToAnnotations(CLAIMS_GONE, now.toString())
                .endMetadata().build();
        try {
            client.configMaps().inNamespace(namespace).resource(marked)
                    .lockResourceVersion(m.getMetadata().getResourceVersion()).update();
            LOG.debug("record {}/{}: no claim of it is left; kept for the retention of {} from {}", namespace, name,
                    recordRetention, now);
        } catch (KubernetesClientException e) {
            if (!changedMeanwhile(e)) {
                throw ApiFailures.of("update ConfigMap " + namespace + "/" + name, true, e);
            }
        }
    }

    /**
     * Takes the mark off a provision record whose key has claims again, so that its age counts from when a
     * later sweep finds those gone. Conditional on the version listed, as a mark is: a 409 means a provision
     * under its key rewrote it since (which drops the mark too), a 404 that another provider of the pool
     * deleted it.
     */
    private void clearClaimsGone(ConfigMap m) {
        String name = m.getMetadata().getName();
        ConfigMap cleared = new ConfigMapBuilder(m).editMetadata().removeFromAnnotations(CLAIMS_GONE).endMetadata().build();
        try {
            client.configMaps().inNamespace(namespace).resource(cleared)
                    .lockResourceVersion(m.getMetadata().getResourceVersion()).update();
            LOG.debug("record {}/{}: its key has claims again; the mark of its claims gone at {} is cleared", namespace,
                    name, m.getMetadata().getAnnotations().get(CLAIMS_GONE));
        } catch (KubernetesClientException e) {
            if (!changedMeanwhile(e)) {
                throw ApiFailures.of("update ConfigMap " + namespace + "/" + name, true, e);
            }
        }
    }

    /** The names and key hashes of the pool's claims that exist, as describe lists them. */
    private record LiveClaims(Set<String> names, Set<String> keyHashes) {

        /** Whether a claim the provision record lists, or any claim of its key, still exists. */
        boolean holdAnyOf(ConfigMap provisionRecord) {
            String keyHash = provisionRecord.getMetadata().getLabels().get(PROVISIONED);
            if (keyHash != null && keyHashes.contains(keyHash)) {
                return true;
            }
            List<Instance> listed;
            try {
                listed = ClaimRecords.readInstances(provisionRecord);
            } catch (CloudException unreadable) {
                return false;  // its key's claims alone tell, as they do for every record
            }
            return listed.stream().anyMatch(i -> names.contains(i.id()));
        }
    }

    private LiveClaims liveClaims() {
        Set<String> names = new HashSet<>();
        Set<String> keyHashes = new HashSet<>();
        for (GenericKubernetesResource c : listAll("list NodeClaims of pool " + nodePool, client.genericKubernetesResources(
                NODE_CLAIMS).withLabel(MANAGED, MANAGER).withLabel(NODE_POOL, nodePool))) {
            names.add(c.getMetadata().getName());
            Map<String, String> labels = c.getMetadata().getLabels();
            if (labels != null && labels.get(KEY_HASH) != null) {
                keyHashes.add(labels.get(KEY_HASH));
            }
        }
        return new LiveClaims(names, keyHashes);
    }

    private static boolean isProvisionRecord(ConfigMap m) {
        return m.getMetadata().getLabels().containsKey(PROVISIONED);
    }

    private static boolean hasAnnotation(ConfigMap m, String name) {
        Map<String, String> annotations = m.getMetadata().getAnnotations();
        return annotations != null && annotations.containsKey(name);
    }

    /** When a sweep found all the claims of a provision record gone; empty if it has not, or if it does not read. */
    private static Optional<Instant> claimsGoneAt(ConfigMap m) {
        Map<String, String> annotations = m.getMetadata().getAnnotations();
        return parsedInstant(annotations == null ? null : annotations.get(CLAIMS_GONE));
    }

    /** Whether a ConfigMap of the pool is one of the provider's records: of a provision, a release or an ended instance. */
    private static boolean isRecord(ConfigMap m) {
        Map<String, String> labels = m.getMetadata().getLabels();
        return labels != null && (labels.containsKey(PROVISIONED) || labels.containsKey(RELEASED) || labels.containsKey(KEY_HASH));
    }

    /** When a record was written: its annotation, or its creation on the API server; empty if neither reads. */
    private static Optional<Instant> recordedAt(ConfigMap m) {
        Map<String, String> annotations = m.getMetadata().getAnnotations();
        return parsedInstant(annotations != null && annotations.get(RECORDED) != null ? annotations.get(RECORDED)
                : m.getMetadata().getCreationTimestamp());
    }

    private static Optional<Instant> parsedInstant(@Nullable String at) {
        try {
            return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * A failure after an operation changed some objects: its outcome is open (the kind says so), and the
     * same key finishes it.
     */
    private static CloudException partlyDone(String operation, String key, String done, CloudException cause) {
        return new CloudException(CloudException.Kind.TIMED_OUT, String.format(Locale.ROOT,
                "%s under key '%s' %s and then failed: %s; %s again with the same key to finish, or describe to see them",
                operation, shortened(key), done, cause.getMessage(), operation), cause);
    }

    /** A claim a provision created, or found made already by a concurrent provision under its key. */
    private record Created(GenericKubernetesResource claim, boolean foundMade) {
    }

    /**
     * What a provision that stopped part way did, as its message says it: the claims it made, and those a
     * concurrent provision under the key had made, which it took (its own create met them).
     */
    private static String madeAndFound(List<String> made, List<String> found, int count) {
        String did = made.isEmpty() ? String.format(Locale.ROOT, "made none of %d NodeClaims", count)
                : String.format(Locale.ROOT, "made %d of %d NodeClaims %s", made.size(), count, abridged(made));
        return found.isEmpty() ? did : String.format(Locale.ROOT, "%s, found %d made by a concurrent provision under the"
                + " key %s,", did, found.size(), abridged(found));
    }

    /**
     * Creates a claim; one that exists already is read instead. It was made by this call when it carries this
     * call's {@code attempt}: a client that retries by itself (fabric8's {@code requestRetryBackoffLimit}) sends a
     * create again when the first got no answer or a 5xx, and the first may have been applied. Otherwise a
     * concurrent provision under the key (or an earlier call of it) made it, and this call takes it as found.
     */
    private Created create(ProvisionRequest request, GenericKubernetesResource claim, String fingerprint,
            String attempt) {
        String name = claim.getMetadata().getName();
        try {
            return new Created(client.genericKubernetesResources(NODE_CLAIMS).resource(claim).create(), false);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw ApiFailures.of("create NodeClaim " + name, true, e);
            }
        }
        GenericKubernetesResource other = api("read NodeClaim " + name,
                () -> client.genericKubernetesResources(NODE_CLAIMS).withName(name).get());
        if (other == null) {
            throw new CloudException(CloudException.Kind.TRANSIENT, "NodeClaim " + name + " exists by the API server's"
                    + " answer to its create but cannot be read (it may be being deleted); it was not made");
        }
        Map<String, String> annotations = other.getMetadata().getAnnotations();
        boolean ours = annotations != null && attempt.equals(annotations.get(ATTEMPT));
        return new Created(sameRequest(request, fingerprint, other), !ours);
    }

    /** The claim, if it was made for this request; a key reused for another request is refused. */
    private static GenericKubernetesResource sameRequest(ProvisionRequest request, String fingerprint,
            GenericKubernetesResource claim) {
        String earlier = ClaimRecords.annotation(claim, REQUEST);
        if (!fingerprint.equals(earlier)) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "idempotency key '%s' was used for another request: %s", shortened(request.idempotencyKey()),
                    shortened(earlier)));
        }
        return claim;
    }

    /**
     * The name of a provision's {@code n}th claim: claims are cluster-wide, so the name holds the pool, and
     * providers of two pools may use one key. The number holds no {@code -} and the hash has a fixed length, so
     * a name reads back into one pool, hash and number: no two of them make one name, nor one of the names an
     * earlier version gave (which hold no pool).
     */
    static String claimName(String pool, String hash, int n) {
        return String.format(Locale.ROOT, "fp-%s-%s-%d", pool, hash, n);
    }

    /** The name an earlier version gave a provision's {@code n}th claim, after its key alone. */
    static String legacyClaimName(String hash, int n) {
        return String.format(Locale.ROOT, "fp-%s-%d", hash, n);
    }

    /** The name of the record of a provision in a pool; an earlier version named it {@code fp-provision-<hash>}. */
    static String provisionRecordName(String pool, String hash) {
        return "fp-provision-" + pool + "-" + hash;
    }

    /** The name of the record of a release in a pool; an earlier version named it {@code fp-release-<hash>}. */
    static String releaseRecordName(String pool, String hash) {
        return "fp-release-" + pool + "-" + hash;
    }

    @Override
    public ReleaseResult release(ReleaseRequest request) {
        Objects.requireNonNull(request, "request");
        return api("release", () -> {
            String hash = hash(request.idempotencyKey());
            String record = releaseRecordName(nodePool, hash);
            // A long list of ids is kept as its digest; a record an earlier version wrote keeps the list itself.
            String fingerprint = ClaimRecords.releaseFingerprint(request.instanceIds());
            Set<String> same = Set.copyOf(List.of(fingerprint, ClaimRecords.fullReleaseFingerprint(request.instanceIds())));
            ConfigMap previous = readRecord(record, "fp-release-" + hash, same, request.idempotencyKey(),
                    "to release other instances");
            if (previous != null) {
                return new ReleaseResult(request, ClaimRecords.readInstances(previous));
            }
            Map<String, Instance> known = new LinkedHashMap<>();
            for (Instance i : all(clock.instant())) {
                known.put(i.id(), i);
            }
            List<String> unknown = request.instanceIds().stream().filter(id -> !known.containsKey(id)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, "unknown instances " + abridged(unknown)
                        + "; nothing was released");
            }
            List<Instance> released = new ArrayList<>();
            for (String id : new java.util.TreeSet<>(request.instanceIds())) {
                Instance i = Objects.requireNonNull(known.get(id), id);
                released.add(ClaimRecords.withState(i, i.state().active() || i.state() == InstanceState.TERMINATING
                        ? InstanceState.TERMINATING : i.state()));
            }
            // The record is built before any claim is deleted: one the API server would refuse is refused here,
            // while nothing is done. Written after the claims are deleted, it would fail then, and every retry
            // under the key would fail on it the same way, with the instances ended and the key answering nothing.
            ClaimRecords.Body body = ClaimRecords.body(Map.of("request", fingerprint), released);
            refuseUnkept(body, "release", released.size(), request.idempotencyKey(),
                    "release them in several requests, under several keys; nothing was released");
            ConfigMap recordMap = stamped(record, Map.of(RELEASED, hash), body);
            List<Ended> endedRecords = endedRecords(released, known, request);
            List<String> deleted = new ArrayList<>();
            for (Ended ended : endedRecords) {
                try {
                    // Written before any of its claims is deleted: a claim is never gone without a record of it.
                    writeEnded(ended.record());
                    for (String id : ended.ids()) {
                        write("delete NodeClaim " + id, () -> client.genericKubernetesResources(NODE_CLAIMS).withName(id)
                                .delete());
                        deleted.add(id);
                    }
                } catch (CloudException e) {
                    throw deleted.isEmpty() ? e
                            : partlyDone("release", request.idempotencyKey(), deletedClaims(deleted), e);
                }
            }
            List<Instance> answer;
            try {
                ConfigMap first = writeReleaseRecord(recordMap, same, request.idempotencyKey());
                // A concurrent release of the same instances under the key recorded first: its result is the one
                // a repeat of the key answers, so it is this one's too.
                answer = first == null ? released : ClaimRecords.readInstances(first);
            } catch (CloudException e) {
                throw deleted.isEmpty() ? e : deletedThenFailed(request.idempotencyKey(), deleted, e);
            }
            sweepRecords(endedRecords.size() + 1);  // a provider that only releases cleans up too
            return new ReleaseResult(request, answer);
        });
    }

    @Override
    public DescribeResult describe(DescribeRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        return api("describe", () -> new DescribeResult(now,
                all(now).stream().filter(request::matches).sorted(ORDER).toList()));
    }

    private static final Comparator<Instance> ORDER = Comparator.comparing(Instance::launchedAt).thenComparing(Instance::id);

    /** Every instance at {@code now}: live claims, and the records of released ones whose claims are gone. */
    private List<Instance> all(Instant now) {
        Map<String, Node> nodes = new TreeMap<>();
        for (Node node : listAll("list Nodes of pool " + nodePool, client.nodes().withLabel(NODE_POOL, nodePool))) {
            nodes.put(node.getMetadata().getName(), node);
        }
        Map<String, Instance> out = new LinkedHashMap<>();
        for (GenericKubernetesResource c : listAll("list NodeClaims",
                client.genericKubernetesResources(NODE_CLAIMS).withLabel(MANAGED, MANAGER).withLabel(NODE_POOL, nodePool))) {
            out.put(c.getMetadata().getName(), instance(c, offerFor(c), nodes, now));
        }
        // Released instances, then every instance a provision made: one whose claim is gone is terminated,
        // whether a release or Karpenter (consolidation, interruption, a failed launch) deleted it.
        for (String record : List.of(KEY_HASH, PROVISIONED)) {
            for (ConfigMap m : listAll("list ConfigMaps of " + namespace, client.configMaps().inNamespace(namespace)
                    .withLabel(MANAGED, MANAGER).withLabel(RECORD_POOL, nodePool).withLabel(record))) {
                for (Instance i : ClaimRecords.readInstances(m)) {
                    out.putIfAbsent(i.id(), ClaimRecords.withState(i, InstanceState.TERMINATED));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Whether a claim's node takes pods: its {@code Ready} condition is true and it no longer carries
     * Karpenter's {@code karpenter.sh/unregistered} taint nor any of the claim's startup taints (a network
     * agent not yet up, say), which only some other system removes.
     */
    private static boolean usable(@Nullable Node node, GenericKubernetesResource claim) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null
                || node.getStatus().getConditions().stream().noneMatch(KarpenterCloud::isReady)) {
            return false;
        }
        Set<String> waiting = new HashSet<>(Set.of(UNREGISTERED));
        if (claim.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
                && spec.get("startupTaints") instanceof List<?> taints) {
            taints.forEach(t -> waiting.add(t instanceof Map<?, ?> m ? String.valueOf(m.get("key")) : ""));
        }
        List<Taint> on = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
        return on.stream().noneMatch(t -> waiting.contains(t.getKey()));
    }

    /**
     * Whether Karpenter found the claim's node initialized, at any time: the claim's {@code Initialized} status
     * condition is {@code True}, or its node carries the {@value #INITIALIZED} label. Karpenter sets both once
     * the node is Ready, its startup taints gone and its resources registered, and never takes them back, so
     * they tell a node that came up and is unhealthy now (a kubelet that missed its heartbeats, the node's
     * {@code Ready} condition {@code Unknown}) from a launch that has not come up. A status in a shape Karpenter
     * does not write tells nothing, rather than failing every describe of the pool: the node's readiness decides.
     */
    private static boolean initialized(@Nullable Object status, @Nullable Node node) {
        if (node != null && node.getMetadata() != null && node.getMetadata().getLabels() != null
                && "true".equals(node.getMetadata().getLabels().get(INITIALIZED))) {
            return true;
        }
        return status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions
                && conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Initialized".equals(m.get("type"))
                        && "True".equals(m.get("status")));
    }

    private static boolean isReady(NodeCondition c) {
        return "Ready".equals(c.getType()) && "True".equals(c.getStatus());
    }

    /**
     * The records of the instances a release ends, one for the instances of each provision key among them (their
     * {@value #KEY_HASH} label, by which a provision under that key finds them), in the order of their first id:
     * a release of a provision's claims writes one record, not one per claim. Only active instances are in them,
     * as only their claims are deleted. Built before any claim is deleted, so that one the API server would not
     * keep refuses the release while nothing is done.
     */
    private List<Ended> endedRecords(List<Instance> released, Map<String, Instance> known, ReleaseRequest request) {
        Map<String, List<Instance>> byKey = new LinkedHashMap<>();
        for (Instance ended : released) {
            if (Objects.requireNonNull(known.get(ended.id()), ended.id()).state().active()) {
                byKey.computeIfAbsent(hash(ended.idempotencyKey()), k -> new ArrayList<>()).add(ended);
            }
        }
        List<Ended> out = new ArrayList<>();
        byKey.forEach((keyHash, instances) -> {
            ClaimRecords.Body body = ClaimRecords.body(Map.of(), instances);
            refuseUnkept(body, "release", released.size(), request.idempotencyKey(),
                    "release them in several requests, under several keys; nothing was released");
            List<String> ids = instances.stream().map(Instance::id).toList();
            out.add(new Ended(stamped(endedRecordName(nodePool, ids), Map.of(KEY_HASH, keyHash), body), ids));
        });
        return out;
    }

    /** The record of instances a release ends, and their ids, the claims it deletes once the record is written. */
    private record Ended(ConfigMap record, List<String> ids) {
    }

    /**
     * The name of the record of instances a release ends: after the pool and a hash of their ids, so that a
     * retry of the release that ends the same instances writes the same record again, and one that ends fewer
     * (some ended by the first try) writes another, leaving the first try's record of those it ended. Earlier
     * versions wrote one record per instance, {@code fp-ended-<id>}; no such name ends in a hash's 20 hex digits.
     */
    static String endedRecordName(String pool, List<String> ids) {
        return "fp-ended-" + pool + "-" + hash(String.join(",", ids));
    }

    /**
     * Writes the record of instances a release ends, before their claims are deleted. One an earlier try of the
     * release left is written again, so that the record's age counts from the release that deletes the claims:
     * a record past the retention could otherwise be deleted right after them.
     */
    private void writeEnded(ConfigMap m) {
        String name = m.getMetadata().getName();
        // 409: another release of the same instances wrote it since; 404: a provision deleted it as expired since.
        // Either way this release's record is written again, for its age to count from this release: the name
        // is made of the instances' ids, so the other writer's record says nothing this one does not.
        KubernetesClientException conflict = null;
        for (int attempt = 0; attempt < RECORD_WRITES; attempt++) {
            try {
                client.configMaps().inNamespace(namespace).resource(m).createOr(NonDeletingOperation::update);
                return;
            } catch (KubernetesClientException e) {
                if (!changedMeanwhile(e)) {
                    throw ApiFailures.of("write ConfigMap " + namespace + "/" + name, true, e);
                }
                conflict = e;
            }
        }
        throw conflicted(name, Objects.requireNonNull(conflict, "conflict"));
    }

    private GenericKubernetesResource claim(ProvisionRequest r, String hash, String fingerprint, String attempt, int n,
            Instant now, NodePoolSpec pool) {
        GenericKubernetesResource c = new GenericKubernetesResource();
        c.setApiVersion("karpenter.sh/v1");
        c.setKind("NodeClaim");
        // As Karpenter makes a claim of the pool: its template's labels, annotations, taints, expiry and
        // requirements, narrowed to the requested type, capacity type and region.
        Map<String, String> annotations = new TreeMap<>(pool.annotations());
        // Made ahead of demand, the node has no pods at first, and Karpenter would consolidate it as empty;
        // release ends it instead, unless the pool's template says how to treat disruption.
        annotations.putIfAbsent(DO_NOT_DISRUPT, "true");
        annotations.putAll(pool.hashes());
        annotations.put(KEY, r.idempotencyKey());
        annotations.put(REQUEST, fingerprint);
        annotations.put(ATTEMPT, attempt);
        annotations.put(TAGS, Serialization.asJson(new TreeMap<>(r.tags())));
        annotations.put(LAUNCHED, now.toString());
        Map<String, String> labels = new TreeMap<>(pool.labels());
        labels.putAll(Map.of(MANAGED, MANAGER, KEY_HASH, hash, NODE_POOL, nodePool));
        ObjectMetaBuilder metadata = new ObjectMetaBuilder().withName(claimName(nodePool, hash, n)).withLabels(labels)
                .withAnnotations(annotations);
        // Owned by the pool, as Karpenter's own claims are: deleting the pool deletes them.
        pool.uid().ifPresent(uid -> metadata.addNewOwnerReference().withApiVersion("karpenter.sh/v1").withKind("NodePool")
                .withName(nodePool).withUid(uid).withBlockOwnerDeletion(true).endOwnerReference());
        c.setMetadata(metadata.build());
        List<Map<?, ?>> requirements = new ArrayList<>();
        requirements.add(requirement(INSTANCE_TYPE, List.of(r.instanceType())));
        requirements.add(requirement(CAPACITY_TYPE, List.of(r.purchaseOption() == PurchaseOption.SPOT ? "spot" : "on-demand")));
        requirements.add(requirement(REGION, List.of(r.region())));
        requirements.addAll(pool.requirementsExcept(Set.of(INSTANCE_TYPE, CAPACITY_TYPE, REGION)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("requirements", requirements);
        spec.putAll(pool.claimSpec());
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

    /**
     * A claim's instance as describe reports it at {@code now}, its node among {@code nodes}. Its {@code readyAt} is
     * when it came up, once it has (the SPI's "when it became {@code RUNNING}"), else when its offer's boot time
     * from the launch expects it: see {@link #cameUpAt}.
     */
    private Instance instance(GenericKubernetesResource c, Offer offer, Map<String, Node> nodes, Instant now) {
        Instant launched = ClaimRecords.parsed(c, LAUNCHED, Instant::parse);
        Object status = c.getAdditionalProperties().get("status");
        Object nodeName = status instanceof Map<?, ?> s ? s.get("nodeName") : null;
        Node node = nodeName == null ? null : nodes.get(nodeName.toString());
        // A node that came up stays running while it is unhealthy for a moment: reported pending, it would
        // read as a launch that never came up, which the caller gives up on and releases.
        boolean cameUp = initialized(status, node) || usable(node, c);
        InstanceState state = c.getMetadata().getDeletionTimestamp() != null ? InstanceState.TERMINATING
                : cameUp ? InstanceState.RUNNING : InstanceState.PENDING;
        Instant expected = launched.plus(offer.bootTime());
        return instance(c, offer, state, launched, cameUp ? cameUpAt(status, node, launched, expected, now) : expected);
    }

    /**
     * A claim's instance as a provision reports it: launched, expected ready after its offer's boot time, whatever
     * it has become since (describe tells that), so that every provision under a key reports its claims alike.
     */
    private Instance launchedInstance(GenericKubernetesResource c, Offer offer) {
        Instant launched = ClaimRecords.parsed(c, LAUNCHED, Instant::parse);
        return instance(c, offer, InstanceState.PENDING, launched, launched.plus(offer.bootTime()));
    }

    private Instance instance(GenericKubernetesResource c, Offer offer, InstanceState state, Instant launched,
            Instant readyAt) {
        String[] made = ClaimRecords.request(c);
        PurchaseOption option = ClaimRecords.parsed(c, REQUEST, v -> PurchaseOption.valueOf(made[2]));
        return new Instance(c.getMetadata().getName(), made[0], made[1], option, state, launched, readyAt,
                ClaimRecords.annotation(c, KEY), ClaimRecords.tags(c), Map.of(), offer.pricePerHour(option));
    }

    /**
     * When a claim's node came up, for an instance that has: the transition time of the claim's {@code Initialized}
     * condition, which Karpenter sets {@code True} once, when it finds the node Ready with its startup taints gone,
     * and never takes back; else, for a node this provider finds usable before Karpenter records it, the transition
     * time of the node's {@code Ready} condition (the taints carry no time). Not the node's {@code Ready} time when
     * Karpenter's is known: that one moves each time the node turns NotReady and back, and an instance that served
     * for hours would be reported ready minutes ago. With no time to tell (only the node's
     * {@value #INITIALIZED} label, or a time in a shape Karpenter does not write), the time its boot was expected,
     * or {@code now} if that is still to come. The API server's clock is not this provider's: a time before the launch is
     * the launch, and one after {@code now} is {@code now}, as the instance has come up by now.
     */
    private static Instant cameUpAt(@Nullable Object status, @Nullable Node node, Instant launched, Instant expected,
            Instant now) {
        Optional<Instant> at = initializedAt(status);
        if (at.isEmpty() && node != null && node.getStatus() != null && node.getStatus().getConditions() != null) {
            at = node.getStatus().getConditions().stream().filter(KarpenterCloud::isReady).findFirst()
                    .flatMap(c -> parsedInstant(c.getLastTransitionTime()));
        }
        Instant t = at.orElse(expected);
        t = t.isAfter(now) ? now : t;
        return t.isBefore(launched) ? launched : t;
    }

    /** The transition time of the claim's {@code Initialized} condition, when it is {@code True} and readable. */
    private static Optional<Instant> initializedAt(@Nullable Object status) {
        if (status instanceof Map<?, ?> s && s.get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                if (c instanceof Map<?, ?> m && "Initialized".equals(m.get("type")) && "True".equals(m.get("status"))) {
                    return m.get("lastTransitionTime") instanceof String t ? parsedInstant(t) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private Offer offerFor(GenericKubernetesResource c) {
        String[] parts = ClaimRecords.request(c);
        return priceList.stream().filter(o -> o.instanceType().equals(parts[0]) && o.region().equals(parts[1]))
                .findFirst().orElseThrow(() -> new CloudException(CloudException.Kind.INVALID_REQUEST,
                        "claim " + c.getMetadata().getName() + " is for " + parts[0] + " in " + parts[1]
                                + ", which the price list does not hold"));
    }

    private Offer offer(ProvisionRequest r, NodePoolSpec pool) {
        Offer listed = priceList.stream().filter(o -> o.instanceType().equals(r.instanceType()) && o.region().equals(r.region()))
                .findFirst().orElseThrow(() -> new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(
                        Locale.ROOT, "instance type '%s' is not offered in region '%s' by node pool '%s': the price list"
                                + " does not hold it", r.instanceType(), r.region(), nodePool)));
        Optional<String> refused = pool.refusal(listed);
        if (refused.isPresent()) {
            // Karpenter could never launch such a claim: it would stay unfilled. The reason quotes the pool's
            // requirements as the server holds them: escaped and cut, as any server text.
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "instance type '%s' is not offered in region '%s' by node pool '%s': %s; nothing was made",
                    r.instanceType(), r.region(), nodePool, ServerText.quoted(refused.get())));
        }
        if (!pool.allows(CAPACITY_TYPE, "spot") && !pool.allows(CAPACITY_TYPE, "on-demand")) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "node pool '%s' allows neither spot nor on-demand capacity (its %s requirement); nothing was made",
                    nodePool, CAPACITY_TYPE));
        }
        Offer offer = asSold(listed, pool);
        if (r.purchaseOption() == PurchaseOption.SPOT && !offer.spotAvailable()) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "no spot capacity for '%s' in '%s' in node pool '%s'", r.instanceType(), r.region(), nodePool));
        }
        // An offer always has an on-demand price, so a spot-only pool still lists it; its claims cannot be on-demand.
        if (r.purchaseOption() == PurchaseOption.ON_DEMAND && !pool.allows(CAPACITY_TYPE, "on-demand")) {
            throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                    "node pool '%s' does not allow on-demand capacity (its %s requirement); only spot", nodePool,
                    CAPACITY_TYPE));
        }
        return offer;
    }

    /**
     * The offers of the provider's claims in the pool that Karpenter has not launched yet: it counts a claim in
     * the pool's {@code status.resources} once the claim's {@code status.capacity} is set, so until then the
     * pool's status leaves them out. Claims being deleted will never launch, and are left out too.
     */
    private List<Offer> unlaunched() {
        List<Offer> out = new ArrayList<>();
        for (GenericKubernetesResource c : listAll("list NodeClaims of pool " + nodePool, client.genericKubernetesResources(
                NODE_CLAIMS).withLabel(MANAGED, MANAGER).withLabel(NODE_POOL, nodePool))) {
            Object status = c.getAdditionalProperties().get("status");
            boolean launched = status instanceof Map<?, ?> s && s.get("capacity") instanceof Map<?, ?> capacity
                    && !capacity.isEmpty();
            if (!launched && c.getMetadata().getDeletionTimestamp() == null) {
                out.add(offerFor(c));
            }
        }
        return out;
    }

    /** The pool's claims of a key: another pool's provider may use the same key. */
    private List<GenericKubernetesResource> claimsOf(String hash) {
        return listAll("list NodeClaims of key hash " + hash + " in pool " + nodePool, client.genericKubernetesResources(
                NODE_CLAIMS).withLabel(KEY_HASH, hash).withLabel(NODE_POOL, nodePool)).stream()
                .sorted(Comparator.comparing(c -> c.getMetadata().getName())).toList();
    }

    /**
     * The instances of a key that a release in the pool ended, from their records; a record without a pool,
     * written by an earlier version, counts as the pool's, as it did then.
     */
    private List<Instance> releasedOf(String hash) {
        List<Instance> out = new ArrayList<>();
        for (ConfigMap m : listAll("list ConfigMaps of " + namespace, client.configMaps().inNamespace(namespace)
                .withLabel(MANAGED, MANAGER).withLabel(KEY_HASH, hash))) {
            if (ofThisPool(m)) {
                out.addAll(ClaimRecords.readInstances(m));
            }
        }
        return out;
    }

    /** Whether a record is the pool's, or has no pool (an earlier version wrote it) and so may be. */
    private boolean ofThisPool(ConfigMap m) {
        Map<String, String> labels = m.getMetadata().getLabels();
        String pool = labels == null ? null : labels.get(RECORD_POOL);
        return pool == null || pool.equals(nodePool);
    }

    /**
     * Every page of a list: the API server may cut a list into pages, each naming the next by a continue token.
     * A token that comes back again would loop forever, and a server that names a new one with every page would
     * fill the memory, so either fails the call instead, the second after {@value #MAX_PAGES} pages.
     */
    private static <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> listAll(String what, Listable<L> list) {
        List<T> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String token = null;
        do {
            if (seen.size() >= MAX_PAGES) {
                throw new CloudException(CloudException.Kind.TRANSIENT, String.format(Locale.ROOT,
                        "%s: the API server still named a next page after %d pages (%d objects), the most read;"
                                + " the list was not completed", what, MAX_PAGES, out.size()));
            }
            String from = token;
            L page = api(what, () -> list.list(new ListOptionsBuilder().withLimit((long) PAGE).withContinue(from).build()));
            out.addAll(page.getItems());
            token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
            if (token != null && !token.isEmpty() && !seen.add(token)) {
                throw new CloudException(CloudException.Kind.TRANSIENT, String.format(Locale.ROOT,
                        "%s: the API server sent the continue token '%s' twice; the list was not completed", what,
                        ServerText.quoted(token)));
            }
        } while (token != null && !token.isEmpty());
        return out;
    }

    private NodePoolSpec pool() {
        GenericKubernetesResource p = api("read node pool '" + nodePool + "'",
                () -> client.genericKubernetesResources(NODE_POOLS).withName(nodePool).get());
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

    /** One read of the API (or an operation, for a failure no inner call named), named for the message. */
    private static <T> T api(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(what, false, e);
        }
    }

    /** One write to the API: a write with no answer may have been applied. */
    private static <T> T write(String what, Supplier<T> write) {
        try {
            return write.get();
        } catch (KubernetesClientException e) {
            throw ApiFailures.of(what, true, e);
        }
    }

    /**
     * The record a mutation under this key left in the pool, if any: under its name or, written by an earlier
     * version, under the name it had then ({@code legacyName}, after the key alone), unless that one is another
     * pool's. A record of another request refuses the key.
     */
    private @Nullable ConfigMap readRecord(String name, String legacyName, Set<String> fingerprints, String key,
            String otherUse) {
        ConfigMap m = readConfigMap(name);
        if (m == null) {
            ConfigMap legacy = readConfigMap(legacyName);
            m = legacy != null && ofThisPool(legacy) ? legacy : null;
        }
        if (m != null) {
            String earlier = ClaimRecords.data(m, "request");
            if (!fingerprints.contains(earlier)) {
                throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                        "idempotency key '%s' was used %s: %s", shortened(key), otherUse, shortened(earlier)));
            }
        }
        return m;
    }

    private @Nullable ConfigMap readConfigMap(String name) {
        return api("read ConfigMap " + namespace + "/" + name, () -> client.configMaps().inNamespace(namespace)
                .withName(name).get());
    }

    /**
     * Writes the record of a release, unless a concurrent release under the same key wrote it first (HTTP 409):
     * that one is read, and kept when it is of the same request (the same instances), since a repeat of the key
     * answers it. One of another request means the key was reused at the same moment for other instances: the
     * key is that release's, and this one is refused, {@code INVALID_REQUEST}, as it would be had the other
     * recorded before it began. A record that went between the 409 and the read is written again; bounded as
     * every record write is.
     *
     * @return the record a concurrent release of the same request wrote first, or {@code null} if this one was
     *     written
     */
    private @Nullable ConfigMap writeReleaseRecord(ConfigMap m, Set<String> fingerprints, String key) {
        String record = m.getMetadata().getName();
        KubernetesClientException conflict = null;
        for (int attempt = 0; attempt < RECORD_WRITES; attempt++) {
            try {
                client.configMaps().inNamespace(namespace).resource(m).create();
                return null;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw ApiFailures.of("create ConfigMap " + namespace + "/" + record, true, e);
                }
                conflict = e;
            }
            ConfigMap first = readConfigMap(record);
            if (first != null) {
                String other = ClaimRecords.data(first, "request");
                if (!fingerprints.contains(other)) {
                    throw new CloudException(CloudException.Kind.INVALID_REQUEST, String.format(Locale.ROOT,
                            "idempotency key '%s' was used meanwhile to release other instances: %s (the record %s/%s"
                                    + " of that release was written first)", shortened(key), shortened(other), namespace,
                            record));
                }
                return first;
            }
        }
        throw conflicted(record, Objects.requireNonNull(conflict, "conflict"));
    }

    /**
     * The failure of a release after it deleted claims: its outcome is open, as the claims are gone but the
     * release is not recorded under its key.
     */
    private static CloudException deletedThenFailed(String key, List<String> deleted, CloudException cause) {
        if (cause.kind() != CloudException.Kind.INVALID_REQUEST) {
            return partlyDone("release", key, deletedClaims(deleted), cause);
        }
        // The key is another release's now: a retry under it is refused, so only describe tells what was done.
        return new CloudException(CloudException.Kind.TIMED_OUT, String.format(Locale.ROOT,
                "release under key '%s' %s and then failed: %s; the key answers that other release, so describe to"
                        + " see the instances", shortened(key), deletedClaims(deleted), cause.getMessage()), cause);
    }

    /**
     * A record of the pool, labelled as the provider's and stamped with the time by its clock, from which its
     * age counts.
     */
    private ConfigMap stamped(String name, Map<String, String> labels, ClaimRecords.Body body) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(MANAGED, MANAGER);
        all.put(RECORD_POOL, nodePool);
        ConfigMapBuilder m = new ConfigMapBuilder().withMetadata(new ObjectMetaBuilder().withName(name).withLabels(all)
                .withAnnotations(Map.of(RECORDED, clock.instant().toString())).build()).withData(new TreeMap<>(body.data()));
        return body.binaryData().isEmpty() ? m.build() : m.withBinaryData(new TreeMap<>(body.binaryData())).build();
    }

    /**
     * A stored fingerprint or a key as a message shows it: a list an earlier version kept whole may be very long,
     * and so may a key; both are escaped as {@link ServerText#quoted(String, int)} does, as a stored one is read
     * from the API server.
     */
    private static String shortened(String fingerprint) {
        return ServerText.quoted(fingerprint, ClaimRecords.FINGERPRINT_CHARS);
    }

    /** The claims a release deleted, as its message names them. */
    private static String deletedClaims(List<String> deleted) {
        return "deleted NodeClaims " + abridged(deleted);
    }

    /**
     * Names as a message lists them: the first {@value #NAMES_LISTED} and the count of the rest. A request may
     * name tens of thousands of instances, and a message is copied into logs and audit trails; describe, or the
     * same key, tells the rest.
     */
    private static String abridged(List<String> names) {
        if (names.size() <= NAMES_LISTED) {
            return names.toString();
        }
        return String.format(Locale.ROOT, "[%s, ... and %,d more]", String.join(", ", names.subList(0, NAMES_LISTED)),
                names.size() - NAMES_LISTED);
    }

    /** Configures a {@link KarpenterCloud}. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String nodePool;
        private String namespace = "default";
        private List<Offer> priceList = List.of();
        private Clock clock = Clock.systemUTC();
        private Duration recordRetention = DEFAULT_RECORD_RETENTION;

        private Builder(KubernetesClient client, String nodePool) {
            this.client = Objects.requireNonNull(client, "client");
            this.nodePool = Objects.requireNonNull(nodePool, "nodePool");
            // The name is also the value of the karpenter.sh/nodepool label on every claim: at most 63 characters.
            if (nodePool.length() > 63 || !DNS_SUBDOMAIN.matcher(nodePool).matches()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "nodePool must be a DNS-1123 subdomain of at"
                        + " most 63 characters (lower-case letters, digits, '-' and '.'), was '%s'", nodePool));
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
         * @throws IllegalArgumentException if the name is not a DNS-1123 label
         */
        public Builder namespace(String namespace) {
            Objects.requireNonNull(namespace, "namespace");
            if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "namespace must be a DNS-1123 label of at"
                        + " most 63 characters (lower-case letters, digits and '-'), was '%s'", namespace));
            }
            this.namespace = namespace;
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

        /**
         * How long the records of provisions and releases are kept: a provision's record counting from when a
         * provision or release of the pool first finds all its claims gone (it is kept while any exists, and
         * counts from the last time when its key had claims again), the
         * records of a release and of the instances it ended counting from the release. Within it, the same key
         * answers a provision's first result, and a release's; an instance whose claim is gone stays visible as
         * {@code TERMINATED} and is not made again by its provision's key. Past it, a provision or a release
         * that completes deletes the records (the oldest first): the same key of a provision then finds no
         * claim and makes them again, and an instance whose records are all gone is no longer listed.
         *
         * @param retention positive and at most ten thousand years ({@code P3652425D}); seven days by default
         * @return this builder
         * @throws IllegalArgumentException if the retention is zero, negative or longer than ten thousand years
         */
        public Builder recordRetention(Duration retention) {
            Objects.requireNonNull(retention, "retention");
            if (retention.isZero() || retention.isNegative()) {
                throw new IllegalArgumentException("recordRetention must be positive, was " + retention);
            }
            if (retention.compareTo(MAX_RECORD_RETENTION) > 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "recordRetention must be at most ten thousand years (P3652425D), was %s", retention));
            }
            this.recordRetention = retention;
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
