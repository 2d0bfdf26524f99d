package io.fleetpredict.core.document;

/**
 * One of the JSON documents fleetpredict reads and writes.
 *
 * <p>Read and write documents with {@link Documents}.
 */
public sealed interface Document
        permits PredictedFleetState, FleetState, ProvisionalFleetState, SlaPolicies, EventFeed,
                InstanceCatalogue, OverrideSet {

    /**
     * Returns which document this is.
     *
     * @return the document kind
     */
    DocumentKind kind();
}
