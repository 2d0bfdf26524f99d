package io.fleetpredict.cloud.sim;

import io.fleetpredict.cloud.Instance;
import io.fleetpredict.cloud.InstanceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The snapshots a mutation returned, kept as each instance's state and settings at the time rather than as
 * {@link Instance} records: everything else in a snapshot is fixed at launch, every launch's result is
 * remembered as long as any of its instances is (for the cloud's life by default), and a replay under its
 * key, which rebuilds them, is rare. The settings maps are the instances' own immutable copies, shared, not
 * copied.
 */
final class RecordedSnapshots {

    private final SimulatedInstance[] instances;
    private final InstanceState[] states;
    private final List<Map<String, String>> configurations;

    /** Records {@code snapshots}, the i-th one taken of the i-th of {@code instances}. */
    RecordedSnapshots(List<SimulatedInstance> instances, List<Instance> snapshots) {
        if (instances.size() != snapshots.size()) {
            throw new IllegalArgumentException(instances.size() + " instances for " + snapshots.size() + " snapshots");
        }
        this.instances = instances.toArray(new SimulatedInstance[0]);
        this.states = new InstanceState[snapshots.size()];
        this.configurations = new ArrayList<>(snapshots.size());
        for (int i = 0; i < states.length; i++) {
            states[i] = snapshots.get(i).state();
            configurations.add(snapshots.get(i).configuration());
        }
    }

    /** Snapshots equal to those recorded, in their order. */
    List<Instance> rebuild() {
        List<Instance> snapshots = new ArrayList<>(instances.length);
        for (int i = 0; i < instances.length; i++) {
            snapshots.add(instances[i].snapshotAs(states[i], configurations.get(i)));
        }
        return snapshots;
    }
}
