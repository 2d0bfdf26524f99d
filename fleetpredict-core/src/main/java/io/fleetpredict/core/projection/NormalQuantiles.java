package io.fleetpredict.core.projection;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.document.ResourceRequirement;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Quantiles of a predicted requirement between and beyond its documented p50, p90 and p99, by linear
 * interpolation in standard-normal z-scores: exact when the forecast distribution is normal, and
 * monotone in the quantile whatever it is. Also the expected shortfall of capacity under the normal
 * distribution those quantiles imply.
 */
final class NormalQuantiles {

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);
    static final double Z90 = STANDARD.inverseCumulativeProbability(0.9);
    static final double Z99 = STANDARD.inverseCumulativeProbability(0.99);

    private NormalQuantiles() {
    }

    static double z(double probability) {
        return STANDARD.inverseCumulativeProbability(probability);
    }

    /**
     * The requirement at a probability in [0.5, 1), in the canonical unit of its type. The median is
     * {@code p50}, or {@code quantity} when {@code p50} is absent; with no quantile above the median the
     * requirement is the median at every probability.
     */
    static double at(ResourceRequirement r, double probability) {
        double z = z(probability);
        double[] zs = new double[3];
        double[] vs = new double[3];
        int n = 0;
        zs[n] = 0;
        vs[n++] = r.p50() != null ? r.p50() : r.quantity();
        if (r.p90() != null) {
            zs[n] = Z90;
            vs[n++] = r.p90();
        }
        if (r.p99() != null) {
            zs[n] = Z99;
            vs[n++] = r.p99();
        }
        double value;
        if (n == 1 || z <= 0) {
            value = vs[0];
        } else {
            int hi = 1;
            while (hi < n - 1 && z > zs[hi]) {
                hi++;
            }
            int lo = hi - 1;
            value = vs[lo] + (vs[hi] - vs[lo]) * (z - zs[lo]) / (zs[hi] - zs[lo]);
        }
        return new ResourceAmount(r.resourceType(), Math.max(0, value), r.units()).inCanonicalUnit().amount();
    }

    /** The standard deviation of the normal distribution with the requirement's median and 99th percentile. */
    static double sigma(ResourceRequirement r) {
        return Math.max(0, (at(r, 0.99) - at(r, 0.5)) / Z99);
    }

    /** E[(D - capacity)+] for D normal with the given mean and standard deviation. */
    static double expectedShortfall(double mean, double sigma, double capacity) {
        if (sigma <= 0) {
            return Math.max(0, mean - capacity);
        }
        double k = (capacity - mean) / sigma;
        return sigma * (STANDARD.density(k) - k * (1 - STANDARD.cumulativeProbability(k)));
    }
}
