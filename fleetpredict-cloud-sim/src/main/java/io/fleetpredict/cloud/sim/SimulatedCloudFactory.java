package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviderFactory;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates a {@link SimulatedCloud} on the system clock for {@code CloudProviders.load("sim", settings)}.
 *
 * <p>Settings (all optional): {@code seed} (a long), {@code default-quota} and {@code default-capacity}
 * (non-negative ints), {@code timeout-probability} (0 to 1). Any other key is rejected.
 */
public final class SimulatedCloudFactory implements CloudProviderFactory {

    static final String NAME = "sim";

    private static final Set<String> KEYS = Set.of("seed", "default-quota", "default-capacity", "timeout-probability");

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
                    case "seed" -> builder.seed(Long.parseLong(value));
                    case "default-quota" -> builder.defaultQuota(Integer.parseInt(value));
                    case "default-capacity" -> builder.defaultCapacity(Integer.parseInt(value));
                    case "timeout-probability" -> builder.timeoutAfterApplyProbability(Double.parseDouble(value));
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
