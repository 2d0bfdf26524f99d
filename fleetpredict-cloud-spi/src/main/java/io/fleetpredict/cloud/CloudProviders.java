package io.fleetpredict.cloud;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** Finds {@link CloudProviderFactory} implementations with {@link ServiceLoader} and creates providers by name. */
public final class CloudProviders {

    private CloudProviders() {
    }

    /**
     * Creates a provider with the factory of the given name found on the context class loader.
     *
     * @param name the factory's {@link CloudProviderFactory#name()}
     * @param settings the factory's settings
     * @return a new provider
     * @throws IllegalArgumentException if no factory has that name (the message lists those found), or
     *     the factory rejects the settings
     * @throws IllegalStateException if two factories share a name
     */
    public static CloudProvider load(String name, Map<String, String> settings) {
        return load(name, settings, Thread.currentThread().getContextClassLoader());
    }

    /**
     * Creates a provider with the factory of the given name found on the given class loader.
     *
     * @param name the factory's {@link CloudProviderFactory#name()}
     * @param settings the factory's settings
     * @param loader where to look for factories; {@code null} means the system class loader
     * @return a new provider
     * @throws IllegalArgumentException if no factory has that name, or the factory rejects the settings
     * @throws IllegalStateException if two factories share a name
     */
    public static CloudProvider load(String name, Map<String, String> settings, ClassLoader loader) {
        Objects.requireNonNull(name, "name");
        Map<String, String> copy = Checks.stringMap(settings, "settings");
        Map<String, CloudProviderFactory> factories = factories(loader);
        CloudProviderFactory factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("no cloud provider named '" + name + "'; found " + factories.keySet());
        }
        return factory.create(copy);
    }

    /**
     * The names of the factories found on the context class loader.
     *
     * @return the names, sorted
     * @throws IllegalStateException if two factories share a name
     */
    public static Set<String> available() {
        return factories(Thread.currentThread().getContextClassLoader()).keySet();
    }

    private static Map<String, CloudProviderFactory> factories(ClassLoader loader) {
        Map<String, CloudProviderFactory> byName = new TreeMap<>();
        for (CloudProviderFactory factory : ServiceLoader.load(CloudProviderFactory.class, loader)) {
            CloudProviderFactory previous = byName.putIfAbsent(factory.name(), factory);
            if (previous != null) {
                throw new IllegalStateException("two cloud provider factories are named '" + factory.name() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return java.util.Collections.unmodifiableMap(byName);
    }
}
