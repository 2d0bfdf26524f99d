package io.fleetpredict.core.internal;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.DescribeRequest;
import io.fleetpredict.cloud.DescribeResult;
import io.fleetpredict.cloud.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A fleet's active instances as one describe of a cycle answered, kept current with the launches and
 * releases the cycle made since, so that the loop describes its whole active fleet once a cycle: the
 * reconcile's sweep of ended instances describes it, and the ready capacity, after the cycle's launches and
 * releases, takes that answer instead of describing it again.
 *
 * <p>Open for one cycle on the cycle's thread ({@link #open}, closed in a {@code finally}), never kept across
 * cycles. Outside an open snapshot every call describes as before. The answer is only as current as what the
 * cycle was told: every launch, release or configuration made after it must be reported (the
 * {@code GuardedCloud} reports each call's outcome), and one whose outcome is not read, a failure or a
 * timeout, drops the answer, so that the next reader describes afresh. What something other than the cycle
 * changes between the answer and its use (another process, an interrupted spot instance) is seen by the next
 * cycle's describe, as is what changes just after a describe.
 *
 * <p>Not thread-safe: used by the one thread that runs the cycle.
 */
public final class ActiveFleetSnapshot implements AutoCloseable {

    private static final ThreadLocal<@Nullable ActiveFleetSnapshot> OPEN = new ThreadLocal<>();

    private final DescribeRequest request;
    private final @Nullable ActiveFleetSnapshot outer;
    /** The answer, in the order the cloud gave it; null until a describe, and after a dropped answer. */
    private @Nullable List<Instance> answer;
    private Instant asOf = Instant.MIN;
    private final Set<String> released = new HashSet<>();
    private final Map<String, Instance> launched = new LinkedHashMap<>();

    private ActiveFleetSnapshot(DescribeRequest request, @Nullable ActiveFleetSnapshot outer) {
        this.request = request;
        this.outer = outer;
    }

    /**
     * Opens a snapshot on this thread, until {@link #close()}.
     *
     * @param request the describe of the fleet's whole active fleet that it keeps the answer of
     * @return the snapshot, with no answer yet
     */
    public static ActiveFleetSnapshot open(DescribeRequest request) {
        ActiveFleetSnapshot s = new ActiveFleetSnapshot(Objects.requireNonNull(request, "request"), OPEN.get());
        OPEN.set(s);
        return s;
    }

    /**
     * The snapshot open on this thread, if one is.
     *
     * @return the snapshot
     */
    public static Optional<ActiveFleetSnapshot> current() {
        return Optional.ofNullable(OPEN.get());
    }

    /**
     * Describes {@code request} through {@code cloud}; when it is the request of the snapshot open on this
     * thread, the answer is kept there.
     *
     * @param cloud the cloud
     * @param request what to describe
     * @return the instances the cloud answered
     */
    public static List<Instance> describe(CloudProvider cloud, DescribeRequest request) {
        DescribeResult result = cloud.describe(request);
        ActiveFleetSnapshot s = OPEN.get();
        if (s != null && s.request.equals(request)) {
            s.answer = result.instances();
            s.asOf = result.asOf();
            s.released.clear();
            s.launched.clear();
        }
        return result.instances();
    }

    /**
     * The instances the request matches now, as far as the cycle knows: the answer without what the cycle
     * released since, with what it launched since; empty when there is no answer (none yet, or dropped).
     *
     * @return the instances, in the answer's order, then in launch order
     */
    public Optional<List<Instance>> instances() {
        List<Instance> a = answer;
        if (a == null) {
            return Optional.empty();
        }
        List<Instance> out = new ArrayList<>(a.size() + launched.size());
        Set<String> listed = new HashSet<>();
        for (Instance i : a) {
            listed.add(i.id());
            if (!released.contains(i.id())) {
                out.add(i);
            }
        }
        for (Instance i : launched.values()) {
            if (!listed.contains(i.id()) && !released.contains(i.id())) {
                out.add(i);
            }
        }
        return Optional.of(out);
    }

    /**
     * Tells the snapshot what a provision answered. An active instance the request matches is added; one
     * launched before the answer that the answer does not list (a provision's earlier result given again
     * under its key, whose instance may have ended since) cannot be placed, and drops the answer.
     *
     * @param instances the provision's instances
     */
    public void launched(List<Instance> instances) {
        List<Instance> a = answer;
        if (a == null) {
            return;
        }
        Set<String> listed = null;
        for (Instance i : instances) {
            if (!request.matches(i)) {
                continue;
            }
            if (i.launchedAt().isBefore(asOf)) {
                listed = listed != null ? listed : ids(a);
                if (!listed.contains(i.id())) {
                    dropAnswer();
                    return;
                }
                continue;
            }
            launched.put(i.id(), i);
        }
    }

    /**
     * Tells the snapshot that a release answered: its instances are no longer active.
     *
     * @param ids the released instances
     */
    public void released(Collection<String> ids) {
        if (answer != null) {
            released.addAll(ids);
        }
    }

    /** Tells the snapshot that a call that may have launched or released something gave no readable answer. */
    public void dropAnswer() {
        answer = null;
        released.clear();
        launched.clear();
    }

    private static Set<String> ids(List<Instance> instances) {
        Set<String> ids = new HashSet<>();
        instances.forEach(i -> ids.add(i.id()));
        return ids;
    }

    /** Closes the snapshot: its answer is let go, and the one it was opened inside is open again. */
    @Override
    public void close() {
        dropAnswer();
        if (OPEN.get() == this) {
            if (outer == null) {
                OPEN.remove();
            } else {
                OPEN.set(outer);
            }
        }
    }
}
