package io.fleetpredict.core.document;

import io.fleetpredict.core.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Identifies an input a plan was computed from (the instance catalogue, the SLA policies) by the
 * SHA-256 of its content and, optionally, where it came from.
 *
 * <p>JSON: {@code {"sha256", "source" (optional)}}. The hash decides whether two plans used the same
 * input; the source is a hint for people (a file name) and takes no part in the comparison of contents.
 *
 * @param sha256 the SHA-256 of the input's canonical text, 64 lowercase hexadecimal digits
 * @param source where the input came from (for example a file name), or {@code null} when unknown
 */
public record InputDigest(String sha256, @Nullable String source) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * Validates.
     *
     * @throws IllegalArgumentException when the hash is not 64 lowercase hexadecimal digits or the source is blank
     */
    public InputDigest {
        Objects.requireNonNull(sha256, "sha256");
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException(Checks.fmt(
                    "sha256: must be 64 lowercase hexadecimal digits, was \"%s\"", JsonIn.abbreviate(sha256)));
        }
        Checks.optionalText("source", source);
    }

    /**
     * Digests a document: the SHA-256 of the UTF-8 bytes of its canonical JSON, as written by
     * {@link Documents#write(Document)}. Documents that are equal as records have the same digest.
     *
     * @param document the document
     * @return its digest, without a source
     */
    public static InputDigest of(Document document) {
        return ofText(Documents.write(document));
    }

    /**
     * Digests a text: the SHA-256 of its UTF-8 bytes.
     *
     * @param text the canonical text of an input
     * @return its digest, without a source
     */
    public static InputDigest ofText(String text) {
        Objects.requireNonNull(text, "text");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return new InputDigest(HexFormat.of().formatHex(hash), null);
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256 (java.security.MessageDigest)
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Returns this digest with a source.
     *
     * @param source where the input came from, not blank, or {@code null} for none
     * @return a digest with the same hash and the given source
     */
    public InputDigest withSource(@Nullable String source) {
        return new InputDigest(sha256, source);
    }
}
