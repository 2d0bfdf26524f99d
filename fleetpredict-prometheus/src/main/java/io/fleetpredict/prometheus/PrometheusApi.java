package io.fleetpredict.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.provision.Sleeper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus's HTTP API as {@link PrometheusSource} calls it: a form POST per query, retried with backoff
 * on timeouts, unreachable servers, 429 and 5xx, and the answer's {@code data} checked and returned.
 */
final class PrometheusApi {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSource.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, String> headers;
    private final Sleeper sleeper;

    PrometheusApi(URI base, HttpClient http, Duration timeout, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, Map<String, String> headers, Sleeper sleeper) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.headers = headers;
        this.sleeper = sleeper;
    }

    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /** One API call with retries; returns the response's {@code data}. */
    JsonNode call(String path, Map<String, String> form, String promql) {
        form.put("timeout", seconds(timeout.toMillis()));
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(rb::header);
        HttpRequest request = rb.build();
        for (int attempt = 1;; attempt++) {
            PrometheusException failure;
            Duration retryAfter = null;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                int status = response.statusCode();
                if (status == 200) {
                    return data(promql, response.body());
                }
                boolean retryable = status == 429 || status >= 500;
                failure = new PrometheusException(String.format(Locale.ROOT, "query %s: HTTP %d from %s: %s",
                        promql, status, request.uri(), errorText(response.body())), retryable);
                retryAfter = response.headers().firstValue("Retry-After").flatMap(PrometheusApi::retryAfter).orElse(null);
            } catch (HttpTimeoutException e) {
                failure = new PrometheusException(String.format(Locale.ROOT, "query %s: no answer from %s within %s",
                        promql, request.uri(), timeout), true, e);
            } catch (IOException e) {
                failure = new PrometheusException(String.format(Locale.ROOT, "query %s: cannot reach %s: %s",
                        promql, request.uri(), e), true, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrometheusException("query " + promql + ": interrupted", false, e);
            }
            if (!failure.retryable() || attempt >= maxAttempts) {
                if (attempt > 1) {
                    throw new PrometheusException(failure.getMessage() + String.format(Locale.ROOT,
                            " (after %d attempts)", attempt), failure.retryable(), failure);
                }
                throw failure;
            }
            Duration wait = backoff(attempt, retryAfter);
            LOG.warn("Prometheus query failed (attempt {} of {}), retrying in {} ms: {}", attempt, maxAttempts,
                    wait.toMillis(), failure.getMessage());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrometheusException("query " + promql + ": interrupted while waiting to retry", false, e);
            }
        }
    }

    /** Exponential backoff with jitter in [half, whole] of the step, or the server's Retry-After, capped. */
    Duration backoff(int attempt, @Nullable Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long base = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
        long capped = Math.min(Math.max(base, 0), maxBackoff.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private static Optional<Duration> retryAfter(String header) {
        try {
            long s = Long.parseLong(header.strip());
            return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty(); // an HTTP date: fall back to our own backoff
        }
    }

    private static JsonNode data(String promql, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PrometheusException("query " + promql + ": the answer is not JSON: " + e.getOriginalMessage(), false, e);
        } catch (NumberFormatException | ArithmeticException e) {
            // an exponent beyond an int (1e9999999999) fails in BigDecimal, outside Jackson's error reporting
            throw new PrometheusException("query " + promql + ": the answer holds a number out of range", false, e);
        }
        if (root == null || !"success".equals(root.path("status").asText())) {
            throw new PrometheusException("query " + promql + ": " + errorText(body), false);
        }
        JsonNode warnings = root.get("warnings");
        if (warnings != null && !warnings.isEmpty()) {
            LOG.warn("Prometheus warned about query {}: {}", promql, warnings);
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new PrometheusException("query " + promql + ": the answer has no data", false);
        }
        return data;
    }

    /** The server's error type and text, or the start of a body that is not a Prometheus error. */
    private static String errorText(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null && root.has("error")) {
                return root.path("errorType").asText("error") + ": " + root.path("error").asText();
            }
        } catch (JsonProcessingException | NumberFormatException | ArithmeticException e) {
            // not JSON, or not readable: quote the body below
        }
        String s = body == null ? "" : body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
