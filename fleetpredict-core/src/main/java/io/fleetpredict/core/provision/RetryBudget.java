package io.fleetpredict.core.provision;

/**
 * Limits retries to a share of calls, so a struggling provider sees at most {@code 1 + ratio} times
 * its normal load plus a small reserve, instead of every caller multiplying its calls by the attempt
 * limit. Each first attempt deposits {@code ratio} of a token, each retry withdraws one.
 */
final class RetryBudget {

    private final double ratio;
    private final double reserve;
    private double tokens;

    RetryBudget(double ratio, int reserve) {
        this.ratio = ratio;
        this.reserve = reserve;
        this.tokens = reserve;
    }

    synchronized void onCall() {
        tokens = Math.min(reserve, tokens + ratio);
    }

    synchronized boolean tryRetry() {
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
