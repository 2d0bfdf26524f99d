package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviderFactory;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates a {@link SimulatedCloud} on the system clock for {@code CloudProviders.load("sim", settings)}.
 *
 * <p>Settings (all optional): {@code seed} (a long), {@code default-quota} and {@code default-capacity}
 * (non-negative ints), each an optional sign and the digits 0 to 9; {@code timeout-probability} (0 to 1), a plain
 * decimal number such as {@code 0.25} or {@code 5e-1}. Any other key or value is rejected, naming the key.
 */
public final class SimulatedCloudFactory implements CloudProviderFactory {

    static final String NAME = "sim";

    private static final Set<String> KEYS = Set.of("seed", "default-quota", "default-capacity", "timeout-probability");

    /** An optional sign and the digits 0 to 9 (a {@code Pattern}'s {@code [0-9]}, never a Unicode digit). */
    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");

    /** Digits with an optional sign, decimal point and exponent: {@code 0.25}, {@code .5}, {@code 1}, {@code 5e-1}. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** Creates the factory; {@link java.util.ServiceLoader} calls this. */
    public SimulatedCloudFactory() {
        // Nothing to set up: each create() builds an independent cloud.
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        SimulatedCloud.Builder builder = SimulatedCloud.builder();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String key = setting.getKey();
            String value = setting.getValue();
            try {
                switch (key) {
                    case "seed" -> builder.seed(Long.parseLong(whole(value)));
                    case "default-quota" -> builder.defaultQuota(count(key, value));
                    case "default-capacity" -> builder.defaultCapacity(count(key, value));
                    case "timeout-probability" -> builder.timeoutAfterApplyProbability(probability(key, value));
                    default -> throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "unknown setting '%s' for the simulated cloud; known: %s", shown(key), KEYS));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "setting '%s' is not a number: '%s'", key, shown(value)), e);
            }
        }
        return builder.build();
    }

    /**
     * The text of a whole number: an optional sign and the digits 0 to 9. {@code Long.parseLong} alone also reads
     * other Unicode digits ({@code ٣} as 3), which a setting written in a file or on a command line does not mean.
     */
    private static String whole(String value) {
        if (!WHOLE.matcher(value).matches()) {
            throw new NumberFormatException("not a whole number of the digits 0 to 9");
        }
        return value;
    }

    /** A non-negative int setting. */
    private static int count(String key, String value) {
        int n = Integer.parseInt(whole(value));
        if (n < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "setting '%s' must be from 0 to %d: '%s'", key, Integer.MAX_VALUE, shown(value)));
        }
        return n;
    }

    /**
     * A probability written as a plain decimal number from 0 to 1. {@code Double.parseDouble} alone also reads
     * {@code 0x1p-1}, {@code 1d}, {@code NaN} and {@code Infinity}, none of them what a setting means.
     */
    private static double probability(String key, String value) {
        if (!DECIMAL.matcher(value).matches()) {
            throw new NumberFormatException("not a plain decimal number");
        }
        double p = Double.parseDouble(value);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "setting '%s' must be from 0 to 1: '%s'", key, shown(value)));
        }
        return p;
    }

    /**
     * A setting as a message shows it: a control, line separator or bidirectional formatting character written as
     * its escape ({@code \\u000a}), so a message that is logged stays one line and cannot forge another.
     */
    private static String shown(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E)
                    || (c >= 0x2066 && c <= 0x2069)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
