package io.fleetpredict.kubernetes;

import java.util.Locale;

/**
 * Text the API server sent (a status message, an object's field, a continue token, a stored record) as a
 * message quotes it. A message goes into log lines and audit trails, so what a server or whoever could write an
 * object chose must not forge a line there: control characters, line and paragraph separators and bidirectional
 * overrides are shown as <code>&#92;uXXXX</code>, and the text is cut to a bound, with its length said.
 */
final class ServerText {

    /** The most characters a message quotes of one text the server sent. */
    static final int QUOTED_CHARS = 512;

    private ServerText() {
    }

    /** The text escaped and cut to {@value #QUOTED_CHARS} characters. */
    static String quoted(String text) {
        return quoted(text, QUOTED_CHARS);
    }

    /**
     * The text escaped and cut once the escaped form reaches {@code most} characters (an escape is never split);
     * a cut text ends in {@code "... (N characters)"}, N the length of the whole.
     */
    static String quoted(String text, int most) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), most) + 32);
        int i = 0;
        while (i < text.length() && out.length() < most) {
            int c = text.codePointAt(i);
            if (forgesALine(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return i < text.length() ? out + String.format(Locale.ROOT, "... (%d characters)", text.length()) : out.toString();
    }

    private static boolean forgesALine(int c) {
        return Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }
}
