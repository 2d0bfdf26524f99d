package io.fleetpredict.prometheus;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.core.provision.Sleeper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prometheus's HTTP API as {@link PrometheusSource} calls it: a form POST per query, retried with backoff
 * on timeouts, unreachable servers, 408, 429 and 5xx within the query's deadline, and the answer parsed from
 * its bytes as they are read ({@link StreamedAnswer}), its status and {@code data} checked, an answer with
 * warnings refused or its warnings passed on.
 */
final class PrometheusApi {

    /** As many as the JDK's HTTP client follows by default. */
    private static final int MAX_REDIRECTS = 5;
    /** The characters of an expression or an answer's body a message shows. */
    static final int SHOWN = 200;
    /**
     * The bytes decoded to show the start of a body that is not a Prometheus error: far more than
     * {@link #SHOWN} characters take in UTF-8. Also the start of an answer looked at for its {@code status}.
     */
    static final int HEAD_BYTES = 64 << 10;
    /**
     * The bytes kept of an answer that is not a 200, the rest left unread and its connection closed: all a
     * message shows of one is {@link #SHOWN} characters. Prometheus writes {@code errorType} and {@code error}
     * right after {@code status}, and of each string at most {@code 2 * SHOWN} characters are decoded, at most 12
     * bytes a character even as escaped surrogates: under 10 KB in all. The rest is room for fields a proxy or
     * a compatible server puts first, and it is as much as {@link #startOf} decodes of a body that is not a
     * Prometheus error (a proxy's HTML page). A failing server, or a proxy's page of megabytes, then costs
     * this much per attempt rather than up to {@code maxResponseBytes}. So does a 200 whose {@code status} field
     * says {@code error} within its first {@link #HEAD_BYTES}, from the moment it is seen.
     */
    static final int ERROR_BODY_BYTES = HEAD_BYTES;
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSource.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxResponseBytes;
    private final Map<String, String> headers;
    private final Sleeper sleeper;
    private final Duration deadline;
    private final Clock clock;
    private final WarningPolicy warningPolicy;
    private final Consumer<AnswerWarnings> warningListener;

    PrometheusApi(URI base, HttpClient http, Duration timeout, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, int maxResponseBytes, Map<String, String> headers, Sleeper sleeper,
            Duration deadline, Clock clock, WarningPolicy warningPolicy, Consumer<AnswerWarnings> warningListener) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxResponseBytes = maxResponseBytes;
        this.headers = headers;
        this.sleeper = sleeper;
        this.deadline = deadline;
        this.clock = clock;
        this.warningPolicy = warningPolicy;
        this.warningListener = warningListener;
    }

    /**
     * The deadline a builder gives when none is set: the longest the retries take without redirects (every
     * attempt waits its whole timeout, every wait between attempts is the longest backoff), and one timeout
     * more, so that the time spent between requests never cuts the last attempt short.
     */
    static Duration defaultDeadline(Duration timeout, int maxAttempts, Duration maxBackoff) {
        try {
            return timeout.multipliedBy(maxAttempts + 1L).plus(maxBackoff.multipliedBy(maxAttempts - 1L));
        } catch (ArithmeticException e) {
            return ChronoUnit.FOREVER.getDuration();
        }
    }

    /** The form as a request body, with the server's evaluation {@code timeout} (at least a millisecond). */
    private static HttpRequest.BodyPublisher body(Map<String, String> form, Duration timeout) {
        Map<String, String> fields = new java.util.LinkedHashMap<>(form);
        fields.put("timeout", seconds(Math.max(1, timeout.toMillis())));
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    }

    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).toPlainString();
    }

    /**
     * The expression as messages show it: in full up to {@value #SHOWN} characters, else its start and its
     * length, so that a generated expression of many kilobytes does not bury what went wrong.
     */
    static String shown(String promql) {
        return promql.length() <= SHOWN ? promql : cut(promql, SHOWN) + " (" + promql.length() + " characters)";
    }

    /** {@code text} itself up to {@code max} characters, else its first {@code max} and {@code ...}. */
    static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "..." : text;
    }

    /**
     * One API call with retries and redirects, within the deadline; returns the answer, read as it is parsed
     * and its status, warnings and {@code data} checked. {@code from} and {@code to} are the evaluation times
     * the query covers, for its warnings; a range query's points go into {@code page}, null for an instant one.
     */
    StreamedAnswer call(String path, Map<String, String> form, String expression, Instant from, Instant to,
            StreamedAnswer.@Nullable Page page) {
        String promql = shown(expression);
        if (warningPolicy == WarningPolicy.REFUSE) {
            // Thanos then fails the query when a store does not answer; Prometheus ignores the parameter
            form.put("partial_response", "false");
        }
        Instant end = plus(clock.instant(), deadline);
        int requests = 0;
        @Nullable PrometheusException previous = null; // the failure of the attempt before
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .POST(body(form, timeout));
        headers.forEach(rb::header);
        HttpRequest request = rb.build();
        for (int attempt = 1;; attempt++) {
            PrometheusException failure;
            Duration retryAfter = null;
            HttpRequest sent = request;
            CompletableFuture<HttpResponse<byte[]>> pending = null;
            AtomicReference<@Nullable LimitedBody> answer = new AtomicReference<>();
            Duration wait = timeout;
            @Nullable URI redirectedFrom = null;
            boolean cutShort = false; // a timeout shortened to the deadline ran out
            try {
                HttpResponse<byte[]> response;
                for (int redirects = 0;; redirects++) {
                    // each request waits at most what is left of the query's deadline
                    Duration left = Duration.between(clock.instant(), end);
                    if (left.isNegative() || left.isZero()) {
                        if (redirectedFrom != null) {
                            throw deadlineReached(promql, attempt, requests, String.format(Locale.ROOT,
                                    "%s redirected to %s, not followed further", address(request.uri(), redirectedFrom),
                                    sent.uri()), null);
                        }
                        // the wait before this attempt overran the deadline: it was not made
                        throw deadlineReached(promql, attempt - 1, requests,
                                previous == null ? "" : unnamed(promql, previous), previous);
                    }
                    wait = left.compareTo(timeout) < 0 ? left : timeout;
                    answer.set(null);
                    requests++;
                    HttpRequest.Builder now = HttpRequest.newBuilder(sent, (name, value) -> true).timeout(wait);
                    if (wait.compareTo(timeout) < 0) {
                        // the server is asked to give up when the client will, not to go on evaluating for nobody
                        now.POST(body(form, wait));
                    }
                    pending = http.sendAsync(now.build(),
                            info -> {
                        // called once the headers have arrived: a failure from here on is the body's
                        String encoding = info.headers().firstValue("Content-Encoding").orElse("");
                        // only an answer is read whole; of any other status, the start that a message shows
                        LimitedBody b = info.statusCode() == 200 ? LimitedBody.answer(maxResponseBytes, encoding)
                                : LimitedBody.prefix(Math.min(ERROR_BODY_BYTES, maxResponseBytes), encoding);
                        answer.set(b);
                        return b;
                    });
                    // The request's own timeout ends when the headers arrive; this one also covers the body.
                    response = pending.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                    HttpRequest next = redirect(promql, request, response, redirects);
                    if (next == null) {
                        break;
                    }
                    redirectedFrom = response.uri();
                    sent = next;
                }
                if (!response.request().method().equals(request.method())) {
                    throw new PrometheusException(String.format(Locale.ROOT, "query %s: %s redirected to %s, which"
                            + " the HTTP client followed as a %s without the query; give the address it redirects to"
                            + " as the base URL", promql, request.uri(), response.uri(), response.request().method()), false);
                }
                int status = response.statusCode();
                LimitedBody read = Objects.requireNonNull(answer.get());
                if (status == 200 && read.statusError() && read.cut()) {
                    // an error for all its status code, read as one for its start: reported as a whole one is
                    throw new PrometheusException("query " + promql + ": " + errorText(response, read), false);
                }
                if (status == 200) {
                    return answer(expression, promql, from, to, page, response, read);
                }
                boolean retryable = status == 408 || status == 429 || status >= 500;
                failure = new PrometheusException(String.format(Locale.ROOT, "query %s: HTTP %d from %s: %s",
                        promql, status, address(request.uri(), sent.uri()), errorText(response, read)), retryable);
                retryAfter = response.headers().firstValue("Retry-After").flatMap(PrometheusApi::retryAfter).orElse(null);
            } catch (TimeoutException e) {
                Objects.requireNonNull(pending).cancel(true);
                failure = noAnswer(promql, address(request.uri(), sent.uri()), wait, e);
                cutShort = wait.compareTo(timeout) < 0;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : e.getCause() != null ? e.getCause() : e;
                if (cause instanceof AnswerTooLarge) {
                    throw new PrometheusException(String.format(Locale.ROOT, "query %s: the answer from %s is larger"
                            + " than %d bytes; query a shorter range or fewer series, or raise maxResponseBytes",
                            promql, address(request.uri(), sent.uri()), maxResponseBytes), false, cause);
                }
                String where = address(request.uri(), sent.uri());
                if (cause instanceof UnreadableAnswer) {
                    throw new PrometheusException(String.format(Locale.ROOT, "query %s: the answer from %s %s",
                            promql, where, cause.getMessage()), false, cause);
                }
                LimitedBody partial = answer.get();
                cutShort = cause instanceof HttpTimeoutException && wait.compareTo(timeout) < 0;
                failure = cause instanceof HttpTimeoutException ? noAnswer(promql, where, wait, cause)
                        : partial != null ? new PrometheusException(String.format(Locale.ROOT,
                                "query %s: the answer from %s ended early, after %d bytes: %s", promql, where,
                                partial.received(), cause), true, cause)
                        : new PrometheusException(String.format(Locale.ROOT, "query %s: cannot reach %s: %s",
                                promql, where, unreachable(sent.uri(), cause)), true, cause);
            } catch (InterruptedException e) {
                if (pending != null) {
                    pending.cancel(true);
                }
                Thread.currentThread().interrupt();
                throw new PrometheusException("query " + promql + ": interrupted", false, e);
            }
            if (failure.retryable() && (cutShort || !clock.instant().isBefore(end))) {
                throw deadlineReached(promql, attempt, requests, unnamed(promql, failure), failure);
            }
            if (!failure.retryable() || attempt >= maxAttempts) {
                if (attempt > 1) {
                    throw new PrometheusException(failure.getMessage() + String.format(Locale.ROOT,
                            " (after %d attempts)", attempt), failure.retryable(), failure);
                }
                throw failure;
            }
            Duration pause = backoff(attempt, retryAfter);
            if (!clock.instant().plus(pause).isBefore(end)) {
                throw deadlineReached(promql, attempt, requests, unnamed(promql, failure)
                        + String.format(Locale.ROOT, "; the next attempt was due in %d ms", pause.toMillis()), failure);
            }
            LOG.warn("Prometheus query failed (attempt {} of {}), retrying in {} ms: {}", attempt, maxAttempts,
                    pause.toMillis(), failure.getMessage());
            previous = failure;
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrometheusException("query " + promql + ": interrupted while waiting to retry", false, e);
            }
        }
    }

    /**
     * Why a server could not be reached, by the root cause rather than the HTTP client's bare
     * {@code ConnectException}: an unresolvable host, a refused connection, or else what the client said.
     * The JDK's client reports a refused connection as a {@code ConnectException} without a message over a
     * {@code ClosedChannelException} (the socket's own "Connection refused" is lost), which is read as one.
     */
    static String unreachable(URI tried, Throwable cause) {
        String host = tried.getHost();
        int port = tried.getPort() != -1 ? tried.getPort() : "https".equals(tried.getScheme()) ? 443 : 80;
        String said = null;
        boolean connect = false;
        boolean closed = false;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return String.format(Locale.ROOT, "host %s cannot be resolved", host);
            }
            connect |= t instanceof ConnectException;
            closed |= t instanceof ClosedChannelException;
            if (said == null && t.getMessage() != null && !t.getMessage().isBlank()) {
                said = t.getMessage();
            }
        }
        if (connect && (said == null ? closed : said.toLowerCase(Locale.ROOT).contains("refused"))) {
            return String.format(Locale.ROOT, "connection to %s:%d refused", host, port);
        }
        if (connect && said != null) {
            return String.format(Locale.ROOT, "cannot connect to %s:%d: %s", host, port, said);
        }
        return cause.toString();
    }

    private static PrometheusException noAnswer(String promql, String address, Duration waited, Throwable cause) {
        return new PrometheusException(String.format(Locale.ROOT, "query %s: no answer from %s within %s",
                promql, address, waited), true, cause);
    }

    /**
     * The failure of a query whose deadline has passed, or would before its next attempt: retryable, since
     * the same query may well be answered in time later.
     */
    private PrometheusException deadlineReached(String promql, int attempts, int requests, String last,
            @Nullable Throwable cause) {
        String message = String.format(Locale.ROOT, "query %s: the deadline of %s was reached after %d %s (%d %s)%s",
                promql, deadline, attempts, attempts == 1 ? "attempt" : "attempts", requests,
                requests == 1 ? "request" : "requests", last.isEmpty() ? "" : "; the last: " + last);
        return cause == null ? new PrometheusException(message, true) : new PrometheusException(message, true, cause);
    }

    /** A failure's message without the {@code query ...: } that starts it, for quoting in another. */
    private static String unnamed(String promql, PrometheusException failure) {
        String message = String.valueOf(failure.getMessage());
        String prefix = "query " + promql + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** {@code t + d}, or the latest instant there is when that is beyond it. */
    private static Instant plus(Instant t, Duration d) {
        try {
            return t.plus(d);
        } catch (DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }

    /** The address a request was sent to, and the one it was first made for when a redirect led there. */
    private static String address(URI original, URI tried) {
        return tried.equals(original) ? original.toString() : tried + " (redirected from " + original + ")";
    }

    /**
     * The request that follows a redirect which keeps the POST (307, 308), or null when the answer is not
     * one. Redirects are followed here, not by the HTTP client, so that a failure names the address actually
     * tried; one that a client would follow as a GET without the query (301, 302, 303) is refused unsent.
     */
    private @Nullable HttpRequest redirect(String promql, HttpRequest request, HttpResponse<byte[]> response,
            int redirects) {
        int status = response.statusCode();
        Optional<String> location = response.headers().firstValue("Location");
        if (status < 301 || status > 308 || status == 304 || status == 305 || status == 306) {
            return null;
        }
        if (location.isEmpty() || location.get().isBlank()) {
            // a proxy's misconfigured rewrite, most often: there is nothing to follow and nothing to retry
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: HTTP %d from %s: a redirect without"
                    + " a Location header, so there is nowhere to follow it", promql, status,
                    address(request.uri(), response.uri())), false);
        }
        URI target;
        try {
            target = response.uri().resolve(location.get().strip());
        } catch (IllegalArgumentException e) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: %s redirected to %s, which is not"
                    + " an address", promql, address(request.uri(), response.uri()), start(location.get())), false, e);
        }
        String to = String.format(Locale.ROOT, "%s redirected to %s (HTTP %d)", address(request.uri(), response.uri()),
                target, status);
        if (status != 307 && status != 308) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: %s, which an HTTP client follows as a"
                    + " GET without the query; give the address it redirects to as the base URL", promql, to), false);
        }
        if (!"http".equalsIgnoreCase(target.getScheme()) && !"https".equalsIgnoreCase(target.getScheme())
                || target.getHost() == null) {
            throw new PrometheusException("query " + promql + ": " + to + ", which is not an http or https address",
                    false);
        }
        if ("https".equalsIgnoreCase(response.uri().getScheme()) && "http".equalsIgnoreCase(target.getScheme())) {
            throw new PrometheusException("query " + promql + ": " + to + ", from https to plain http, which is"
                    + " not followed", false);
        }
        if (redirects >= MAX_REDIRECTS) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: %s, after %d redirects; not followed"
                    + " further", promql, to, MAX_REDIRECTS), false);
        }
        // The caller's headers (credentials) were given for the base URL's server: another one gets none.
        boolean sameServer = origin(target).equals(origin(request.uri()));
        return HttpRequest.newBuilder(request, (name, value) -> sameServer
                || headers.keySet().stream().noneMatch(name::equalsIgnoreCase)).uri(target).build();
    }

    /** Scheme, host and port, as a browser tells one server from another. */
    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Exponential backoff with jitter in [half, whole] of the step, or the server's Retry-After, capped. */
    Duration backoff(int attempt, @Nullable Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long max = maxBackoff.toMillis();
        long capped = Math.min(initialBackoff.toMillis(), max);
        // Doubled up to the cap, never past it: a shift of a long backoff would overflow into a wait of nothing.
        for (int i = 1; i < attempt && capped < max; i++) {
            capped = capped > max / 2 ? max : capped * 2;
        }
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

    private StreamedAnswer answer(String expression, String promql, Instant from, Instant to,
            StreamedAnswer.@Nullable Page page, HttpResponse<byte[]> response, LimitedBody read) {
        StreamedAnswer answer;
        try {
            // decoded as a String of the body would be, a malformed byte becoming U+FFFD
            answer = StreamedAnswer.read(new InputStreamReader(new ByteArrayInputStream(response.body()),
                    StandardCharsets.UTF_8), promql, page);
        } catch (JsonProcessingException e) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: the answer from %s is not JSON"
                    + " (Content-Type %s): %s; %s", promql, response.uri(),
                    response.headers().firstValue("Content-Type").orElse("not given"), startOf(response.body(), false),
                    e.getOriginalMessage()), false, e);
        } catch (NumberFormatException | ArithmeticException e) {
            // an exponent beyond an int (1e9999999999) fails in BigDecimal, outside Jackson's error reporting
            throw new PrometheusException("query " + promql + ": the answer holds a number out of range", false, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from bytes in memory
        }
        if (answer.empty()) {
            throw new PrometheusException(String.format(Locale.ROOT, "query %s: the answer from %s is empty",
                    promql, response.uri()), false);
        }
        if (!answer.succeeded()) {
            throw new PrometheusException("query " + promql + ": " + errorText(response, read), false);
        }
        List<String> warnings = texts(answer.warnings());
        if (!warnings.isEmpty()) {
            AnswerWarnings warned = new AnswerWarnings(expression, from, to, warnings);
            if (warningPolicy == WarningPolicy.REFUSE) {
                throw new PrometheusWarningsException(String.format(Locale.ROOT, "query %s: the answer from %s came"
                        + " with %s, so its points may not be all there are (a store or a remote read that did not"
                        + " answer); refused, as the warning policy is REFUSE: %s", promql, response.uri(),
                        warnings.size() == 1 ? "a warning" : warnings.size() + " warnings", warned.listed()), warned);
            }
            LOG.warn("Prometheus warned about query {}: {}", promql, warned.listed());
            warningListener.accept(warned);
        }
        JsonNode infos = answer.infos();
        if (infos != null && !infos.isEmpty()) {
            LOG.info("Prometheus noted about query {}: {}", promql, start(infos.toString()));
        }
        if (!answer.hasData()) {
            throw new PrometheusException("query " + promql + ": the answer has no data", false);
        }
        return answer;
    }

    /** The texts of an answer's {@code warnings}: a list of strings as Prometheus writes it, or one value. */
    private static List<String> texts(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode n : node.isArray() ? node : List.of(node)) {
            texts.add(n.isTextual() ? n.textValue() : n.toString());
        }
        return texts;
    }

    /**
     * The server's error type and text, where a redirect that was not followed points, that the body could not be
     * read (an encoding not asked for), or the start of a body that is not a Prometheus error; {@code read} says
     * whether the body is only the start of the answer's, or unreadable.
     */
    private static String errorText(HttpResponse<byte[]> response, LimitedBody read) {
        boolean cut = read.cut();
        byte[] body = cut ? wholeCharacters(response.body()) : response.body();
        Optional<String> error = prometheusError(body, cut);
        if (error.isPresent()) {
            return error.get();
        }
        Optional<String> location = response.headers().firstValue("Location");
        if (response.statusCode() / 100 == 3 && location.isPresent()) {
            return "redirects to " + location.get();
        }
        String unreadable = read.unreadable();
        if (unreadable != null) {
            return "its body " + unreadable;
        }
        return startOf(body, cut);
    }

    /**
     * The bytes up to the last whole UTF-8 character: a body cut at a byte count may end inside one, which
     * would otherwise read as malformed.
     */
    static byte[] wholeCharacters(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                return bytes;
            }
            if (b >= 0xc0) {
                // a lead byte: whole when the bytes after it are as many as it announces
                int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return bytes.length - i >= length ? bytes : java.util.Arrays.copyOf(bytes, i);
            }
        }
        return bytes;
    }

    /**
     * The error type and text of a Prometheus error answer (a JSON object with an {@code error} field), shown as
     * {@link #start} shows them; empty for any other body. An error body may be as large as any answer, and all a
     * message shows of it is {@link #SHOWN} characters: so it is read as a stream of tokens, without a tree or a
     * string of the whole body, other fields skipped, reading stopped once both fields are read, and only the start
     * of a long string decoded. A body that is {@code cut} (the start of a longer one) may end inside the fields:
     * what was decoded of them is kept, and shown as cut.
     */
    static Optional<String> prometheusError(byte[] body, boolean cut) {
        @Nullable FieldStart type = null;
        @Nullable FieldStart error = null;
        try (JsonParser p = JSON.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while ((type == null || error == null) && p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (type == null && name.equals("errorType")) {
                    type = fieldStart(p, value, body, cut);
                } else if (error == null && name.equals("error")) {
                    error = fieldStart(p, value, body, cut);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | NumberFormatException | ArithmeticException e) {
            if (cut && error != null) {
                // the body ends before the parser is done with it: the error text was read all the same
                return Optional.of(shownError(type, error));
            }
            // Malformed UTF-8 is read as a String of the body reads it, a bad byte becoming U+FFFD; anything else
            // is not JSON, or not readable: the caller quotes the body.
            return isUtf8(body) ? Optional.empty()
                    : prometheusError(new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), cut);
        }
        if (error == null) {
            return Optional.empty();
        }
        return Optional.of(shownError(type, error));
    }

    /** What the start of an answer says of its status. */
    enum HeadStatus {
        /** Its {@code status} field says {@code error}. */
        ERROR,
        /** Its {@code status} field says something else, or it is not a JSON object. */
        OTHER,
        /** The start ends before its {@code status} field: more may come. */
        UNSEEN
    }

    /**
     * What the start of an answer says of its status: its top-level {@code status} field, the fields before it
     * skipped. Prometheus writes that field first, so the first bytes of an error answer say it is one.
     */
    static HeadStatus headStatus(byte[] head) {
        try (JsonParser p = JSON.getFactory().createParser(wholeCharacters(head))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return HeadStatus.UNSEEN; // blanks so far
            }
            if (first != JsonToken.START_OBJECT) {
                return HeadStatus.OTHER;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean status = p.currentName().equals("status");
                JsonToken value = p.nextToken();
                if (status) {
                    return value == JsonToken.VALUE_STRING && p.getText().equals("error") ? HeadStatus.ERROR
                            : HeadStatus.OTHER;
                }
                p.skipChildren();
            }
            return HeadStatus.OTHER;
        } catch (JsonEOFException e) {
            return HeadStatus.UNSEEN; // the start ends inside a value
        } catch (IOException e) {
            return HeadStatus.OTHER; // not JSON: read whole and judged as it is
        }
    }

    /** The error type and text as a message shows them, cut when either field is. */
    private static String shownError(@Nullable FieldStart type, FieldStart error) {
        // as a tree's asText("error") and asText() read them: a missing or null type is "error", a null error "null"
        String typeText = type == null || type.text() == null ? "error" : type.text();
        String text = typeText + ": " + (error.text() == null ? "null" : error.text());
        if (!(type != null && type.more() || error.more())) {
            return start(text);
        }
        return startOfMore(text);
    }

    /** {@link #start} of a text that more follows: it is shown as cut, whatever its end. */
    private static String startOfMore(String text) {
        String s = text.stripLeading();
        return s.length() > SHOWN ? cut(s, SHOWN) : s + "...";
    }

    /** Whether the bytes are well-formed UTF-8, checked a piece at a time rather than decoded whole. */
    private static boolean isUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(4096);
        for (;;) {
            CoderResult r = decoder.decode(in, out, true);
            if (r.isError()) {
                return false;
            }
            if (r.isUnderflow()) {
                return !decoder.flush(out).isError();
            }
            out.clear();
        }
    }

    /** The start of a field's value; {@code text} is null for a JSON null. */
    private record FieldStart(@Nullable String text, boolean more) {
    }

    /** The start of the value the parser is at, as a tree's {@code asText()} gives it: "" for an object or array. */
    private static FieldStart fieldStart(JsonParser p, @Nullable JsonToken value, byte[] body, boolean cut)
            throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return stringStart(body, (int) p.currentTokenLocation().getByteOffset(), cut);
        }
        if (value == JsonToken.VALUE_NULL) {
            return new FieldStart(null, false);
        }
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            p.skipChildren();
            return new FieldStart("", false);
        }
        return new FieldStart(p.getText(), false);
    }

    /**
     * The start of the JSON string whose opening quote is at {@code quote} in the body: its first
     * {@code 2 * SHOWN} characters (escapes and code points), decoded from a copy of its first bytes closed by a quote, so a string of
     * megabytes is not decoded whole (the parser then skips the rest without keeping it). In a body that is
     * {@code cut}, a string that runs to its end is read up to the last whole character before it, as cut.
     */
    private static FieldStart stringStart(byte[] body, int quote, boolean cut) throws IOException {
        if (quote < 0 || quote >= body.length || body[quote] != '"') {
            throw new JsonParseException(null, "no string at byte " + quote);
        }
        int end = quote + 1;
        for (int chars = 0; end < body.length && body[end] != '"' && chars < 2 * SHOWN; chars++) {
            int b = body[end] & 0xff;
            // whole escapes and whole UTF-8 sequences only, so the copy ends where a character does
            int length = b == '\\' ? (end + 1 < body.length && body[end + 1] == 'u' ? 6 : 2)
                    : b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
            if (cut && end + length > body.length) {
                break; // the body was cut inside this character: the string is read up to it
            }
            if (b >= 0x80 && b < 0xc0 || b >= 0xf8 || end + length > body.length) {
                // cut short, or not UTF-8 (the caller then reads the body as a String of it reads it)
                throw new JsonParseException(null, "the string at byte " + quote + " is cut short or not UTF-8");
            }
            end += length;
        }
        if (end >= body.length && !cut) {
            throw new JsonParseException(null, "the string at byte " + quote + " does not end");
        }
        boolean more = end >= body.length || body[end] != '"';
        byte[] copy = java.util.Arrays.copyOfRange(body, quote, end + 1);
        copy[copy.length - 1] = '"';
        try (JsonParser p = JSON.getFactory().createParser(copy)) {
            p.nextToken();
            return new FieldStart(p.getText(), more);
        }
    }

    /**
     * {@link #start} of a body that is not a Prometheus error, decoding only its first bytes: the body after
     * its leading ASCII blanks, to {@link #HEAD_BYTES}; {@code cut} when the body is the start of a longer one.
     */
    static String startOf(byte[] body, boolean cut) {
        int from = 0;
        while (from < body.length && body[from] >= 0 && Character.isWhitespace(body[from])) {
            from++;
        }
        int to = (int) Math.min(body.length, (long) from + HEAD_BYTES);
        String head = new String(body, from, to - from, StandardCharsets.UTF_8);
        if (to == body.length && !cut) {
            return start(head);
        }
        return startOfMore(head);
    }

    static String start(@Nullable String body) {
        String s = body == null ? "" : body.strip();
        return s.isEmpty() ? "(empty)" : cut(s, SHOWN);
    }

    /** The exception that ends a body longer than the limit. */
    static final class AnswerTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        AnswerTooLarge(int limit) {
            super("the answer is longer than " + limit + " bytes");
        }
    }

    /** The exception that ends a body which cannot be decoded. */
    static final class UnreadableAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        UnreadableAnswer(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Collects a body's bytes, ending it as soon as it passes the limit instead of reading it all. A gzip
     * body is expanded up to the same limit, so a small body cannot expand to fill the memory.
     *
     * <p>A body that is only wanted for a message ({@link #prefix}, of an answer with another status than 200)
     * is not refused at the limit but ends, cut, with the bytes up to it; one in an encoding that cannot be read
     * ends empty and says so ({@link #unreadable}), as it is the status that counts. An {@linkplain #answer
     * answer} (a 200) is looked at as it arrives: one whose {@code status} field, within its first
     * {@link #HEAD_BYTES}, says {@code error} is from there on read as an error is, up to
     * {@link #ERROR_BODY_BYTES}, rather than up to the answer's limit.
     */
    static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private int limit;
        private final String encoding;
        /** Whether the body is only wanted for a message from the start (the status was not 200). */
        private final boolean forMessage;
        /** Whether the body ends, cut, at the limit rather than failing there. */
        private boolean prefixOnly;
        /** Whether the status field of an answer is still to be looked for. */
        private boolean watching;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final Bytes bytes = new Bytes();
        private Flow.@Nullable Subscription subscription;
        private volatile boolean cut;
        private volatile boolean statusError;
        private volatile @Nullable String unreadable;

        private LimitedBody(int limit, String encoding, boolean forMessage) {
            this.limit = limit;
            this.encoding = encoding.strip().toLowerCase(Locale.ROOT);
            this.forMessage = forMessage;
            this.prefixOnly = forMessage;
            this.watching = !forMessage && (identity() || gzip());
        }

        /**
         * An answer of status 200: read whole up to {@code limit}, unless its status field says error within its
         * first {@link #HEAD_BYTES}.
         */
        static LimitedBody answer(int limit, String encoding) {
            return new LimitedBody(limit, encoding, false);
        }

        /** A body of which only the first {@code limit} bytes (expanded, when it is gzip) are read. */
        static LimitedBody prefix(int limit, String encoding) {
            return new LimitedBody(limit, encoding, true);
        }

        /** @return whether the body is only the start of the one the server sent */
        boolean cut() {
            return cut;
        }

        /** @return whether the body is an answer of status 200 whose status field says error */
        boolean statusError() {
            return statusError;
        }

        /**
         * @return why a body only wanted for a message could not be read ({@code is encoded as ...}), which it
         *     then ends empty for; null when it was read
         */
        @Nullable String unreadable() {
            return unreadable;
        }

        private boolean identity() {
            return encoding.isEmpty() || encoding.equals("identity");
        }

        private boolean gzip() {
            return encoding.equals("gzip") || encoding.equals("x-gzip");
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (!identity() && !gzip()) {
                // nothing of it can be read, so none of it is waited for: cancelling closes the connection
                s.cancel();
                unreadable("is encoded as " + start(encoding) + ", which was not asked for", null);
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        /** Ends a body that cannot be read: empty, saying why, when it is wanted for a message; else failed. */
        private void unreadable(String why, @Nullable Throwable cause) {
            if (forMessage) {
                unreadable = why;
                body.complete(new byte[0]);
            } else {
                body.completeExceptionally(new UnreadableAnswer(why, cause));
            }
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int room = limit - bytes.size();
                boolean over = b.remaining() > room;
                byte[] chunk = new byte[over ? room : b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
                if (watching) {
                    watchStatus();
                }
                if (over || bytes.size() > limit) {
                    // the rest is not waited for: cancelling closes the connection
                    Objects.requireNonNull(subscription).cancel();
                    if (prefixOnly) {
                        bytes.truncate(limit);
                        cut = true;
                        onComplete();
                    } else {
                        body.completeExceptionally(new AnswerTooLarge(limit));
                    }
                    return;
                }
            }
        }

        /**
         * Looks for the answer's status field in what has arrived; once it says error, the body is read as one that
         * is not a 200 is, its limit lowered to {@link #ERROR_BODY_BYTES}. Looking ends at the field, or once the
         * first {@link #HEAD_BYTES} have arrived without it.
         */
        private void watchStatus() {
            byte[] head = gzip() ? expandedHead() : bytes.head(HEAD_BYTES);
            HeadStatus status = head == null ? HeadStatus.OTHER : headStatus(head);
            if (status == HeadStatus.UNSEEN && head != null && head.length < HEAD_BYTES
                    && bytes.size() < HEAD_BYTES) {
                return;
            }
            watching = false;
            if (status == HeadStatus.ERROR) {
                statusError = true;
                prefixOnly = true;
                limit = Math.min(limit, ERROR_BODY_BYTES);
            }
        }

        /**
         * What the gzip bytes received so far expand to, up to {@link #HEAD_BYTES}; null when they are not gzip
         * (the whole body then fails as it ends).
         */
        private byte @Nullable [] expandedHead() {
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes.head(HEAD_BYTES)))) {
                for (int n; plain.size() < HEAD_BYTES
                        && (n = in.read(buffer, 0, Math.min(buffer.length, HEAD_BYTES - plain.size()))) > 0;) {
                    plain.write(buffer, 0, n);
                }
            } catch (EOFException e) {
                // the compressed bytes so far end inside the stream: what they expand to is all there is yet
            } catch (IOException e) {
                return null;
            }
            return plain.toByteArray();
        }

        /** @return the bytes received so far */
        int received() {
            return bytes.size();
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (body.isDone()) {
                return; // ended at the limit, its connection closed
            }
            if (identity()) {
                body.complete(bytes.toByteArray());
                return;
            }
            // gzip: a body in another encoding ended as it began
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                byte[] plain = expanded(in);
                if (plain.length <= limit) {
                    body.complete(plain);
                } else if (prefixOnly) {
                    cut = true;
                    body.complete(java.util.Arrays.copyOf(plain, limit));
                } else {
                    body.completeExceptionally(new AnswerTooLarge(limit));
                }
            } catch (IOException e) {
                unreadable("is not readable gzip: " + e.getMessage(), e);
            }
        }

        /**
         * The expanded bytes, to one past the limit; of a cut body, those its compressed start expands to, though
         * the stream ends there unfinished.
         */
        private byte[] expanded(InputStream in) throws IOException {
            // grows as it reads, never sized from the limit
            ByteArrayOutputStream plain = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; plain.size() <= limit
                        && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit + 1L - plain.size()))) > 0;) {
                    plain.write(buffer, 0, n);
                }
            } catch (EOFException e) {
                if (!cut) {
                    throw e;
                }
            }
            return plain.toByteArray();
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }
    }

    /** The bytes of a body as they arrive: their start can be copied, their end dropped. */
    private static final class Bytes extends ByteArrayOutputStream {
        synchronized byte[] head(int max) {
            return java.util.Arrays.copyOf(buf, Math.min(count, max));
        }

        synchronized void truncate(int length) {
            count = Math.min(count, length);
        }
    }
}
