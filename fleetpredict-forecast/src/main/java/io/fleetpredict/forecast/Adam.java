package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;

import org.ejml.data.DMatrixRMaj;

/** The Adam optimiser (Kingma and Ba, 2015) with bias correction, updating parameter matrices in place. */
final class Adam {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final List<DMatrixRMaj> parameters;
    private final List<double[]> firstMoments = new ArrayList<>();
    private final List<double[]> secondMoments = new ArrayList<>();
    private final double learningRate;
    private int steps;

    Adam(List<DMatrixRMaj> parameters, double learningRate) {
        this.parameters = parameters;
        this.learningRate = learningRate;
        for (DMatrixRMaj p : parameters) {
            firstMoments.add(new double[p.data.length]);
            secondMoments.add(new double[p.data.length]);
        }
    }

    /** Applies one step with gradients shaped like the parameters. */
    void step(List<DMatrixRMaj> gradients) {
        steps++;
        double c1 = 1 - Math.pow(BETA1, steps);
        double c2 = 1 - Math.pow(BETA2, steps);
        double rate = learningRate * Math.sqrt(c2) / c1;
        for (int k = 0; k < parameters.size(); k++) {
            double[] p = parameters.get(k).data;
            double[] g = gradients.get(k).data;
            double[] m = firstMoments.get(k);
            double[] v = secondMoments.get(k);
            int n = parameters.get(k).getNumElements();
            for (int i = 0; i < n; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
                v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
                p[i] -= rate * m[i] / (Math.sqrt(v[i]) + EPSILON * Math.sqrt(c2));
            }
        }
    }

    /**
     * Scales the gradients down so that their global Euclidean norm is at most {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    static double clip(List<DMatrixRMaj> gradients, double maxNorm) {
        double sum = 0;
        for (DMatrixRMaj g : gradients) {
            int n = g.getNumElements();
            for (int i = 0; i < n; i++) {
                sum += g.data[i] * g.data[i];
            }
        }
        double norm = Math.sqrt(sum);
        if (norm > maxNorm) {
            double f = maxNorm / norm;
            for (DMatrixRMaj g : gradients) {
                int n = g.getNumElements();
                for (int i = 0; i < n; i++) {
                    g.data[i] *= f;
                }
            }
        }
        return norm;
    }
}
