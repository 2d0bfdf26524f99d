package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.jspecify.annotations.Nullable;

/**
 * Stacked LSTM layers over a short sequence of input vectors, followed by a dense head on the last
 * hidden state of the top layer.
 *
 * <p>A mini-batch runs as matrices: at each step the layer input and the previous hidden state of all
 * {@code B} rows are concatenated into {@code z} ({@code B x (in + H)}) and one product
 * {@code z * W} ({@code W} is {@code (in + H) x 4H}) gives the pre-activations of the four gates, in the
 * column order input, forget, cell candidate, output. Element-wise work (activations, the cell update)
 * runs as tight loops over the backing arrays; every product goes through EJML.
 *
 * <p>The head may also read inputs that bypass the recurrence ({@code headInputs} per row, such as the
 * known future values of regressors over the horizon): it sees the last hidden state followed by them.
 *
 * <p>Mutable: the trainer updates the parameter matrices in place. Published models hold a copy.
 */
final class LstmNetwork {

    final int inputSize;
    final int hidden;
    final int layers;
    final int outputs;
    /** Inputs read by the head besides the last hidden state. */
    final int headInputs;
    /** Per layer, {@code (in + H) x 4H}. */
    final DMatrixRMaj[] weights;
    /** Per layer, {@code 1 x 4H}. */
    final DMatrixRMaj[] biases;
    /** {@code (H + headInputs) x outputs}. */
    final DMatrixRMaj headWeights;
    /** {@code 1 x outputs}. */
    final DMatrixRMaj headBias;

    LstmNetwork(int inputSize, int hidden, int layers, int outputs) {
        this(inputSize, hidden, layers, outputs, 0);
    }

    LstmNetwork(int inputSize, int hidden, int layers, int outputs, int headInputs) {
        this.headInputs = headInputs;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.layers = layers;
        this.outputs = outputs;
        weights = new DMatrixRMaj[layers];
        biases = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            weights[l] = new DMatrixRMaj(layerInput(l) + hidden, 4 * hidden);
            biases[l] = new DMatrixRMaj(1, 4 * hidden);
        }
        headWeights = new DMatrixRMaj(hidden + headInputs, outputs);
        headBias = new DMatrixRMaj(1, outputs);
    }

    /** Glorot-uniform weights, zero biases except a forget-gate bias of 1 (remember by default). */
    static LstmNetwork initialised(int inputSize, int hidden, int layers, int outputs, SplittableRandom rng) {
        return initialised(inputSize, hidden, layers, outputs, 0, rng);
    }

    static LstmNetwork initialised(int inputSize, int hidden, int layers, int outputs, int headInputs,
            SplittableRandom rng) {
        LstmNetwork net = new LstmNetwork(inputSize, hidden, layers, outputs, headInputs);
        for (int l = 0; l < layers; l++) {
            DMatrixRMaj w = net.weights[l];
            double a = Math.sqrt(6.0 / (w.numRows + w.numCols));
            for (int i = 0; i < w.data.length; i++) {
                w.data[i] = (2 * rng.nextDouble() - 1) * a;
            }
            for (int j = hidden; j < 2 * hidden; j++) {
                net.biases[l].data[j] = 1;
            }
        }
        double a = Math.sqrt(6.0 / (hidden + headInputs + outputs));
        for (int i = 0; i < net.headWeights.data.length; i++) {
            net.headWeights.data[i] = (2 * rng.nextDouble() - 1) * a;
        }
        return net;
    }

    int layerInput(int layer) {
        return layer == 0 ? inputSize : hidden;
    }

    /** The parameter blocks in a fixed order: per layer weights then bias, then head weights and bias. */
    List<DMatrixRMaj> parameters() {
        List<DMatrixRMaj> p = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            p.add(weights[l]);
            p.add(biases[l]);
        }
        p.add(headWeights);
        p.add(headBias);
        return p;
    }

    /** Zeroed matrices shaped like {@link #parameters()}. */
    List<DMatrixRMaj> zeroGradients() {
        List<DMatrixRMaj> g = new ArrayList<>();
        for (DMatrixRMaj p : parameters()) {
            g.add(new DMatrixRMaj(p.numRows, p.numCols));
        }
        return g;
    }

    LstmNetwork copy() {
        LstmNetwork c = new LstmNetwork(inputSize, hidden, layers, outputs, headInputs);
        List<DMatrixRMaj> to = c.parameters();
        List<DMatrixRMaj> from = parameters();
        for (int i = 0; i < to.size(); i++) {
            to.get(i).setTo(from.get(i));
        }
        return c;
    }

    /** What a forward pass keeps for the backward pass. */
    static final class Pass {
        final int batch;
        final int steps;
        /** [layer][step], {@code B x (in + H)}. */
        final DMatrixRMaj[][] z;
        /** [layer][step], {@code B x 4H}, activated gates i, f, g, o. */
        final DMatrixRMaj[][] gates;
        /** [layer][step], {@code B x H}. */
        final DMatrixRMaj[][] cell;
        final DMatrixRMaj[][] cellTanh;
        final DMatrixRMaj[][] h;
        /** {@code B x (H + headInputs)}: the last top hidden state, then the head's own inputs. */
        final DMatrixRMaj headIn;
        /** {@code B x outputs}. */
        final DMatrixRMaj output;

        Pass(int batch, int steps, DMatrixRMaj[][] z, DMatrixRMaj[][] gates, DMatrixRMaj[][] cell,
                DMatrixRMaj[][] cellTanh, DMatrixRMaj[][] h, DMatrixRMaj headIn, DMatrixRMaj output) {
            this.batch = batch;
            this.steps = steps;
            this.z = z;
            this.gates = gates;
            this.cell = cell;
            this.cellTanh = cellTanh;
            this.h = h;
            this.headIn = headIn;
            this.output = output;
        }
    }

    /**
     * Runs the network.
     *
     * @param inputs one {@code B x inputSize} matrix per step
     * @return the pass, whose {@code output} is {@code B x outputs}
     */
    Pass forward(DMatrixRMaj[] inputs) {
        return forward(inputs, null);
    }

    /**
     * Runs the network with inputs for the head.
     *
     * @param inputs one {@code B x inputSize} matrix per step
     * @param head {@code B x headInputs}, or null when {@code headInputs} is 0
     * @return the pass, whose {@code output} is {@code B x outputs}
     * @throws IllegalArgumentException if the head takes inputs and {@code head} is null
     */
    Pass forward(DMatrixRMaj[] inputs, @Nullable DMatrixRMaj head) {
        if (headInputs > 0 && head == null) {
            throw new IllegalArgumentException("the head takes " + headInputs + " inputs, none were given");
        }
        int steps = inputs.length;
        int batch = inputs[0].numRows;
        int hh = hidden;
        DMatrixRMaj[][] zs = new DMatrixRMaj[layers][steps];
        DMatrixRMaj[][] gates = new DMatrixRMaj[layers][steps];
        DMatrixRMaj[][] cells = new DMatrixRMaj[layers][steps];
        DMatrixRMaj[][] cellTanh = new DMatrixRMaj[layers][steps];
        DMatrixRMaj[][] hs = new DMatrixRMaj[layers][steps];
        for (int l = 0; l < layers; l++) {
            int in = layerInput(l);
            int width = in + hh;
            DMatrixRMaj w = weights[l];
            double[] b = biases[l].data;
            DMatrixRMaj hPrev = new DMatrixRMaj(batch, hh);
            DMatrixRMaj cPrev = new DMatrixRMaj(batch, hh);
            for (int t = 0; t < steps; t++) {
                DMatrixRMaj x = l == 0 ? inputs[t] : hs[l - 1][t];
                DMatrixRMaj z = new DMatrixRMaj(batch, width);
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(x.data, r * in, z.data, r * width, in);
                    System.arraycopy(hPrev.data, r * hh, z.data, r * width + in, hh);
                }
                DMatrixRMaj a = new DMatrixRMaj(batch, 4 * hh);
                CommonOps_DDRM.mult(z, w, a);
                DMatrixRMaj c = new DMatrixRMaj(batch, hh);
                DMatrixRMaj tc = new DMatrixRMaj(batch, hh);
                DMatrixRMaj h = new DMatrixRMaj(batch, hh);
                double[] ad = a.data;
                double[] cp = cPrev.data;
                for (int r = 0; r < batch; r++) {
                    int g0 = r * 4 * hh;
                    int s0 = r * hh;
                    for (int j = 0; j < hh; j++) {
                        double ig = sigmoid(ad[g0 + j] + b[j]);
                        double fg = sigmoid(ad[g0 + hh + j] + b[hh + j]);
                        double gg = Math.tanh(ad[g0 + 2 * hh + j] + b[2 * hh + j]);
                        double og = sigmoid(ad[g0 + 3 * hh + j] + b[3 * hh + j]);
                        ad[g0 + j] = ig;
                        ad[g0 + hh + j] = fg;
                        ad[g0 + 2 * hh + j] = gg;
                        ad[g0 + 3 * hh + j] = og;
                        double cv = fg * cp[s0 + j] + ig * gg;
                        double tcv = Math.tanh(cv);
                        c.data[s0 + j] = cv;
                        tc.data[s0 + j] = tcv;
                        h.data[s0 + j] = og * tcv;
                    }
                }
                zs[l][t] = z;
                gates[l][t] = a;
                cells[l][t] = c;
                cellTanh[l][t] = tc;
                hs[l][t] = h;
                hPrev = h;
                cPrev = c;
            }
        }
        DMatrixRMaj top = hs[layers - 1][steps - 1];
        DMatrixRMaj headIn;
        if (headInputs == 0 || head == null) { // checked above: no head only when it takes no inputs
            headIn = top;
        } else {
            headIn = new DMatrixRMaj(batch, hh + headInputs);
            for (int r = 0; r < batch; r++) {
                System.arraycopy(top.data, r * hh, headIn.data, r * (hh + headInputs), hh);
                System.arraycopy(head.data, r * headInputs, headIn.data, r * (hh + headInputs) + hh, headInputs);
            }
        }
        DMatrixRMaj output = new DMatrixRMaj(batch, outputs);
        CommonOps_DDRM.mult(headIn, headWeights, output);
        addRow(output, headBias.data);
        return new Pass(batch, steps, zs, gates, cells, cellTanh, hs, headIn, output);
    }

    /**
     * Back-propagates through time, adding the gradients of the loss to {@code grads}.
     *
     * @param pass a forward pass of this network with unchanged parameters
     * @param dOutput the gradient of the loss with respect to {@code pass.output}
     * @param grads matrices shaped like {@link #parameters()}, added to
     */
    void backward(Pass pass, DMatrixRMaj dOutput, List<DMatrixRMaj> grads) {
        int batch = pass.batch;
        int steps = pass.steps;
        int hh = hidden;
        CommonOps_DDRM.multAddTransA(pass.headIn, dOutput, grads.get(2 * layers));
        addColumnSums(dOutput, grads.get(2 * layers + 1).data);
        // dhFromAbove[t]: gradient reaching h[l][t] from the layer above (or the head); null where none does.
        @Nullable DMatrixRMaj[] dhFromAbove = new DMatrixRMaj[steps];
        DMatrixRMaj fromHead = new DMatrixRMaj(batch, hh);
        dhFromAbove[steps - 1] = fromHead;
        if (headInputs == 0) {
            CommonOps_DDRM.multTransB(dOutput, headWeights, fromHead);
        } else {
            DMatrixRMaj dHead = new DMatrixRMaj(batch, hh + headInputs);
            CommonOps_DDRM.multTransB(dOutput, headWeights, dHead);
            for (int r = 0; r < batch; r++) {
                System.arraycopy(dHead.data, r * (hh + headInputs), fromHead.data, r * hh, hh);
            }
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = layerInput(l);
            int width = in + hh;
            DMatrixRMaj w = weights[l];
            DMatrixRMaj gw = grads.get(2 * l);
            double[] gb = grads.get(2 * l + 1).data;
            @Nullable DMatrixRMaj @Nullable [] dhBelow = l > 0 ? new DMatrixRMaj[steps] : null;
            double[] dhNext = new double[batch * hh];
            double[] dcNext = new double[batch * hh];
            DMatrixRMaj da = new DMatrixRMaj(batch, 4 * hh);
            DMatrixRMaj dz = new DMatrixRMaj(batch, width);
            for (int t = steps - 1; t >= 0; t--) {
                double[] g = pass.gates[l][t].data;
                double[] tc = pass.cellTanh[l][t].data;
                double[] cPrev = t > 0 ? pass.cell[l][t - 1].data : null;
                DMatrixRMaj fromAbove = dhFromAbove[t];
                double[] above = fromAbove == null ? null : fromAbove.data;
                double[] d = da.data;
                for (int r = 0; r < batch; r++) {
                    int g0 = r * 4 * hh;
                    int s0 = r * hh;
                    for (int j = 0; j < hh; j++) {
                        int s = s0 + j;
                        double dh = dhNext[s] + (above == null ? 0 : above[s]);
                        double ig = g[g0 + j];
                        double fg = g[g0 + hh + j];
                        double gg = g[g0 + 2 * hh + j];
                        double og = g[g0 + 3 * hh + j];
                        double tcv = tc[s];
                        double dc = dcNext[s] + dh * og * (1 - tcv * tcv);
                        double cp = cPrev == null ? 0 : cPrev[s];
                        d[g0 + j] = dc * gg * ig * (1 - ig);
                        d[g0 + hh + j] = dc * cp * fg * (1 - fg);
                        d[g0 + 2 * hh + j] = dc * ig * (1 - gg * gg);
                        d[g0 + 3 * hh + j] = dh * tcv * og * (1 - og);
                        dcNext[s] = dc * fg;
                    }
                }
                CommonOps_DDRM.multAddTransA(pass.z[l][t], da, gw);
                addColumnSums(da, gb);
                CommonOps_DDRM.multTransB(da, w, dz);
                double[] dzd = dz.data;
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(dzd, r * width + in, dhNext, r * hh, hh);
                }
                if (dhBelow != null) {
                    DMatrixRMaj dx = new DMatrixRMaj(batch, in);
                    for (int r = 0; r < batch; r++) {
                        System.arraycopy(dzd, r * width, dx.data, r * in, in);
                    }
                    dhBelow[t] = dx;
                }
            }
            if (dhBelow != null) {
                dhFromAbove = dhBelow;
            }
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void addRow(DMatrixRMaj m, double[] row) {
        double[] d = m.data;
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                d[o + j] += row[j];
            }
        }
    }

    private static void addColumnSums(DMatrixRMaj m, double[] into) {
        double[] d = m.data;
        int cols = m.numCols;
        for (int r = 0; r < m.numRows; r++) {
            int o = r * cols;
            for (int j = 0; j < cols; j++) {
                into[j] += d[o + j];
            }
        }
    }
}
