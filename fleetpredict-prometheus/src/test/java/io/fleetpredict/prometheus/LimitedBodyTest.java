package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * A body as the HTTP client hands it over, in pieces of its own size: what is read of it, and when the rest is
 * no longer waited for. The client's pieces fall where they fall, so the status field of an answer may be split
 * over two of them, and one piece may hold more than an error's 64 KiB.
 */
class LimitedBodyTest {

    private static final int ANSWER_LIMIT = 1 << 20;

    /** A subscription that counts what the body asks of it. */
    private static final class Subscription implements Flow.Subscription {
        long requested;
        int cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled++;
        }
    }

    /** An error answer of {@code length} bytes: its status field first, then an error text of x. */
    private static byte[] errorAnswer(int length) {
        String start = "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"";
        return (start + "x".repeat(length - start.length() - 2) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<ByteBuffer> piece(byte[] bytes, int from, int to) {
        return List.of(ByteBuffer.wrap(java.util.Arrays.copyOfRange(bytes, from, to)));
    }

    private static byte[] body(PrometheusApi.LimitedBody b) {
        return b.getBody().toCompletableFuture().join();
    }

    @Test
    void answer_statusFieldSplitOverTwoPieces_isSeenAsAnError_andReadOnlyTo64KiB() {
        byte[] answer = errorAnswer(200_000);
        PrometheusApi.LimitedBody b = PrometheusApi.LimitedBody.answer(ANSWER_LIMIT, "");
        Subscription s = new Subscription();
        b.onSubscribe(s);

        b.onNext(piece(answer, 0, 5)); // {"sta
        assertFalse(b.getBody().toCompletableFuture().isDone());
        b.onNext(piece(answer, 5, 30_000));
        b.onNext(piece(answer, 30_000, 100_000));

        assertTrue(b.statusError());
        assertTrue(b.cut());
        assertEquals(1, s.cancelled, "the rest is not waited for");
        assertEquals(PrometheusApi.ERROR_BODY_BYTES, body(b).length);
        assertEquals(new String(answer, 0, PrometheusApi.ERROR_BODY_BYTES, StandardCharsets.US_ASCII),
                new String(body(b), StandardCharsets.US_ASCII));
    }

    /** A first piece longer than 64 KiB: the error is seen in it, and only its first 64 KiB are kept. */
    @Test
    void answer_errorInAFirstPieceLongerThan64KiB_keepsOnly64KiB() {
        byte[] answer = errorAnswer(100_000);
        PrometheusApi.LimitedBody b = PrometheusApi.LimitedBody.answer(ANSWER_LIMIT, "");
        Subscription s = new Subscription();
        b.onSubscribe(s);

        b.onNext(piece(answer, 0, answer.length));

        assertTrue(b.statusError());
        assertTrue(b.cut());
        assertEquals(1, s.cancelled);
        assertEquals(PrometheusApi.ERROR_BODY_BYTES, body(b).length);
    }

    /** An answer whose status says success is read whole, however it is split. */
    @Test
    void answer_success_isReadWhole() {
        byte[] answer = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]},\"pad\":\""
                + "x".repeat(100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        PrometheusApi.LimitedBody b = PrometheusApi.LimitedBody.answer(ANSWER_LIMIT, "");
        Subscription s = new Subscription();
        b.onSubscribe(s);

        b.onNext(piece(answer, 0, 3));
        b.onNext(piece(answer, 3, answer.length));
        b.onComplete();

        assertFalse(b.statusError());
        assertFalse(b.cut());
        assertEquals(0, s.cancelled);
        assertEquals(answer.length, body(b).length);
    }

    /**
     * A body in an encoding that was not asked for is not waited for: the subscription is cancelled at once, none
     * of it requested. Wanted for a message, it ends empty saying why; as an answer, it fails.
     */
    @Test
    void bodyInAnEncodingNotAskedFor_isCancelledUnread() {
        PrometheusApi.LimitedBody message = PrometheusApi.LimitedBody.prefix(PrometheusApi.ERROR_BODY_BYTES, "br");
        Subscription s = new Subscription();

        message.onSubscribe(s);

        assertEquals(1, s.cancelled);
        assertEquals(0, s.requested);
        assertEquals(0, body(message).length);
        assertEquals("is encoded as br, which was not asked for", message.unreadable());

        PrometheusApi.LimitedBody answer = PrometheusApi.LimitedBody.answer(ANSWER_LIMIT, "br");
        Subscription t = new Subscription();

        answer.onSubscribe(t);

        assertEquals(1, t.cancelled);
        assertEquals(0, t.requested);
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> body(answer));
        assertInstanceOf(PrometheusApi.UnreadableAnswer.class, e.getCause());
        assertNull(answer.unreadable());
    }
}
