package io.fleetpredict.cli;

import io.fleetpredict.cloud.CloudProvider;
import io.fleetpredict.cloud.CloudProviders;
import io.fleetpredict.cloud.Offer;
import io.fleetpredict.cloud.sim.MutableClock;
import io.fleetpredict.cloud.sim.SimulatedCloud;
import io.fleetpredict.core.document.ChangeAction;
import io.fleetpredict.core.document.ChangeStatus;
import io.fleetpredict.core.document.InstanceCatalogue;
import io.fleetpredict.core.document.ProvisionalChange;
import io.fleetpredict.cloud.PurchaseOption;
import io.fleetpredict.core.provision.GuardedCloud;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The cloud a command provisions on: {@code --provider NAME} found with {@link java.util.ServiceLoader}
 * ({@code sim}, the simulated cloud, by default), its {@code --provider-setting}s, for the simulated
 * cloud the {@code --catalog} it sells from, and for another the {@code --call-timeout} of its guard.
 */
final class ProviderOptions {

    static final String SIMULATED = "sim";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--provider", paramLabel = "NAME", defaultValue = SIMULATED,
            description = "the cloud provider, by its factory's name (default: ${DEFAULT-VALUE}, the simulated cloud)")
    String provider;

    @Option(names = "--provider-setting", paramLabel = "KEY=VALUE",
            description = "a setting of the provider's factory; repeatable")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = {"--catalog", "--catalogue"}, paramLabel = "FILE",
            description = "with the simulated cloud: the instance catalogue it sells from (default: its built-in one;"
                    + " for demo, the bundled sample's instance-catalogue.json)")
    @Nullable Path catalogue;

    @Option(names = "--call-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "with a provider other than the simulated cloud: how long one call may take before it "
                    + "counts as timed out, is reconciled by describe and retried, such as 2m (default: 30s); the "
                    + "intent grace follows the longest provision it allows")
    @Nullable Duration callTimeout;

    /** @return whether the simulated cloud was chosen */
    boolean simulated() {
        return SIMULATED.equals(provider);
    }

    /** The catalogue file's offers, if one was given. */
    Optional<InstanceCatalogue> catalogue() {
        return catalogue == null ? Optional.empty() : Optional.of(DocumentFiles.read(catalogue, InstanceCatalogue.class));
    }

    /**
     * The chosen provider. The simulated cloud is built in-process on the given clock, selling from the
     * catalogue file (or {@code fallback}, or its built-in catalogue); any other is loaded by name. Checks
     * {@code --call-timeout} first, before the command writes anything.
     */
    CloudProvider open(MutableClock clock, Optional<InstanceCatalogue> fallback) {
        Duration timeout = callTimeout;
        if (timeout != null && simulated()) {
            throw OptionValues.refused(spec, "--call-timeout", "is for a provider other than the simulated cloud, "
                    + "which answers at once");
        }
        if (timeout != null) {
            OptionValues.requirePositive(spec, "--call-timeout", timeout);
        }
        if (!simulated()) {
            if (catalogue != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                        "--catalog is for the simulated cloud; provider '%s' has its own offers", provider));
            }
            try {
                return CloudProviders.load(provider, settings);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--provider " + provider + ": " + e.getMessage());
            }
        }
        SimulatedCloud.Builder b = SimulatedCloud.builder().clock(clock);
        settings.forEach((k, v) -> {
            switch (k) {
                case "seed" -> b.seed(whole(k, v, Long.MIN_VALUE, Long.MAX_VALUE));
                case "default-quota" -> b.defaultQuota((int) whole(k, v, 0, Integer.MAX_VALUE));
                case "default-capacity" -> b.defaultCapacity((int) whole(k, v, 0, Integer.MAX_VALUE));
                case "timeout-probability" -> b.timeoutAfterApplyProbability(probability(k, v));
                default -> throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                        "--provider-setting %s=%s: unknown setting for the simulated cloud; known: seed, default-quota,"
                                + " default-capacity, timeout-probability", k, v));
            }
        });
        Optional<InstanceCatalogue> offers = catalogue().or(() -> fallback);
        try {
            offers.ifPresent(c -> b.catalogue(c.toCloudOffers()));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException((catalogue != null ? catalogue + ": " : "instance catalogue: ") + e.getMessage(), e);
        }
    }

    /** A setting's value as a whole number from {@code min} to {@code max}, or a usage error naming the setting. */
    private long whole(String key, String value, long min, long max) {
        String text = value.strip();
        if (!text.matches("[+-]?[0-9]+")) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--provider-setting %s=%s: not a whole number", key, value));
        }
        // Compared whole, so that a number too large for a long is out of range, as it is, not "not a number".
        java.math.BigInteger n = new java.math.BigInteger(text);
        if (n.compareTo(java.math.BigInteger.valueOf(min)) < 0 || n.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--provider-setting %s=%s: must be from %d to %d", key, value, min, max));
        }
        return n.longValueExact();
    }

    /** A setting's value as a decimal number from 0 to 1, or a usage error naming the setting. */
    private double probability(String key, String value) {
        double p;
        try {
            p = DecimalNumbers.parse(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--provider-setting %s=%s: not a decimal number", key, value));
        }
        if (!(p >= 0 && p <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.format(Locale.ROOT,
                    "--provider-setting %s=%s: must be from 0 to 1", key, value));
        }
        return p;
    }

    /**
     * The provider guarded as the loop uses it: the simulated cloud answers at once and waits in simulated
     * time; a real one gets the guard's call timeout and real waits.
     */
    GuardedCloud guarded(CloudProvider cloud, MutableClock clock) {
        GuardedCloud.Builder b = GuardedCloud.builder(cloud);
        if (simulated()) {
            return b.callTimeout(Duration.ZERO).sleeper(clock::advance).build();
        }
        Duration timeout = callTimeout;
        return (timeout == null ? b : b.callTimeout(timeout)).build();
    }

    /**
     * The proposed launches whose offer the provider does not sell: no such instance type in the region,
     * or no spot market for a spot change. One line per change, naming it.
     */
    static List<String> missingOffers(List<ProvisionalChange> changes, List<Offer> offers) {
        List<String> missing = new ArrayList<>();
        for (ProvisionalChange c : changes) {
            if (c.status() != ChangeStatus.PROPOSED || c.action() == ChangeAction.SCALE_IN) {
                continue;
            }
            Optional<Offer> offer = offers.stream()
                    .filter(o -> o.instanceType().equals(c.instanceType()) && o.region().equals(c.region())).findFirst();
            String what = String.format(Locale.ROOT, "%s (%s): %d x %s in %s, %s", c.id(), c.service(), c.count(),
                    c.instanceType(), c.region(), c.purchaseOption().jsonName());
            if (offer.isEmpty()) {
                List<String> regions = offers.stream().filter(o -> o.instanceType().equals(c.instanceType()))
                        .map(Offer::region).distinct().sorted().toList();
                missing.add(what + ": not offered in " + c.region()
                        + (regions.isEmpty() ? "; no region offers it" : "; offered in " + String.join(", ", regions)));
            } else if (c.purchaseOption() == PurchaseOption.SPOT && !offer.get().spotAvailable()) {
                missing.add(what + ": no spot market for it");
            }
        }
        return missing;
    }
}
