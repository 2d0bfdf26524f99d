package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fleetpredict.cloud.CloudProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A cluster that stores objects as fabric8's CRUD mock server does, and answers chosen requests with a
 * scripted failure instead: a status code and body, a late answer, or anything a broken API server sends.
 * Each test gets its own, so the faults of one never leak into another.
 */
final class FaultyCluster implements AutoCloseable {

    /** A scripted answer to requests whose method and path match, for the next {@code times} of them. */
    private static final class Fault {
        final String method;
        final String pathPart;
        final Predicate<RecordedRequest> when;
        final Function<RecordedRequest, MockResponse> answer;
        int times;

        Fault(String method, String pathPart, int times, Predicate<RecordedRequest> when,
                Function<RecordedRequest, MockResponse> answer) {
            this.method = method;
            this.pathPart = pathPart;
            this.when = when;
            this.times = times;
            this.answer = answer;
        }
    }

    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final KubernetesMockServer server;
    private final KubernetesCrudDispatcher crud;
    final KubernetesClient client;

    FaultyCluster() {
        crud = new KubernetesCrudDispatcher(List.of(
                KarpenterCloudCompatibilityTest.crd(KarpenterCloud.NODE_CLAIMS),
                KarpenterCloudCompatibilityTest.crd(KarpenterCloud.NODE_POOLS))) {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                // A request's body can be read once: keep it, and hand each reader its own copy.
                String body = request.getUtf8Body();
                requests.add(request.getMethod() + " " + request.getPath());
                for (Fault f : faults) {
                    synchronized (f) {
                        if (f.times > 0 && f.method.equals(request.getMethod()) && request.getPath().contains(f.pathPart)
                                && f.when.test(copy(request, body))) {
                            f.times--;
                            return f.answer.apply(copy(request, body));
                        }
                    }
                }
                MockResponse refused = refusedAsARealServerWould(request.getMethod(), request.getPath(), body);
                return refused != null ? refused : super.dispatch(copy(request, body));
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), crud, false);
        server.init();
        client = client(server.createClient().getConfiguration(), 2_000);
        client.genericKubernetesResources(KarpenterCloud.NODE_POOLS).resource(KarpenterCloudCompatibilityTest.nodePool())
                .create();
    }

    /** The API server's cap on a request's body (3 MiB): a larger one is refused, 413, before it is decoded. */
    static final int REQUEST_BYTES = 3 * 1024 * 1024;
    /** The API server's cap on a ConfigMap: its data and binary data, keys and values, in bytes (binary decoded). */
    static final int CONFIG_MAP_BYTES = 1_048_576;

    /**
     * What a real API server answers, and the CRUD mock server does not, to a write it would refuse for its size:
     * 413 for a body over {@value #REQUEST_BYTES} bytes, 422 "Too long" for a ConfigMap over
     * {@value #CONFIG_MAP_BYTES} bytes (as {@code ValidateConfigMap} counts them); {@code null} to store it.
     */
    static @org.jspecify.annotations.Nullable MockResponse refusedAsARealServerWould(String method, String path, String body) {
        if (!method.equals("POST") && !method.equals("PUT")) {
            return null;
        }
        if (body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > REQUEST_BYTES) {
            return new MockResponse().setResponseCode(413).setHeader("Content-Type", "application/json").setBody(status(413,
                    "RequestEntityTooLarge", "Request entity too large: limit is " + REQUEST_BYTES));
        }
        if (!path.contains("/configmaps")) {
            return null;
        }
        io.fabric8.kubernetes.api.model.ConfigMap m = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(body,
                io.fabric8.kubernetes.api.model.ConfigMap.class);
        long bytes = 0;
        if (m.getData() != null) {
            for (Map.Entry<String, String> e : m.getData().entrySet()) {
                bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }
        }
        if (m.getBinaryData() != null) {
            for (Map.Entry<String, String> e : m.getBinaryData().entrySet()) {
                bytes += e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + java.util.Base64.getDecoder().decode(e.getValue()).length;
            }
        }
        if (bytes <= CONFIG_MAP_BYTES) {
            return null;
        }
        return new MockResponse().setResponseCode(422).setHeader("Content-Type", "application/json").setBody(status(422,
                "Invalid", String.format(java.util.Locale.ROOT, "ConfigMap \\\"%s\\\" is invalid: []: Too long: must have"
                        + " at most %d bytes", m.getMetadata().getName(), CONFIG_MAP_BYTES)));
    }

    private static RecordedRequest copy(RecordedRequest r, String body) {
        return new RecordedRequest(r.getHttpVersion(), r.method(), r.getPath(), r.getHeaders(), new Buffer().writeUtf8(body));
    }

    /** Stores what a request sends, as the cluster would, without faults: for a fault that lets it through. */
    MockResponse store(RecordedRequest request) {
        return crud.handleCreate(request);
    }

    /**
     * Stores what a create of a claim sends as another provision call would have sent it: the same claim, with
     * another {@link KarpenterCloud#ATTEMPT} annotation.
     */
    MockResponse storeAsAnotherCall(RecordedRequest request) {
        String body = request.getUtf8Body().replaceAll("(\"" + java.util.regex.Pattern.quote(KarpenterCloud.ATTEMPT)
                + "\":\")[^\"]*", "$1another-call");
        if (!body.contains("another-call")) {
            throw new IllegalStateException("the create carries no " + KarpenterCloud.ATTEMPT + ": " + request.getUtf8Body());
        }
        return crud.handleCreate(copy(request, body));
    }

    /** A client of the cluster that retries nothing itself and gives up on an answer after {@code timeoutMillis}. */
    static KubernetesClient client(Config base, int timeoutMillis) {
        Config config = new ConfigBuilder(base).withRequestRetryBackoffLimit(0).withRequestTimeout(timeoutMillis)
                .withConnectionTimeout(timeoutMillis).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * A client of the cluster that, before it sends each of the next {@code times} requests of this method whose
     * path holds {@code pathPart} and that pass {@code when}, lets {@code meanwhile} run: another writer's change,
     * made through another client (this cluster's {@link #client}) between what this client read and its write.
     * It runs in the caller's thread before the request leaves, so the API server sees it first.
     */
    KubernetesClient clientWith(String method, String pathPart, int times, Predicate<HttpRequest> when, Runnable meanwhile) {
        AtomicInteger left = new AtomicInteger(times);
        return clientWith(new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, Interceptor.RequestTags tags) {
                if (method.equals(request.method()) && request.uri().getPath().contains(pathPart) && when.test(request)
                        && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    meanwhile.run();
                }
            }
        });
    }

    /**
     * A client of the cluster whose requests {@code competitor} sees before they leave: for other writers' changes
     * at more than one kind of request.
     */
    KubernetesClient clientWith(Interceptor competitor) {
        Config config = new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("meanwhile", competitor)).build();
    }

    /** Answers the next {@code times} requests of this method whose path holds {@code pathPart}. */
    FaultyCluster fail(String method, String pathPart, int times, Function<RecordedRequest, MockResponse> answer) {
        return failIf(method, pathPart, times, r -> true, answer);
    }

    /** Answers the next {@code times} matching requests that also pass {@code when}. */
    FaultyCluster failIf(String method, String pathPart, int times, Predicate<RecordedRequest> when,
            Function<RecordedRequest, MockResponse> answer) {
        faults.add(new Fault(method, pathPart, times, when, answer));
        return this;
    }

    /** Answers the next {@code times} matching requests with this code and body. */
    FaultyCluster fail(String method, String pathPart, int times, int code, String body) {
        return fail(method, pathPart, times, r -> new MockResponse().setResponseCode(code).setBody(body)
                .setHeader("Content-Type", "application/json"));
    }

    /** A Kubernetes Status object, as the API server sends with a failure. */
    static String status(int code, String reason, String message) {
        return String.format(java.util.Locale.ROOT,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"%s\",\"reason\":\"%s\",\"code\":%d}",
                message, reason, code);
    }

    KarpenterCloud cloud() {
        return KarpenterCloud.builder(client, "general").priceList(KarpenterCloudCompatibilityTest.PRICES).build();
    }

    /**
     * A provider the factory builds from these settings, its client sent to this cluster by the system
     * properties fabric8 reads (set only while the factory runs).
     */
    CloudProvider fromFactory(Map<String, String> settings) {
        Map<String, String> properties = Map.of(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, client.getConfiguration().getMasterUrl(),
                Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false",
                Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
        properties.keySet().forEach(k -> {
            if (System.getProperty(k) != null) {
                throw new IllegalStateException("the system property " + k + " is set already");
            }
        });
        properties.forEach(System::setProperty);
        try {
            return new KarpenterCloudFactory().create(settings);
        } finally {
            properties.keySet().forEach(System::clearProperty);
        }
    }

    List<GenericKubernetesResource> claims() {
        return client.genericKubernetesResources(KarpenterCloud.NODE_CLAIMS).list().getItems();
    }

    List<String> claimNames() {
        List<String> out = new ArrayList<>();
        for (GenericKubernetesResource c : claims()) {
            out.add(c.getMetadata().getName());
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
