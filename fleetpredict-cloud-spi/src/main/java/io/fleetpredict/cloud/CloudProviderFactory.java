package io.fleetpredict.cloud;

import java.util.Map;

/**
 * Creates a {@link CloudProvider} from string settings; registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services/io.fleetpredict.cloud.CloudProviderFactory} so that
 * {@link CloudProviders#load} finds it by name.
 *
 * <p>An implementer must have a public no-argument constructor, return a distinct {@link #name()}
 * from every other factory on the class path, and reject a setting it does not know with an
 * {@link IllegalArgumentException} naming the setting, rather than ignoring it.
 */
public interface CloudProviderFactory {

    /**
     * The name callers pass to {@link CloudProviders#load}.
     *
     * @return a short, stable name such as {@code sim}
     */
    String name();

    /**
     * Creates a provider.
     *
     * @param settings provider-specific settings, such as a region or a seed; never secrets in clear
     *     text if they can be read from the environment instead
     * @return a new provider
     * @throws IllegalArgumentException if a setting is unknown or malformed
     */
    CloudProvider create(Map<String, String> settings);
}
