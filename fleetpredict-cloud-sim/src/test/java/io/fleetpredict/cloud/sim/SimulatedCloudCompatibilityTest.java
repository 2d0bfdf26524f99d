package io.fleetpredict.cloud.sim;

/** Runs the compatibility kit against the simulated cloud, with its clock under the kit's control. */
class SimulatedCloudCompatibilityTest extends SimulatedCloudKit {
}
