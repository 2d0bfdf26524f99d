package io.fleetpredict.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that plays a hostile or broken Prometheus: each test gives the handler that
 * answers every request, and reads back the requests it received.
 */
final class LoopbackServer implements AutoCloseable {

    /** Answers one request. */
    interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    /** A request as the server saw it. */
    record Request(String method, String path, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Handler handler = e -> answer(e, 500, "text/plain", "no handler");

    LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            try {
                handler.handle(exchange);
            } catch (IOException e) {
                // the client gave up or was cut off
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** @return the server's address, without a trailing slash */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    LoopbackServer answer(Handler h) {
        this.handler = h;
        return this;
    }

    /** Answers every request with HTTP 200 and this JSON. */
    LoopbackServer json(String body) {
        return answer(e -> answer(e, 200, "application/json", body));
    }

    List<Request> requests() {
        return requests;
    }

    static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }

    /** Sends headers promising {@code declaredLength} bytes and only the start of the body, then returns. */
    static void sendPart(HttpExchange exchange, int declaredLength, String start) throws IOException {
        exchange.sendResponseHeaders(200, declaredLength);
        OutputStream o = exchange.getResponseBody();
        o.write(start.getBytes(StandardCharsets.UTF_8));
        o.flush();
    }

    /** A range answer holding one series with these labels and {@code [time, "value"]} pairs. */
    static String matrix(String labels, String values) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":" + labels
                + ",\"values\":" + values + "}]}}";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
