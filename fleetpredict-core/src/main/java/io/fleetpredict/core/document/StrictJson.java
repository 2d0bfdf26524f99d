package io.fleetpredict.core.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fleetpredict.core.internal.Json;
import io.fleetpredict.core.internal.TextFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The one Jackson mapper of the codec, locked down for untrusted input: strict duplicate detection,
 * no trailing tokens, no NaN or Infinity, no comments or other leniencies, and small limits on nesting
 * depth, string, name and number length, document length and token count, so a hostile document fails
 * fast instead of exhausting memory or stack. Floats are read as {@code BigDecimal} so an out-of-range
 * number is noticed instead of becoming infinity.
 */
final class StrictJson {
    static final int MAX_NESTING_DEPTH = 32;
    static final int MAX_STRING_LENGTH = 16_384;
    static final int MAX_NAME_LENGTH = 256;
    /**
     * A number's length in characters as written, sign, point and exponent included ({@link #checkNumbers}):
     * Jackson's own limit counts only digits, so it is set to the document's length and never meets a number first.
     */
    static final int MAX_NUMBER_LENGTH = 40;
    static final long MAX_DOCUMENT_LENGTH = TextFiles.MAX_BYTES;
    /**
     * Follows from the length cap, so that no document within that cap is refused for its tokens alone: a token of
     * a document takes at least two characters, a one-digit number and the comma after it ({@code [0,0,0]}); only
     * a run of empty or nested brackets, which no document holds, takes fewer. It still bounds the tree built from
     * a hostile document to about four million nodes.
     */
    static final long MAX_TOKEN_COUNT = MAX_DOCUMENT_LENGTH / 2;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(MAX_STRING_LENGTH)
                            .maxNameLength(MAX_NAME_LENGTH)
                            .maxNumberLength((int) MAX_DOCUMENT_LENGTH)
                            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                            .maxTokenCount(MAX_TOKEN_COUNT)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonReadFeature.ALLOW_LEADING_ZEROS_FOR_NUMBERS)
            .disable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .disable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .disable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .disable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private StrictJson() {}

    /** Parses one JSON value; every failure is an {@link InvalidDocumentException} with path and position. */
    static JsonNode parse(String json, @Nullable DocumentKind kind) {
        if (json.length() > MAX_DOCUMENT_LENGTH) {
            throw new InvalidDocumentException(kind, "$", String.format(Locale.ROOT,
                    "document is longer than %d characters", MAX_DOCUMENT_LENGTH));
        }
        JsonParser parser = null;
        try {
            parser = MAPPER.createParser(json);
            checkNumbers(parser, kind);
            parser.close();
            parser = MAPPER.createParser(json);
            JsonNode root = MAPPER.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new InvalidDocumentException(kind, "$", "empty document");
            }
            if (parser.nextToken() != null) {
                throw new InvalidDocumentException(kind, "$",
                        "unexpected content after the document " + position(parser.currentTokenLocation()));
            }
            return root;
        } catch (JsonProcessingException e) {
            String path = parser == null ? "$" : path(parser.getParsingContext());
            JsonLocation at = e.getLocation() != null ? e.getLocation()
                    : parser == null ? null : parser.currentLocation();
            String what = e instanceof StreamConstraintsException ? "document exceeds a size limit " : "malformed JSON ";
            throw new InvalidDocumentException(kind, path, what + position(at) + ": " + originalMessage(e), e);
        } catch (NumberFormatException | ArithmeticException e) {
            // A number whose exponent does not fit an int (1e9999999999, 1e-2147483649) fails in BigDecimal,
            // outside Jackson's own error reporting; it is still a malformed document, at this place.
            String path = parser == null ? "$" : path(parser.getParsingContext());
            throw new InvalidDocumentException(kind, path, "number is out of range "
                    + position(parser == null ? null : parser.currentTokenLocation()), e);
        } catch (IOException e) {
            // Reading from a String does no I/O; this is here for the checked signature only.
            throw new UncheckedIOException(e);
        } finally {
            if (parser != null) {
                try {
                    parser.close();
                } catch (IOException ignored) {
                    // nothing to release for an in-memory parser
                }
            }
        }
    }

    /**
     * Reads the document's tokens once, refusing a number longer than {@value #MAX_NUMBER_LENGTH} characters as
     * written before any number is converted (converting a number of thousands of digits takes time that grows
     * faster than its length). A malformed document fails here as it would in the tree's reading, at the same place.
     */
    private static void checkNumbers(JsonParser parser, @Nullable DocumentKind kind) throws IOException {
        for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
            if (t.isNumeric() && parser.getTextLength() > MAX_NUMBER_LENGTH) {
                throw new InvalidDocumentException(kind, path(parser.getParsingContext()), String.format(Locale.ROOT,
                        "document exceeds a size limit %s: number is %d characters long, more than the %d a number"
                        + " may have", position(parser.currentTokenLocation()), parser.getTextLength(),
                        MAX_NUMBER_LENGTH));
            }
        }
    }

    /**
     * Writes a tree as indented JSON with a final newline, laid out as {@link Json#pretty} lays out every indented
     * text the library writes ({@code "key": value}), or without indentation when the indented text would be longer
     * than a reader takes: what this library writes it can read back. Indentation takes about a third of a large
     * document (a prediction for 25,000 services of four resources is 12.3 MB indented, 8.1 MB without).
     *
     * @throws InvalidDocumentException when even the text without indentation is longer than a reader takes;
     *     nothing is written then
     */
    static String write(JsonNode tree, DocumentKind kind) {
        String indented = Json.pretty(tree);
        if (utf8Length(indented) <= MAX_DOCUMENT_LENGTH) {
            return indented;
        }
        String compact = Json.compact(tree) + "\n";
        long bytes = utf8Length(compact);
        if (bytes > MAX_DOCUMENT_LENGTH) {
            throw new InvalidDocumentException(kind, "$", String.format(Locale.ROOT, "document would be %d bytes"
                    + " even without indentation, more than the %d a reader takes; it was not written", bytes,
                    MAX_DOCUMENT_LENGTH));
        }
        return compact;
    }

    /** The length of a text in UTF-8, what a file of it holds: never less than its length in chars. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Jackson's own words, without what only makes sense to a Jackson user: nested source locations and
     * the names of the settings behind a limit or a refused token (a document author cannot change them).
     */
    private static String originalMessage(JsonProcessingException e) {
        return e.getOriginalMessage()
                .replaceAll("\\s*\\(start marker at \\[Source:.*?\\]\\)", "")
                .replaceAll(", from `[^`]*`\\)", ")")
                .replaceAll(": enable `[^`]*` to allow", " (not allowed)");
    }

    private static String position(@Nullable JsonLocation location) {
        if (location == null) {
            return "";
        }
        return String.format(Locale.ROOT, "at line %d, column %d", location.getLineNr(), location.getColumnNr());
    }

    /** Converts Jackson's parsing context into a JSONPath such as {@code $.a[1].b}. */
    private static String path(JsonStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                segments.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject() && c.getCurrentName() != null) {
                segments.push(JsonIn.member(c.getCurrentName()));
            }
        }
        return "$" + String.join("", segments);
    }
}
