package io.fleetpredict.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
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
     * @throws IllegalArgumentException if no factory has that name (the message lists those found and
     *     names the factories that could not be constructed), or the factory rejects the settings
     * @throws IllegalStateException if two factories share a name, or the factory answers null
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
     * @throws IllegalStateException if two factories share a name, or the factory answers null
     */
    public static CloudProvider load(String name, Map<String, String> settings, ClassLoader loader) {
        Objects.requireNonNull(name, "name");
        Map<String, String> copy = Checks.stringMap(settings, "settings");
        List<ServiceConfigurationError> broken = new ArrayList<>();
        Map<String, CloudProviderFactory> factories = factories(loader, broken);
        CloudProviderFactory factory = factories.get(name);
        if (factory == null) {
            IllegalArgumentException e = new IllegalArgumentException("no cloud provider named '" + name + "'; found "
                    + factories.keySet() + (broken.isEmpty() ? "" : "; " + broken.size()
                    + " factories could not be constructed, the first: " + broken.get(0).getMessage()));
            broken.forEach(e::addSuppressed);
            throw e;
        }
        CloudProvider provider = factory.create(copy);
        if (provider == null) {
            throw new IllegalStateException("cloud provider factory '" + name + "' (" + factory.getClass().getName()
                    + ") answered null instead of a provider");
        }
        return provider;
    }

    /**
     * The names of the factories found on the context class loader that can be constructed.
     *
     * @return the names, sorted
     * @throws IllegalStateException if two factories share a name
     */
    public static Set<String> available() {
        return factories(Thread.currentThread().getContextClassLoader(), new ArrayList<>()).keySet();
    }

    private static Map<String, CloudProviderFactory> factories(ClassLoader loader, List<ServiceConfigurationError> broken) {
        Map<String, CloudProviderFactory> byName = new TreeMap<>();
        // One factory that cannot be constructed (a plugin missing its driver) must not hide the others:
        // each is constructed on its own and its failure kept for the message of a name not found.
        for (ServiceLoader.Provider<CloudProviderFactory> found
                : ServiceLoader.load(CloudProviderFactory.class, loader).stream().toList()) {
            CloudProviderFactory factory;
            try {
                factory = found.get();
            } catch (ServiceConfigurationError e) {
                broken.add(e);
                continue;
            }
            CloudProviderFactory previous = byName.putIfAbsent(factory.name(), factory);
            if (previous != null) {
                throw new IllegalStateException("two cloud provider factories are named '" + factory.name() + "': "
                        + previous.getClass().getName() + " and " + factory.getClass().getName());
            }
        }
        return java.util.Collections.unmodifiableMap(byName);
    }
}
