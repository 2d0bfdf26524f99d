package io.fleetpredict.core.projection;

import io.fleetpredict.core.internal.Decimals;
import java.math.BigDecimal;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** A service's program that plainly has no plan, found before any search, with the sentence that says why. */
final class ObviousInfeasibility {

    private ObviousInfeasibility() {
    }

    /** Why the program obviously has no plan, before any search, or null. */
    static @Nullable InfeasibilityReason reason(CoverProblem problem, double maxSpotShare) {
        if (problem.columns == 0 || !problem.hasNonSpotColumn() && maxSpotShare < 1
                && !problem.trivial() && problem.spotSlackCores == 0) {
            return InfeasibilityReason.SPOT_SHARE_EXCEEDED;
        }
        if (unofferedResource(problem) >= 0) {
            return InfeasibilityReason.RESOURCE_NOT_OFFERED;
        }
        if (problem.minNonSpot > 0 && !problem.hasNonSpotColumn()) {
            return InfeasibilityReason.NO_ON_DEMAND_OFFER;
        }
        if (tooLargeResource(problem) >= 0) {
            return InfeasibilityReason.NEED_TOO_LARGE;
        }
        return null;
    }

    /**
     * A needed resource of which even the column that provides most would take more than
     * {@link InfeasibilityReason#MAX_INSTANCES} instances, or -1. The columns are the undominated ones, and a
     * dominated offer provides no more of a needed resource than its dominator, so their largest is the
     * largest allowed offer's.
     */
    static int tooLargeResource(CoverProblem problem) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            if (problem.need[r] > 0 && problem.need[r] > InfeasibilityReason.MAX_INSTANCES * largest(problem, r)) {
                return r;
            }
        }
        return -1;
    }

    /** The most one instance of a column provides of resource {@code r}. */
    private static double largest(CoverProblem problem, int r) {
        double most = 0;
        for (int j = 0; j < problem.columns; j++) {
            most = Math.max(most, problem.capacity[j][r]);
        }
        return most;
    }

    /** The column that provides most of resource {@code r}, the first of equals. */
    private static int largestColumn(CoverProblem problem, int r) {
        int best = 0;
        for (int j = 1; j < problem.columns; j++) {
            if (problem.capacity[j][r] > problem.capacity[best][r]) {
                best = j;
            }
        }
        return best;
    }

    /** A needed resource no column provides, or -1. */
    private static int unofferedResource(CoverProblem problem) {
        for (int r = 0; r < ResourceVector.DIMENSIONS; r++) {
            boolean offered = false;
            for (int j = 0; j < problem.columns && !offered; j++) {
                offered = problem.capacity[j][r] > 0;
            }
            if (problem.need[r] > 0 && !offered) {
                return r;
            }
        }
        return -1;
    }

    /** The service's outcome when its program obviously has no plan, with a sentence naming why, or null. */
    static ServicePlan.@Nullable Infeasible of(ServiceDemand d, long[] allowed, CoverProblem problem,
            OfferCatalogue offers) {
        int offerCount = offers.size;
        String service = d.service();
        int allowedCount = 0;
        for (long word : allowed) {
            allowedCount += Long.bitCount(word);
        }
        if (allowedCount == 0) {
            return new ServicePlan.Infeasible(service, InfeasibilityReason.NO_ALLOWED_OFFER, String.format(Locale.ROOT,
                    "none of the %d offers is in an allowed family %s and region %s for %s",
                    offerCount, d.limits().allowedFamilies(), d.limits().allowedRegions(), service));
        }
        InfeasibilityReason reason = reason(problem, d.limits().maxSpotShare());
        if (reason == null) {
            return null;
        }
        String detail = switch (reason) {
            case SPOT_SHARE_EXCEEDED -> String.format(Locale.ROOT,
                    "only spot offers are allowed for %s but maxSpotShare is %s%s", service, d.limits().maxSpotShare(),
                    d.spotCoresInService() > 0 ? String.format(Locale.ROOT, ", and %s of its %s CPU cores in service"
                            + " are spot already", d.spotCoresInService(),
                            d.spotCoresInService() + d.nonSpotCoresInService()) : "");
            case RESOURCE_NOT_OFFERED -> {
                int r = unofferedResource(problem);
                yield String.format(Locale.ROOT, "%s needs %s but no allowed offer provides any",
                        service, amount(problem.need[r], r));
            }
            case NEED_TOO_LARGE -> {
                int r = tooLargeResource(problem);
                CapacityOffer largest = offers.offers.get(problem.offerIds[largestColumn(problem, r)]);
                double each = problem.capacity[largestColumn(problem, r)][r];
                yield String.format(Locale.ROOT, "%s needs %s more, beyond what can be bought: at most %d"
                        + " instances of an offer, and the largest allowed offer, %s %s in %s, provides %s each, so"
                        + " at most %s", service, amount(problem.need[r], r),
                        InfeasibilityReason.MAX_INSTANCES, largest.instanceType(), largest.purchaseOption().jsonName(),
                        largest.region(), amount(each, r), amount(each * InfeasibilityReason.MAX_INSTANCES, r));
            }
            default -> String.format(Locale.ROOT,
                    "%s needs %d more on-demand instances but every allowed offer is spot", service, problem.minNonSpot);
        };
        return new ServicePlan.Infeasible(service, reason, detail);
    }

    /** An amount of resource {@code r} for a message: {@code 1e+300 cores of CPU}, not {@code 1.0E300 cpuCores}. */
    private static String amount(double value, int r) {
        return number(value) + " " + ResourceVectors.symbol(r) + " of " + ResourceVectors.type(r).jsonName();
    }

    /**
     * A number as documents round it ({@link Decimals#round}), without trailing zeros, and from 1e15 up, where a
     * double holds no decimals, its significant digits and a power of ten ({@code 1e+300}), never Java's
     * {@code 1.0E300}.
     */
    private static String number(double value) {
        if (!Double.isFinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = BigDecimal.valueOf(Decimals.round(value)).stripTrailingZeros();
        return Math.abs(value) >= 1e15 ? rounded.toString().replace("E", "e")
                : rounded.toPlainString();
    }
}
