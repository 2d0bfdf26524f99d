package io.fleetpredict.core.provision;

import io.fleetpredict.core.internal.Decimals;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
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
     * gets a new {@code launch_at} and a new {@code needed_by} (its old one plus the lead time, when the
     * demand it is for starts), which a plan may carry as they are. The gate charges a service while any of
     * its changes is due, so only a deferral of every due change saves anything, and it saves the whole
     * service's cost until {@code until}, the first new or remaining launch time of the service, when it is
     * charged again. The SLA impact says when the capacity arrives. Only recommended with SLA policies, which
     * give the lead time, and when every new launch time is after the next cycle. A change's new
     * {@code needed_by} keeps no lead time, but a plan carries no mark of that: when a change deferred so falls
     * due the gate may recommend deferring it again, which would bring its capacity a lead time after the
     * demand starts, and is not to be taken.
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

        @Override
        public String summary() {
            String lines = changes.stream().map(c -> String.format(Locale.ROOT, "%s to launch at %s, needed by %s",
                    c.changeId(), c.launchAt(), c.neededBy())).collect(Collectors.joining("; "));
            return String.format(Locale.ROOT, "defer %s: %s %s, saves %s per hour until %s", service,
                    changes.size() == 1 ? "change" : "changes", lines, Decimals.text(savingPerHour), until);
        }

        /**
         * One deferred change, with the times to write into the plan.
         *
         * @param changeId the change
         * @param launchAt its new {@code launch_at}
         * @param neededBy its new {@code needed_by}, not before {@code launchAt}
         */
        public record Line(String changeId, Instant launchAt, Instant neededBy) {
            /** Validates. */
            public Line {
                Objects.requireNonNull(changeId, "changeId");
                Objects.requireNonNull(launchAt, "launchAt");
                Objects.requireNonNull(neededBy, "neededBy");
                if (launchAt.isAfter(neededBy)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "launchAt %s must not be after neededBy %s", launchAt, neededBy));
                }
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
