package io.fleetpredict.cloud;

import java.util.Map;

/** A factory whose construction fails, as a plugin with a missing dependency's would; registered only by tests. */
public final class ThrowingProviderFactory implements CloudProviderFactory {

    /** Fails at once. */
    public ThrowingProviderFactory() {
        throw new IllegalStateException("the broken plugin's driver is missing");
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        throw new AssertionError("never constructed");
    }
}
