package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClassicalDecompositionTest {

    @Test
    void seasonalScore_rareSmallSpikes_areASeasonNotAConstant() {
        // A level of 100 with a spike of 1e-5 every twelfth value: all.equal sees the spikes (1e-7 relative, above
        // its 1.49e-8), so R's thetaf tests the season. R 4.2.2, forecast 8.20:
        // y <- rep(100, 240); y[seq(12, 240, by = 12)] <- 100.00001; forecast:::is.constant(y) is FALSE;
        // r <- as.numeric(acf(y, lag.max = 12, plot = FALSE)$acf)[-1]; r[12] / sqrt((1 + 2 * sum(r[-12]^2)) / 240)
        // is 13.5895109839297.
        double[] y = new double[240];
        Arrays.fill(y, 100);
        for (int t = 11; t < y.length; t += 12) {
            y[t] = 100.00001;
        }
        assertEquals(13.5895109839297, ClassicalDecomposition.seasonalScore(y, 12), 1e-6);
    }
}
