package io.fleetpredict.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON the core library writes and reads beside its documents (the state store's intents, the audit
 * log, the accuracy report, the offers' digest), as plain Java values so that no package but this one and
 * the document codec sees the JSON library. Internal: no compatibility promise.
 *
 * <p>A tree is a {@link Map} of {@code String} keys (written in its iteration order), a {@link java.util.List},
 * a {@link String}, a {@link Number}, a {@link Boolean} or {@code null}. Reading is as strict as the
 * documents: a repeated key or anything after the value is refused, integers come back as {@code Integer},
 * {@code Long} or {@code BigInteger} and fractions as {@code BigDecimal}, so a count written {@code 2.9}
 * cannot pass for {@code 2}. The document codec writes its own trees, Jackson's, here too, so that every JSON text
 * the library writes for people is laid out alike.
 */
public final class Json {

    /**
     * The layout of every indented JSON text the library writes, its documents included: two spaces per level, one
     * member per line, {@code "key": value} with a blank after the colon and none before it (as jq,
     * {@code JSON.stringify} and Python's {@code json.dumps} write it, and as the docs' examples are written;
     * Jackson's default has a blank on both sides), an array's items on the line of its brackets ({@code [ 1, 2 ]}).
     * Jackson copies it for each text it writes, so one instance serves every thread.
     */
    private static final PrettyPrinter INDENTED = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    /**
     * Writes a tree on one line, without white space.
     *
     * @param tree the value
     * @return its JSON text
     * @throws IllegalArgumentException if the tree holds something other than the values above
     */
    public static String compact(@Nullable Object tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Writes a tree indented by two spaces, one member per line written {@code "key": value}, ending with a line
     * break: the layout of every indented JSON text the library writes, the documents' included.
     *
     * @param tree the value
     * @return its JSON text
     * @throws IllegalArgumentException if the tree holds something other than the values above
     */
    public static String pretty(@Nullable Object tree) {
        try {
            return MAPPER.writer(INDENTED).writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads one JSON value strictly.
     *
     * @param text the JSON text
     * @return the value as a tree of plain Java values; {@code null} for the literal {@code null}
     * @throws IllegalArgumentException starting {@code not valid JSON:} with the parser's reason, for
     *     text that is not exactly one JSON value, repeats a key, or holds a number no Java type can hold
     */
    public static @Nullable Object read(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage().replaceAll(
                    " \\(bound as `[^`]*`\\): not allowed as per `[^`]*`", ""), e);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not valid JSON: a number is out of range", e);
        }
    }
}
