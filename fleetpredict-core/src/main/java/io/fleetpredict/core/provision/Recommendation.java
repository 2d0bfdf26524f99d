package io.fleetpredict.core.provision;

import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.core.document.ProvisionalFleetState;
import io.fleetpredict.core.internal.Decimals;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A way to bring a plan under the cost threshold, with what it saves and the SLA it touches. The cost
 * gate ranks them by saving per unit of SLA weight, so the first is the cheapest to give up.
 */
public sealed interface Recommendation {

    /**
     * The position in the ranking, 1 first.
     *
     * @return the rank
     */
    int rank();

    /**
     * The service it concerns.
     *
     * @return the service name
     */
    String service();

    /**
     * The SLA tier of that service.
     *
     * @return the tier name
     */
    String slaTier();

    /**
     * What it saves per hour at current prices.
     *
     * @return the saving, positive
     */
    double savingPerHour();

    /**
     * What it costs in service level, in words.
     *
     * @return a sentence for people
     */
    String slaImpact();

    /**
     * What to do, in words, with the numbers.
     *
     * @return a sentence for people
     */
    String summary();

    /**
     * Launch fewer instances for a change of a less critical service: as many as bring the cost within the
     * thresholds by the gate's own rule, at most the whole change. A change not on spot is cut, with SLA
     * policies, no further than keeps the service within its spot share and on-demand base (the SLA impact
     * says when that limits the cut); without them neither is checked, and the SLA impact says so.
     *
     * @param rank the rank
     * @param service the service
     * @param slaTier its tier
     * @param changeId the change to shrink
     * @param fromCount the planned count
     * @param toCount the recommended count, below {@code fromCount}
     * @param savingPerHour the saving per hour
     * @param slaImpact the SLA it touches
     */
    record ScaleDown(int rank, String service, String slaTier, String changeId, int fromCount, int toCount,
            double savingPerHour, String slaImpact) implements Recommendation {
        /** Validates. */
        public ScaleDown {
            Objects.requireNonNull(changeId, "changeId");
            if (toCount < 0 || toCount >= fromCount) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "toCount must be in [0, fromCount), was %d of %d", toCount, fromCount));
            }
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "scale down %s: change %s from %d to %d instances, saves %s per hour",
                    service, changeId, fromCount, toCount, Decimals.text(savingPerHour));
        }
    }

    /**
     * Buy instances of a change as spot instead of on-demand: only as many as keep the service within its SLA's
     * spot share (of the CPU cores the plan buys for it, and of its whole fleet after the plan) and above its
     * on-demand base, shared out over the service's changes so that all of them may be taken together. Only
     * recommended with SLA policies, which give the share.
     *
     * @param rank the rank
     * @param service the service
     * @param slaTier its tier
     * @param changeId the change
     * @param count how many of its instances to buy as spot
     * @param savingPerHour the saving per hour
     * @param interruptionRatePerHour the spot interruption rate of the offer, per instance-hour
     * @param slaImpact the SLA it touches
     */
    record MoveToSpot(int rank, String service, String slaTier, String changeId, int count, double savingPerHour,
            double interruptionRatePerHour, String slaImpact) implements Recommendation {
        /** Validates. */
        public MoveToSpot {
            Objects.requireNonNull(changeId, "changeId");
            if (count <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "count must be positive, was %d", count));
            }
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "move %d instances of change %s (%s) to spot, saves %s per hour",
                    count, changeId, service, Decimals.text(savingPerHour));
        }
    }

    /**
     * Launch a service's changes due this cycle later, all of them, giving up the SLA tier's lead time: each
     * gets a new {@code launch_at} and a new {@code needed_by} (its old one plus the lead time it still kept,
     * when the demand it is for starts), and records the lead time given up ({@code lead_time_given_up});
     * {@link #applyTo} writes them into the plan. The gate charges a service while any of its changes is due,
     * so only a deferral of every due change saves anything, and it saves the whole service's cost until
     * {@code until}, the first new or remaining launch time of the service, when it is charged again. The SLA
     * impact says when the capacity arrives. Only recommended with SLA policies, which give the lead time, when
     * every due change still keeps some of it, and when every new launch time is after the next cycle: a change
     * deferred once has given up its lead time and is not deferred again.
     *
     * @param rank the rank
     * @param service the service
     * @param slaTier its tier
     * @param changes the service's due changes, each with its new launch and need times
     * @param until when the service is next charged: the first launch time left among its changes
     * @param savingPerHour what it saves per hour until then: the service's cost this cycle
     * @param slaImpact the SLA it touches
     */
    record Defer(int rank, String service, String slaTier, List<Line> changes, Instant until,
            double savingPerHour, String slaImpact) implements Recommendation {
        /** Validates and copies. */
        public Defer {
            Objects.requireNonNull(until, "until");
            changes = List.copyOf(changes);
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("changes must not be empty");
            }
        }

        /**
         * The plan with this deferral taken: each deferred change with its new {@code launch_at},
         * {@code needed_by} and {@code lead_time_given_up}, and its estimated total cost less what the later
         * launch no longer bills; every other change and the rest of the plan as they were. Taking it twice
         * gives the same plan.
         *
         * @param plan the plan the gate weighed
         * @return the plan with the deferral taken
         * @throws IllegalArgumentException when the plan has no change of this service under a deferred id
         */
        public ProvisionalFleetState applyTo(ProvisionalFleetState plan) {
            Map<String, Line> byId = changes.stream().collect(Collectors.toMap(Line::changeId, l -> l));
            List<ProvisionalChange> out = new ArrayList<>();
            for (ProvisionalChange c : plan.provisionalChanges()) {
                Line line = byId.remove(c.id());
                if (line != null && !c.service().equals(service)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "change %s is for service %s, not %s, which this deferral is for", c.id(), c.service(),
                            service));
                }
                out.add(line == null ? c : line.applyTo(c));
            }
            if (!byId.isEmpty()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "the plan has no change %s, which this deferral of %s moves", String.join(", ", byId.keySet()),
                        service));
            }
            return new ProvisionalFleetState(plan.fleet(), out, plan.basis(), plan.overridesApplied());
        }

        @Override
        public String summary() {
            String lines = changes.stream().map(c -> String.format(Locale.ROOT,
                    "%s to launch at %s, needed by %s, lead_time_given_up %s", c.changeId(), c.launchAt(),
                    c.neededBy(), c.leadTimeGivenUp())).collect(Collectors.joining("; "));
            return String.format(Locale.ROOT, "defer %s: %s %s, saves %s per hour until %s", service,
                    changes.size() == 1 ? "change" : "changes", lines, Decimals.text(savingPerHour), until);
        }

        /**
         * One deferred change, with what to write into the plan.
         *
         * @param changeId the change
         * @param launchAt its new {@code launch_at}
         * @param neededBy its new {@code needed_by}, not before {@code launchAt}
         * @param leadTimeGivenUp its new {@code lead_time_given_up}: all of its tier's lead time
         */
        public record Line(String changeId, Instant launchAt, Instant neededBy, Duration leadTimeGivenUp) {
            /** Validates. */
            public Line {
                Objects.requireNonNull(changeId, "changeId");
                Objects.requireNonNull(launchAt, "launchAt");
                Objects.requireNonNull(neededBy, "neededBy");
                if (launchAt.isAfter(neededBy)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "launchAt %s must not be after neededBy %s", launchAt, neededBy));
                }
                Objects.requireNonNull(leadTimeGivenUp, "leadTimeGivenUp");
                if (leadTimeGivenUp.isNegative() || leadTimeGivenUp.isZero()) {
                    throw new IllegalArgumentException("leadTimeGivenUp must be positive, was " + leadTimeGivenUp);
                }
            }

            /** The change moved: the later launch no longer bills the hours it skips (rounded as plans write it). */
            ProvisionalChange applyTo(ProvisionalChange c) {
                Double total = c.estimatedTotalCost();
                if (total != null) {
                    double skipped = Duration.between(c.launchAt(), launchAt).toMillis() / 3_600_000.0;
                    total = Decimals.round(Math.max(0, total - c.estimatedCostPerHour() * Math.max(0, skipped)));
                }
                return new ProvisionalChange(c.id(), c.service(), c.action(), c.instanceType(), c.region(), c.count(),
                        c.purchaseOption(), c.resourceDelta(), c.priority(), c.slaReason(), c.estimatedCostPerHour(),
                        total, neededBy, launchAt, c.status(), c.deferredReason(), leadTimeGivenUp);
            }
        }
    }

    /**
     * Keep less spare capacity for a service: half its headroom, worked out over all the service runs and all
     * the plan buys for it.
     *
     * @param rank the rank
     * @param service the service
     * @param slaTier its tier
     * @param fromFraction the headroom fraction now
     * @param toFraction the recommended headroom fraction, below {@code fromFraction}
     * @param instancesSaved how many instances fewer the plan needs
     * @param savingPerHour the saving per hour
     * @param slaImpact the SLA it touches
     */
    record TrimHeadroom(int rank, String service, String slaTier, double fromFraction, double toFraction,
            int instancesSaved, double savingPerHour, String slaImpact) implements Recommendation {
        /** Validates. */
        public TrimHeadroom {
            if (!(toFraction >= 0 && toFraction < fromFraction) || instancesSaved <= 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "need 0 <= toFraction < fromFraction and instancesSaved > 0, were %s, %s, %d",
                        toFraction, fromFraction, instancesSaved));
            }
        }

        @Override
        public String summary() {
            return String.format(Locale.ROOT, "trim headroom of %s from %.0f%% to %.0f%%: %d %s fewer, saves %s per hour",
                    service, 100 * fromFraction, 100 * toFraction, instancesSaved,
                    instancesSaved == 1 ? "instance" : "instances", Decimals.text(savingPerHour));
        }
    }
}
