package io.fleetpredict.core.provision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency keys derived from what a call is for, never from when or how often it is tried: the
 * same launch planned again after a crash or a lost answer gets the same key, so the cloud launches
 * it at most once.
 */
final class IdempotencyKeys {

    private IdempotencyKeys() {
    }

    static String derive(String prefix, Object... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        for (Object part : parts) {
            byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            digest.update((byte) ':');
            digest.update(bytes);
        }
        return prefix + "-" + HexFormat.of().formatHex(digest.digest(), 0, 16);
    }
}
