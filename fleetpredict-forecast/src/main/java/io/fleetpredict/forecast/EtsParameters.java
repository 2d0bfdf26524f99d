package io.fleetpredict.forecast;

/**
 * Smoothing parameters of an ETS model. Components a model lacks carry their neutral value: beta 0
 * without trend, gamma 0 without season, phi 1 without damping.
 */
record EtsParameters(double alpha, double beta, double gamma, double phi) {

    EtsParameters {
        if (!(Double.isFinite(alpha) && Double.isFinite(beta) && Double.isFinite(gamma) && Double.isFinite(phi))) {
            throw new IllegalArgumentException("smoothing parameters must be finite: alpha=" + alpha
                    + " beta=" + beta + " gamma=" + gamma + " phi=" + phi);
        }
    }
}
