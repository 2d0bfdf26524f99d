package io.fleetpredict.cloud;

import java.util.Map;

/** A factory that answers null instead of a provider; registered only by tests. */
public final class NullProviderFactory implements CloudProviderFactory {

    @Override
    public String name() {
        return "null-answering";
    }

    @Override
    public CloudProvider create(Map<String, String> settings) {
        return null;
    }
}
