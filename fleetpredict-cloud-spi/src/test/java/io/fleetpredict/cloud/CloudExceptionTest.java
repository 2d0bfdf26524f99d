package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CloudExceptionTest {

    @Test
    void retryable_onlyForKindsWhereARetryCanSucceed() {
        Set<CloudException.Kind> retryable = EnumSet.noneOf(CloudException.Kind.class);
        for (CloudException.Kind kind : CloudException.Kind.values()) {
            CloudException e = new CloudException(kind, "x");
            assertEquals(kind.retryable(), e.retryable());
            if (e.retryable()) {
                retryable.add(kind);
            }
        }
        assertEquals(EnumSet.of(CloudException.Kind.THROTTLED, CloudException.Kind.CAPACITY_UNAVAILABLE,
                CloudException.Kind.TRANSIENT, CloudException.Kind.TIMED_OUT), retryable);
    }

    @Test
    void kind_isKeptWithCause() {
        IllegalStateException cause = new IllegalStateException("socket");
        CloudException e = new CloudException(CloudException.Kind.TRANSIENT, "boom", cause);
        assertEquals(CloudException.Kind.TRANSIENT, e.kind());
        assertEquals(cause, e.getCause());
    }
}
