package io.fleetpredict.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server for tests: Debian's {@code prometheus} and {@code promtool} binaries, a TSDB
 * backfilled with {@code promtool tsdb create-blocks-from openmetrics}, served on a free loopback port.
 * A server that cannot start is a test failure, never a skip: {@code .ci/run} installs the package.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

    private final Process process;
    private final URI url;
    private final Path log;

    private PrometheusServer(Process process, URI url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Backfills a TSDB in {@code dir} from OpenMetrics text and starts a server on it.
     *
     * @param dir an empty working folder
     * @param openMetrics the samples, as written by {@link OpenMetrics}
     * @param extraConfig more YAML for the server's configuration (scrape jobs), or empty
     * @return the running server
     * @throws AssertionError if the binaries are missing, the backfill fails or the server is not ready in time
     */
    public static PrometheusServer start(Path dir, String openMetrics, String extraConfig) {
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(data);
            Path input = dir.resolve("backfill.om");
            Files.writeString(input, openMetrics, StandardCharsets.UTF_8);
            run(dir, List.of(binary("promtool"), "tsdb", "create-blocks-from", "openmetrics",
                    "--max-block-duration=8760h", "--quiet", input.toString(), data.toString()));
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n" + extraConfig,
                    StandardCharsets.UTF_8);
            int port = freePort();
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(binary("prometheus"), "--config.file=" + config,
                    "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y",
                    "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port + "/"), log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new AssertionError("cannot start Prometheus: " + e, e);
        }
    }

    /** @return the server's address, with a trailing slash */
    public URI url() {
        return url;
    }

    private void awaitReady() throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_WITHIN);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("Prometheus exited with " + process.exitValue() + ":\n" + tail());
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(url.resolve("-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for Prometheus", e);
            }
            sleep(100);
        }
        close();
        throw new AssertionError("Prometheus was not ready within " + READY_WITHIN + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String binary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not on the PATH: install Debian's prometheus package"
                + " (apt-get install prometheus; .ci/run does this)");
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Path out = dir.resolve(Path.of(command.get(0)).getFileName() + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(String.format(Locale.ROOT, "%s exited with %d:%n%s", command, p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8)));
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
