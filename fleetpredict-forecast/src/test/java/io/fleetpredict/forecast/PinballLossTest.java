package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The pinball loss and its gradient on a batch worked by hand: two rows, two steps, quantiles 0.2 and 0.7,
 * so eight terms whose errors {@code u = target - prediction} are 1, -0.5, 0, -0.2 (first row) and 0, -2, 3,
 * -0.2 (second row), in the order of the prediction columns {@code h * Q + q}.
 */
class PinballLossTest {

    private static final double[] QUANTILES = {0.2, 0.7};

    private static DMatrixRMaj prediction() {
        return new DMatrixRMaj(2, 4, true, 0, 1.5, 2, 2.2, 3, 5, 1, 4.2);
    }

    private static DMatrixRMaj target() {
        return new DMatrixRMaj(2, 2, true, 1, 2, 3, 4);
    }

    @Test
    void evaluate_sharpKink_isTheMeanPinballLossWithTheUpperSlopeAtZero() {
        // Weights tau = 0.2 where u >= 0 and 1 - tau = 0.3 where u < 0 (quantile 0.7):
        // 0.2 + 0.15 + 0 + 0.06 + 0 + 0.6 + 0.6 + 0.06 = 1.67 over 8 terms.
        DMatrixRMaj gradient = new DMatrixRMaj(2, 4);
        assertEquals(1.67 / 8, new PinballLoss(QUANTILES, 0).evaluate(prediction(), target(), gradient), 1e-15);
        // d loss / d prediction = -(slope) / 8; at u = 0 the slope is tau's, as the loss is tau u for u >= 0.
        assertArrayEquals(new double[] {-0.2 / 8, 0.3 / 8, -0.2 / 8, 0.3 / 8, -0.2 / 8, 0.3 / 8, -0.2 / 8, 0.3 / 8},
                gradient.data, 1e-15);
    }

    @Test
    void evaluate_roundedKink_isQuadraticWithinDeltaAndShiftedBeyond() {
        // delta = 0.5: w u^2 / (2 delta) = w u^2 within |u| <= 0.5, w (|u| - 0.25) beyond:
        // 0.2 * 0.75 + 0.3 * 0.25 + 0 + 0.3 * 0.04 + 0 + 0.3 * 1.75 + 0.2 * 2.75 + 0.3 * 0.04 = 1.324 over 8.
        DMatrixRMaj gradient = new DMatrixRMaj(2, 4);
        assertEquals(1.324 / 8, new PinballLoss(QUANTILES, 0.5).evaluate(prediction(), target(), gradient), 1e-15);
        // Slopes w u / delta within, +-w beyond: 0.2, -0.3, 0, -0.12, 0, -0.3, 0.2, -0.12.
        assertArrayEquals(new double[] {-0.2 / 8, 0.3 / 8, 0, 0.12 / 8, 0, 0.3 / 8, -0.2 / 8, 0.12 / 8},
                gradient.data, 1e-15);
        assertEquals(1.324 / 8, new PinballLoss(QUANTILES, 0.5).evaluate(prediction(), target(), null), 1e-15);
    }
}
