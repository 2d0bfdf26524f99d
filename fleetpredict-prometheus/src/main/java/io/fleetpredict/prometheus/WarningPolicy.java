package io.fleetpredict.prometheus;

/**
 * What a {@link PrometheusSource} does with an answer that succeeded with {@code warnings}. Prometheus warns
 * when a remote read failed; Thanos, Cortex and Mimir when some stores or ingesters did not answer (a
 * partial response); PromQL warns about data it could not use. The answer's points are then not all the
 * points there are, and the missing ones would become gaps.
 */
public enum WarningPolicy {

    /**
     * The answer is refused with a {@link PrometheusWarningsException} naming the query and the warnings, and
     * every query asks for no partial response ({@code partial_response=false}, which Thanos honours by
     * failing the query itself and Prometheus ignores). The default: a forecast fitted on a series with a
     * hole where a store did not answer predicts too little, and nothing in its output would say why.
     */
    REFUSE,

    /**
     * The answer's points are used; its warnings are logged at WARN and given to the builder's
     * {@linkplain PrometheusSource.Builder#warningListener warning listener}. No {@code partial_response}
     * is sent, so a Thanos answers partially or not as its own {@code --query.partial-response} says.
     */
    ACCEPT
}
