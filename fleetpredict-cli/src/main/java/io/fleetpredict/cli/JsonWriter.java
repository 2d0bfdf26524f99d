package io.fleetpredict.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the command's own JSON output (maps, lists, strings, numbers, booleans) with stable key order.
 * Numbers are written as {@link Numbers#json} says: six significant digits at most, no float noise.
 *
 * <p>Documents (fleet states, predictions, plans, policies) go through core's codec. The reports the command
 * prints (evaluate's scores, a forecast, a replay's comparison, validation results, a provisioning run) are
 * not documents: they have no schema version and are never read back, and most are not core's at all (the
 * forecasting library's scores, the replay's runs). Writing them with core's codec would mean a general
 * JSON-tree facility in core's public API, the machinery the codec exists to hide, and would change the
 * printed bytes (Jackson's layout, full-precision numbers) that scripts and {@code docs/cli.md} rely on. So
 * this is the command's one writer for what it composes, and reports a library already writes as JSON (the
 * accuracy report) only have their numbers put under the same rule ({@link #roundNumbers}).
 */
final class JsonWriter {

    private JsonWriter() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    /**
     * JSON text with every number that has a fraction or an exponent rewritten as {@link Numbers#json} writes
     * it; strings and whole numbers are left as they are. For documents written elsewhere, such as core's
     * reports, so that what the command prints follows one rule.
     */
    static String roundNumbers(String json) {
        StringBuilder out = new StringBuilder(json.length());
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (json.charAt(end) != '"') {
                    end += json.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(json, i, end + 1);
                i = end + 1;
            } else if (c == '-' || c >= '0' && c <= '9') {
                int end = i + 1;
                while (end < json.length() && "+-.eE0123456789".indexOf(json.charAt(end)) >= 0) {
                    end++;
                }
                String number = json.substring(i, end);
                boolean whole = number.chars().noneMatch(ch -> ch == '.' || ch == 'e' || ch == 'E');
                out.append(whole ? number : Numbers.json(Double.parseDouble(number)));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void write(Object value, StringBuilder out, int indent) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Number n) {
            number(n.doubleValue(), out);
        } else if (value instanceof double[] a) {
            out.append('[');
            for (int i = 0; i < a.length; i++) {
                if (i > 0) {
                    out.append(", ");
                }
                number(a[i], out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                pad(out, indent + 1);
                string(String.valueOf(e.getKey()), out);
                out.append(": ");
                write(e.getValue(), out, indent + 1);
                out.append(++i < map.size() ? ",\n" : "\n");
            }
            pad(out, indent);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                pad(out, indent + 1);
                write(list.get(i), out, indent + 1);
                out.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            pad(out, indent);
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    private static void number(double d, StringBuilder out) {
        if (!Double.isFinite(d)) {
            // JSON has no NaN or infinity; a report never should either, but null beats invalid output.
            out.append("null");
        } else {
            out.append(Numbers.json(d));
        }
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void pad(StringBuilder out, int indent) {
        out.append("  ".repeat(indent));
    }
}
