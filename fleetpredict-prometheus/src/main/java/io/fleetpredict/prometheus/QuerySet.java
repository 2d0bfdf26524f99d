package io.fleetpredict.prometheus;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The PromQL expressions that make up a fleet's history, the step they are evaluated at, and which time each point
 * is dated ({@link Dating}).
 *
 * <p>Read from a query file ({@code docs/schemas/prometheus-queries.schema.json}):
 * <pre>{@code
 * {
 *   "schema_version": 1,
 *   "step": "PT15M",
 *   "dating": "step_start",
 *   "queries": [
 *     {"service": "checkout", "resource": "cpu", "unit": "cores",
 *      "promql": "sum(rate(container_cpu_usage_seconds_total{service=\"checkout\"}[15m]))"},
 *     {"service": "checkout", "activity": "transactions",
 *      "promql": "sum(increase(http_requests_total{service=\"checkout\",path=\"/pay\"}[15m]))"}
 *   ]
 * }
 * }</pre>
 *
 * @param step the step every expression is evaluated at; positive, whole milliseconds
 * <p>With {@code "dating": "step_start"} (or {@link Dating#STEP_START}) each expression, a window over one step, is
 * evaluated at the end of each step and its value dated at the step's start, as an {@code ActivityMonitor} and a
 * CSV history date a bucket; without it points are dated when they were evaluated ({@link Dating#EVALUATION_TIME}).
 *
 * @param step the step every expression is evaluated at; positive, whole milliseconds
 * @param queries the expressions, at least one, no series named twice
 * @param dating which time each point is dated
 */
public record QuerySet(Duration step, List<SeriesQuery> queries, Dating dating) {

    /** Strict: a field given twice, or anything after the document, is an error rather than read past. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    /** As for the library's documents: far above any real file, far below the memory. */
    private static final int MAX_FILE_BYTES = 8 << 20;
    /** The longest step: 10,000 Gregorian years, the span of the times a document holds (years 0000 to 9999). */
    private static final Duration MAX_STEP = Duration.ofDays(3_652_425);
    private static final Set<String> ROOT_FIELDS = Set.of("schema_version", "step", "dating", "queries");
    private static final Set<String> QUERY_FIELDS = Set.of("service", "resource", "unit", "activity", "promql");

    /**
     * Validates the set.
     *
     * @throws IllegalArgumentException if the step is not positive whole milliseconds of at most 10,000 years
     *     (3,652,425 days), there is no query,
     *     or two queries give the same series
     */
    public QuerySet {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(dating, "dating");
        if (step.isNegative() || step.isZero() || step.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("step must be positive whole milliseconds, was " + step);
        }
        if (step.compareTo(MAX_STEP) > 0) {
            // A range is computed in milliseconds, and a step near a long of them overflows; a step longer than
            // the years a document's times span (0000 to 9999) has no two points in any history anyway.
            throw new IllegalArgumentException("step must be at most " + MAX_STEP.toDays() + " days (10,000 years, "
                    + "the span of the times a document holds), was " + step);
        }
        queries = List.copyOf(queries);
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("queries must not be empty");
        }
        Set<String> seen = new HashSet<>();
        for (SeriesQuery q : queries) {
            String key = q instanceof SeriesQuery.Usage u ? u.service() + "." + u.type().name() : q.name();
            if (!seen.add(key)) {
                throw new IllegalArgumentException("series " + q.name() + " is given twice");
            }
        }
    }

    /**
     * A set whose points are dated when they were evaluated ({@link Dating#EVALUATION_TIME}).
     *
     * @param step the step every expression is evaluated at; positive, whole milliseconds
     * @param queries the expressions, at least one, no series named twice
     * @throws IllegalArgumentException as the canonical constructor
     */
    public QuerySet(Duration step, List<SeriesQuery> queries) {
        this(step, queries, Dating.EVALUATION_TIME);
    }

    /**
     * Reads a query file.
     *
     * @param file the file
     * @return the set
     * @throws InvalidDocumentException naming the file and the JSON path of the bad field, or the byte
     *     offset and line of a sequence that is not UTF-8, or if the file is larger than 8 MiB
     * @throws UncheckedIOException if the file cannot be read
     */
    public static QuerySet read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            if (bytes.length > MAX_FILE_BYTES) {
                throw bad("$", String.format(Locale.ROOT, "larger than %d bytes; a query file is far smaller",
                        MAX_FILE_BYTES));
            }
            return parse(utf8(bytes));
        } catch (InvalidDocumentException e) {
            throw new InvalidDocumentException(null, e.jsonPath(), file + ": " + e.problem(), e);
        }
    }

    /** Strict UTF-8; a bad sequence is named by its byte offset, its line and its bytes. */
    private static String utf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            StringJoiner sequence = new StringJoiner(" ");
            for (int i = at; i < at + result.length(); i++) {
                sequence.add(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
            }
            throw bad("$", String.format(Locale.ROOT, "not UTF-8 at byte offset %d (line %d): %s", at, line, sequence));
        }
        String text = out.flip().toString();
        // a byte order mark, which some editors write at the start of a UTF-8 file, is not part of the JSON
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /**
     * Parses a query file's text.
     *
     * @param json the JSON text
     * @return the set
     * @throws InvalidDocumentException naming the JSON path of the bad field
     */
    public static QuerySet parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidDocumentException(null, "$", (at == null ? "not JSON: " : String.format(Locale.ROOT,
                    "not JSON at line %d, column %d: ", at.getLineNr(), at.getColumnNr()))
                    // Jackson's note of where the text came from ("[Source: REDACTED ...]") says nothing to a reader.
                    + e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", ""), e);
        }
        if (root == null || !root.isObject()) {
            throw bad("$", "must be an object");
        }
        unknownFields(root, "$", ROOT_FIELDS);
        JsonNode version = root.get("schema_version");
        if (version == null || !version.isInt() || version.intValue() != 1) {
            throw bad("$.schema_version", "must be 1, was " + version);
        }
        Duration step;
        try {
            step = Duration.parse(text(root, "$", "step"));
        } catch (DateTimeParseException e) {
            throw bad("$.step", "must be an ISO-8601 duration such as PT15M, was \"" + root.get("step").asText() + "\"");
        }
        Dating dating = Dating.EVALUATION_TIME;
        if (root.has("dating")) {
            String d = text(root, "$", "dating");
            if (d.equals("step_start")) {
                dating = Dating.STEP_START;
            } else if (!d.equals("evaluation_time")) {
                throw bad("$.dating", "must be \"step_start\" or \"evaluation_time\", was \"" + d + "\"");
            }
        }
        JsonNode list = root.get("queries");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw bad("$.queries", "must be a non-empty array");
        }
        List<SeriesQuery> queries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            queries.add(query(list.get(i), String.format(Locale.ROOT, "$.queries[%d]", i)));
        }
        try {
            return new QuerySet(step, queries, dating);
        } catch (IllegalArgumentException e) {
            String problem = String.valueOf(e.getMessage());
            throw bad(problem.startsWith("step") ? "$.step" : "$.queries", problem);
        }
    }

    private static SeriesQuery query(JsonNode q, String path) {
        if (!q.isObject()) {
            throw bad(path, "must be an object");
        }
        unknownFields(q, path, QUERY_FIELDS);
        String service = text(q, path, "service");
        String promql = text(q, path, "promql");
        if (q.has("activity") == q.has("resource")) {
            throw bad(path, "needs exactly one of \"resource\" (with \"unit\") or \"activity\"");
        }
        if (q.has("activity")) {
            if (q.has("unit")) {
                throw bad(path + ".unit", "an activity has no unit");
            }
            return new SeriesQuery.Activity(service, text(q, path, "activity"), promql);
        }
        String resource = text(q, path, "resource");
        ResourceType type = ResourceType.find(resource).orElseThrow(() -> bad(path + ".resource",
                "unknown resource \"" + resource + "\"; expected cpu, memory, bandwidth or storage"));
        String unitName = text(q, path, "unit");
        ResourceUnit unit = ResourceUnit.find(unitName).orElseThrow(() -> bad(path + ".unit",
                "unknown unit \"" + unitName + "\""));
        if (!type.accepts(unit)) {
            throw bad(path + ".unit", "unit " + unit.symbol() + " does not measure " + type.jsonName());
        }
        return new SeriesQuery.Usage(service, type, unit, promql);
    }

    private static String text(JsonNode node, String path, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw bad(path + "." + field, "must be a non-blank string");
        }
        return v.textValue();
    }

    private static void unknownFields(JsonNode node, String path, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!known.contains(f)) {
                throw bad(path + "." + f, "unknown field; expected one of " + known.stream().sorted().toList());
            }
        }
    }

    private static InvalidDocumentException bad(String path, String problem) {
        return new InvalidDocumentException(null, path, problem);
    }
}
