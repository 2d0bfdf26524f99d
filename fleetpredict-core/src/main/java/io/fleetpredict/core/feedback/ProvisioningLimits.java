package io.fleetpredict.core.feedback;

/**
 * The limits a provisioner enforces, as a forced provisioning sees them. The provisioner implements it and
 * asks {@link ExpertOverrides#force} how much of a forced request it may carry out.
 */
public interface ProvisioningLimits {

    /**
     * Returns how many more instances of a type the service may have under every hard cap (quotas, the
     * service's maximum, the budget's hard limit).
     *
     * @param service the service
     * @param instanceType the instance type
     * @return the headroom in instances; 0 or less when a cap is already reached
     */
    int maxAdditionalInstances(String service, String instanceType);

    /**
     * Returns what running some instances of a type costs.
     *
     * @param instanceType the instance type
     * @param count how many
     * @return the cost per hour, finite and not negative
     */
    double costPerHour(String instanceType, int count);

    /**
     * Returns the cost above which changes need approval.
     *
     * @return the threshold per hour: 0 or more, or positive infinity for none; a NaN or negative one makes
     *     {@link ExpertOverrides#force} refuse every request, saying so
     */
    double costThresholdPerHour();
}
