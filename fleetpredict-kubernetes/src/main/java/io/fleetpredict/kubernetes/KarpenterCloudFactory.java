package io.fleetpredict.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviderFactory;
import io.fleetpredict.cloud.Offer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates a {@link KarpenterCloud} for {@code CloudProviders.load("karpenter", settings)}, with a client
 * configured the fabric8 way (the kubeconfig's current context, or the pod's service account in a cluster).
 *
 * <p>Settings: {@code node-pool} (required), {@code price-list} (required: a CSV file with the header
 * {@code instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,on_demand_per_hour,}
 * {@code spot_per_hour,interruption_rate_per_hour,boot_time}; an empty spot price means no spot; the boot
 * time is ISO-8601 such as {@code PT90S}; a regular file of at most 8 MiB of UTF-8, each line at most 4096 bytes),
 * {@code namespace} (default {@code default}) and
 * {@code record-retention}, how long the records of provisions and releases are kept (a positive ISO-8601
 * duration such as {@code P7D} or {@code PT36H}, at most ten thousand years, {@code P3652425D}; seven days by
 * default; see
 * {@link KarpenterCloud.Builder#recordRetention}). Any other key is rejected. The client does not retry a
 * failed call itself (the library's guard does) unless the system property or environment variable
 * {@code kubernetes.request.retry.backoffLimit} says otherwise.
 */
public final class KarpenterCloudFactory implements CloudProviderFactory {

    private static final String RECORD_RETENTION = "record-retention";
    private static final Set<String> KEYS = Set.of("node-pool", "price-list", "namespace", RECORD_RETENTION);
    /** A Kubernetes label value, not empty: what a price list's text cells become on an offer's labels. */
    private static final Pattern LABEL_VALUE = Pattern.compile("(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final String HEADER = "instance_type,family,region,cpu_cores,memory_gib,bandwidth_gbps,storage_gib,"
            + "on_demand_per_hour,spot_per_hour,interruption_rate_per_hour,boot_time";

    /**
     * The most bytes a price list may hold, 8 MiB, the bound the library keeps on every file it reads whole: a row
     * is about 100 bytes, so this is some 80,000 offers, more than any cloud sells.
     */
    static final int MAX_PRICE_LIST_BYTES = 8 * 1024 * 1024;
    /** The most bytes a line of the price list may hold: a row is about 100. */
    static final int MAX_LINE_BYTES = 4096;

    /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
    public KarpenterCloudFactory() {
        // Each create() builds its own client.
    }

    @Override
    public String name() {
        return "karpenter";
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "unknown setting '%s' for karpenter; known: %s", key, KEYS));
            }
        }
        String pool = required(settings, "node-pool");
        List<Offer> prices = priceList(Path.of(required(settings, "price-list")));
        String retentionSetting = settings.get(RECORD_RETENTION);
        Duration retention = retentionSetting == null ? KarpenterCloud.DEFAULT_RECORD_RETENTION
                : recordRetention(retentionSetting);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig()).build();
        try {
            return KarpenterCloud.builder(client, pool).priceList(prices)
                    .namespace(settings.getOrDefault("namespace", "default")).recordRetention(retention).build();
        } catch (RuntimeException e) {
            client.close();  // a refused setting must not leave the client's threads and connections behind
            throw e;
        }
    }

    /**
     * The client's settings as fabric8 finds them (kubeconfig, service account, system properties and
     * environment), without fabric8's own retries unless the environment names a limit: the library's guard
     * already retries each call with backoff, and fabric8's ten retries would hold a call to a cluster that
     * refuses connections for about 20 s before the guard sees the failure.
     */
    private static Config clientConfig() {
        Config config = Config.autoConfigure(null);
        String limit = Config.KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT_SYSTEM_PROPERTY;
        boolean named = System.getProperty(limit) != null
                || System.getenv(limit.toUpperCase(Locale.ROOT).replace('.', '_')) != null;
        if (!named) {
            config.setRequestRetryBackoffLimit(0);
        }
        return config;
    }

    private static String required(Map<String, String> settings, String key) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("karpenter needs the setting '" + key + "'");
        }
        return v;
    }

    /**
     * Reads the {@code record-retention} setting: a positive ISO-8601 duration, as the price list's boot
     * times are, of at most ten thousand years.
     *
     * @throws IllegalArgumentException naming the setting and its value when it is not one
     */
    static Duration recordRetention(String value) {
        Duration retention;
        try {
            retention = Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(refusal(value), e);
        }
        if (retention.isZero() || retention.isNegative()) {
            throw new IllegalArgumentException(refusal(value));
        }
        if (retention.compareTo(KarpenterCloud.MAX_RECORD_RETENTION) > 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the setting '%s' must be at most ten"
                    + " thousand years (P3652425D), was '%s'", RECORD_RETENTION, value));
        }
        return retention;
    }

    private static String refusal(String retention) {
        return String.format(Locale.ROOT, "the setting '%s' must be a positive ISO-8601 duration such as P7D or PT36H,"
                + " was '%s'", RECORD_RETENTION, retention);
    }

    /**
     * Reads a price list CSV: a regular file of at most {@link #MAX_PRICE_LIST_BYTES} bytes of UTF-8 (a byte order
     * mark at its start is skipped), each line at most {@link #MAX_LINE_BYTES} bytes.
     *
     * @throws IllegalArgumentException naming the file, and the line of a bad row (and the column and value of a
     *     cell that cannot be read) or of what is too long or not UTF-8; nothing is read from a path that is not a
     *     regular file
     */
    static List<Offer> priceList(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new IllegalArgumentException(file + ":1: the header must be " + HEADER);
        }
        List<Offer> out = new ArrayList<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] c = line.split(",", -1);
            try {
                if (c.length != 11) {
                    throw new IllegalArgumentException("expected 11 columns, found " + c.length);
                }
                OptionalDouble spot = c[8].isBlank() ? OptionalDouble.empty() : OptionalDouble.of(number(c, 8));
                Offer offer = new Offer(labelValue(c, 0), labelValue(c, 1), labelValue(c, 2), wholeNumber(c, 3),
                        number(c, 4), number(c, 5), number(c, 6), number(c, 7), spot,
                        spot.isPresent() ? number(c, 9) : 0, duration(c, 10));
                Integer first = lineOf.putIfAbsent(offer.instanceType() + "@" + offer.region(), n + 1);
                if (first != null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s in %s is priced on line %d already",
                            offer.instanceType(), offer.region(), first));
                }
                out.add(offer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: %s", file, n + 1, e.getMessage()), e);
            }
        }
        return out;
    }

    /** The name of a price list column, for a message about its cell. */
    private static String column(int i) {
        return HEADER.split(",")[i];
    }

    /**
     * A text cell: the instance type, family and region are the values of the labels an offer is checked on and
     * a claim asks for, so a cell that cannot be a label value (a quoted cell or one with spaces around it, as
     * the file is read without CSV quoting) would never match a pool's requirement, and its offer never be sold.
     */
    private static String labelValue(String[] cells, int i) {
        if (!LABEL_VALUE.matcher(cells[i]).matches()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "column %s: '%s' is not a Kubernetes label"
                    + " value (1 to 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit);"
                    + " write the cell bare, without quotes or spaces around it", column(i), cells[i]));
        }
        return cells[i];
    }

    private static int wholeNumber(String[] cells, int i) {
        try {
            return Integer.parseInt(cells[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "column %s: '%s' is not a whole number",
                    column(i), cells[i]), e);
        }
    }

    private static double number(String[] cells, int i) {
        try {
            return Double.parseDouble(cells[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "column %s: '%s' is not a number", column(i),
                    cells[i]), e);
        }
    }

    private static Duration duration(String[] cells, int i) {
        try {
            return Duration.parse(cells[i]);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "column %s: '%s' is not an ISO-8601 duration"
                    + " such as PT90S", column(i), cells[i]), e);
        }
    }

    /**
     * The lines of a price list, read to a bound: a line ends at {@code \n}, {@code \r\n} or a lone {@code \r},
     * as {@link Files#readAllLines} ends them. A pipe or a device is refused unopened (opening a named pipe waits
     * for a writer, and {@code /dev/zero} never ends), and the file is read to one byte past its limit at most, so
     * that one that grows while it is read is bounded too. The check is of the path before the open: Java opens no
     * file without waiting when it is a pipe ({@code O_NONBLOCK} is not an open option) and cannot tell what an
     * opened file is ({@code fstat}), so a file swapped for a pipe between the two waits for a writer. That takes
     * the right to write the price list's folder; the docs say to keep it in one only the host can write.
     */
    private static List<String> lines(Path file) {
        byte[] bytes;
        try {
            if (!Files.readAttributes(file, BasicFileAttributes.class).isRegularFile()) {
                throw new IllegalArgumentException(file + ": the price list is not a regular file (a directory, pipe,"
                        + " device or socket); nothing was read from it");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_PRICE_LIST_BYTES + 1);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the price list: " + e, e);
        }
        if (bytes.length > MAX_PRICE_LIST_BYTES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: the price list goes on past %d bytes,"
                    + " the most it may hold; nothing was read from it", file,
                    lineAt(bytes, MAX_PRICE_LIST_BYTES), MAX_PRICE_LIST_BYTES));
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        // A UTF-8 byte order mark, as spreadsheet programs write, is skipped as the module's other readers skip it.
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            int number = lines.size() + 1;
            if (end - start > MAX_LINE_BYTES) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: the line is longer than %d bytes,"
                        + " the most a line of the price list may hold (a row is about 100)", file, number, MAX_LINE_BYTES));
            }
            try {
                lines.add(utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: the line is not valid UTF-8",
                        file, number), e);
            }
            start = end < bytes.length && bytes[end] == '\r' && end + 1 < bytes.length && bytes[end + 1] == '\n'
                    ? end + 2 : end + 1;
        }
        return lines;
    }

    /** The line (from 1) that holds the byte at {@code index}, counting line ends as {@link #lines} does. */
    private static int lineAt(byte[] bytes, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                line++;
            }
        }
        return line;
    }
}
