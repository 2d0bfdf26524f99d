package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fleetpredict.cloud.CloudException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * How a failed call to the API server reaches the caller: as a {@link CloudException} of the kind that says
 * whether a retry may help, naming the call and what the server said (or that it said nothing).
 */
final class ApiFailures {

    private ApiFailures() {
    }

    /**
     * The failure of one call.
     *
     * @param what the call, such as {@code create NodeClaim fp-...-0}
     * @param write whether the call changes the cluster: a write the server may have received but not
     *     answered, or answered with a server error (5xx) or a request timeout (408), is
     *     {@link CloudException.Kind#TIMED_OUT}, as it may have been applied
     * @param e the client's failure
     */
    static CloudException of(String what, boolean write, KubernetesClientException e) {
        int code = e.getCode();
        if (code > 0) {
            // A server error says nothing of whether a write was applied: the API server answers 500 when etcd
            // changes leader after storing the object, and a proxy 502 or 503 after forwarding the request. Nor
            // does a timeout: a proxy or load balancer answers 504, or 408, when it stops waiting for an answer
            // to a request it forwarded. A 429 is sent before the request is handled (the API server's priority
            // and fairness turns it away), so nothing was applied. Nor is anything after a 413: the API server (or
            // a proxy before it) refuses a body over its limit before decoding it, and the same body is refused
            // again however often it is sent.
            boolean unknown = write && (code == 408 || code >= 500 && code <= 599);
            CloudException.Kind kind = code == 401 || code == 403 ? CloudException.Kind.UNAUTHORIZED
                    : code == 429 ? CloudException.Kind.THROTTLED
                    : code == 400 || code == 404 || code == 409 || code == 413 || code == 422
                            ? CloudException.Kind.INVALID_REQUEST
                    : unknown ? CloudException.Kind.TIMED_OUT
                    : CloudException.Kind.TRANSIENT;
            return new CloudException(kind, String.format(Locale.ROOT, "%s failed: HTTP %d: %s%s%s", what, code,
                    said(e), retryAfter(e.getStatus()), unknown ? "; it may have been applied" : ""), e);
        }
        Throwable root = rootCause(e);
        if (anyCause(e, TimeoutException.class) || anyCause(e, InterruptedIOException.class)
                || String.valueOf(e.getMessage()).contains("timeout")) {
            return new CloudException(write ? CloudException.Kind.TIMED_OUT : CloudException.Kind.TRANSIENT,
                    String.format(Locale.ROOT, "%s got no answer in time%s: %s", what,
                            write ? " and may have been applied" : "", ServerText.quoted(String.valueOf(e.getMessage()))), e);
        }
        if (anyCause(e, ConnectException.class) || anyCause(e, UnknownHostException.class)) {
            return new CloudException(CloudException.Kind.TRANSIENT, String.format(Locale.ROOT,
                    "%s could not reach the API server: %s", what, describe(root)), e);
        }
        boolean unreadable = !(root instanceof IOException) || root.getClass().getName().contains("jackson");
        return new CloudException(write ? CloudException.Kind.TIMED_OUT : CloudException.Kind.TRANSIENT,
                String.format(Locale.ROOT, "%s failed: %s%s: %s", what,
                        unreadable ? "the API server's answer could not be read" : "the connection failed",
                        write ? ", so it may have been applied" : "", describe(root)), e);
    }

    /** The server's own message when it sent a Status, else the client's, as a message quotes it. */
    static String said(KubernetesClientException e) {
        Status s = e.getStatus();
        return ServerText.quoted(s != null && s.getMessage() != null && !s.getMessage().isBlank() ? s.getMessage()
                : String.valueOf(e.getMessage()));
    }

    private static String retryAfter(@Nullable Status s) {
        Integer seconds = s == null || s.getDetails() == null ? null : s.getDetails().getRetryAfterSeconds();
        return seconds == null ? "" : String.format(Locale.ROOT, " (the server asks to retry after %d s)", seconds);
    }

    private static boolean anyCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What a failure says at its root, where a parser's own message names the bad input. */
    static String reason(Throwable e) {
        return e instanceof CloudException ? String.valueOf(e.getMessage()) : describe(rootCause(e));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
        return t.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + ServerText.quoted(m));
    }
}
