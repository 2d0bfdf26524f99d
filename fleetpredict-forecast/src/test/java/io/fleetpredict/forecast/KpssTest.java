package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * KPSS statistics compared with urca (the package forecast's ndiffs calls), R 4.2.2:
 * {@code urca::ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(length(x)) / 13))@teststat}, and the
 * difference counts with {@code forecast::ndiffs(x)} (forecast 8.20, test "kpss", alpha 0.05).
 */
class KpssTest {

    @Test
    void statistic_lh_matchesUrca() {
        assertEquals(0.367889110815, Kpss.statistic(RDatasets.LH), 1e-9);
        assertEquals(0, Kpss.differences(RDatasets.LH, 2));
    }

    @Test
    void statistic_lakeHuron_matchesUrca() {
        assertEquals(1.22121856939, Kpss.statistic(RDatasets.LAKE_HURON), 1e-9);
        assertEquals(1, Kpss.differences(RDatasets.LAKE_HURON, 2));
    }

    @Test
    void statistic_wwwUsageAndItsDifference_matchUrca() {
        assertEquals(0.721974318082, Kpss.statistic(RDatasets.WWWUSAGE), 1e-9);
        double[] d = new double[99];
        for (int i = 0; i < 99; i++) {
            d[i] = RDatasets.WWWUSAGE[i + 1] - RDatasets.WWWUSAGE[i];
        }
        assertEquals(0.263519398751, Kpss.statistic(d), 1e-9);
        assertEquals(1, Kpss.differences(RDatasets.WWWUSAGE, 2));
    }

    @Test
    void statistic_usAccDeaths_matchesUrca() {
        assertEquals(0.291233804186, Kpss.statistic(RDatasets.USACCDEATHS), 1e-9);
        assertEquals(0, Kpss.differences(RDatasets.USACCDEATHS, 2));
    }

    @Test
    void differences_constantSeries_isZero() {
        assertEquals(0, Kpss.differences(new double[] {3, 3, 3, 3, 3, 3}, 2));
    }
}
