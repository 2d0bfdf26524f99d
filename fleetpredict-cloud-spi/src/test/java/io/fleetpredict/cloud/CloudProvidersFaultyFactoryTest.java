package io.fleetpredict.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading providers when another factory on the class path is broken, or a factory answers null. */
class CloudProvidersFaultyFactoryTest {

    /** The test class path plus one more service file that registers the given factories. */
    private static ClassLoader withFactories(Path dir, String... classNames) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(CloudProviderFactory.class.getName()), String.join("\n", classNames) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, CloudProvidersFaultyFactoryTest.class.getClassLoader());
    }

    @Test
    void load_aWorkingProvider_whileAnotherFactoryFailsToConstruct_succeeds(@TempDir Path dir) throws IOException {
        ClassLoader loader = withFactories(dir, ThrowingProviderFactory.class.getName());
        assertEquals("echo", CloudProviders.load("echo", Map.of(), loader).name());
    }

    @Test
    void load_anUnknownName_whileAFactoryFailsToConstruct_namesTheBrokenFactory(@TempDir Path dir) throws IOException {
        ClassLoader loader = withFactories(dir, ThrowingProviderFactory.class.getName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloudProviders.load("broken", Map.of(), loader));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("echo")
                && e.getMessage().contains(ThrowingProviderFactory.class.getName()), e.getMessage());
    }

    @Test
    void load_aFactoryThatAnswersNull_isAnErrorNamingTheFactory(@TempDir Path dir) throws IOException {
        ClassLoader loader = withFactories(dir, NullProviderFactory.class.getName());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CloudProviders.load("null-answering", Map.of(), loader));
        assertTrue(e.getMessage().contains(NullProviderFactory.class.getName()), e.getMessage());
    }
}
