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

    @Test
    void differences_secondOrderTrend_takesTwo_andStopsAtTheLimit() {
        // x_t = t^2 / 10 + 3 sin t, t = 1..60: its first difference still trends, its second does not.
        // R 4.2.2, forecast 8.20: ndiffs(x) is 2 and ndiffs(x, max.d = 1) is 1;
        // urca::ur.kpss(x, type = "mu", use.lag = 1)@teststat is 2.93519948328343.
        double[] x = new double[60];
        for (int t = 1; t <= 60; t++) {
            x[t - 1] = t * t / 10.0 + 3 * Math.sin(t);
        }
        assertEquals(2.93519948328343, Kpss.statistic(x), 1e-9);
        assertEquals(2, Kpss.differences(x, 2));
        assertEquals(1, Kpss.differences(x, 1));
        // R: ndiffs(LakeHuron, max.d = 0) is 0, though it takes one difference with the default limit.
        assertEquals(0, Kpss.differences(RDatasets.LAKE_HURON, 0));
    }

    @Test
    void differences_straightLine_stopsAtTheConstantDifference() {
        // R 4.2.2, forecast 8.20: ndiffs(3 * (1:30) + 1) is 1, the difference being constant.
        double[] line = new double[30];
        for (int t = 1; t <= 30; t++) {
            line[t - 1] = 3 * t + 1;
        }
        assertEquals(1, Kpss.differences(line, 2));
    }
}
