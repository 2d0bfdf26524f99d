package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Progress of a fit counts its fits one by one up to the total it announced, and does not change what is
 * fitted.
 */
class FitProgressTest {

    private static List<int[]> reports(Forecaster f, TimeSeries series, FittedModel[] fitted) {
        List<int[]> reports = new ArrayList<>();
        fitted[0] = f.fitReporting(series, (done, total) -> reports.add(new int[] {done, total}));
        return reports;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void auto_reportsEveryCandidateAtEveryOriginThenTheRefits_sameModel(long seed) {
        TimeSeries series = Datasets.synthetic(seed, 8 * 24, 24);
        Forecaster auto = Forecasters.auto(CrossValidation.of(24), 24);
        FittedModel[] fitted = new FittedModel[1];
        List<int[]> reports = reports(auto, series, fitted);

        int candidates = ((RollingOriginSelection) auto).candidates().size();
        int origins = CrossValidation.of(24).origins();
        int total = reports.get(0)[1];
        // Every candidate at every origin, and at most three chosen ones refitted.
        assertTrue(total >= candidates * origins + 1 && total <= candidates * origins + 3, "total " + total);
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(total, reports.get(i)[1]);
            assertTrue(reports.get(i)[0] > (i == 0 ? 0 : reports.get(i - 1)[0]), "not increasing at " + i);
        }
        assertEquals(total, reports.get(reports.size() - 1)[0]);
        assertTrue(reports.size() >= candidates * origins, reports.size() + " reports");

        FittedModel plain = auto.fit(series);
        assertEquals(plain.description(), fitted[0].description());
        assertArrayEquals(plain.forecast(24, 80).mean(), fitted[0].forecast(24, 80).mean(), 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void simpleModel_oneReportAtTheEnd(int seed) {
        FittedModel[] fitted = new FittedModel[1];
        List<int[]> reports = reports(Forecasters.theta(24), Datasets.synthetic(seed, 200, 24), fitted);
        assertEquals(1, reports.size());
        assertArrayEquals(new int[] {1, 1}, reports.get(0));
    }

    @ParameterizedTest
    @ValueSource(longs = {4})
    void periodDetectingAuto_censored_reportsThroughBothWrappers(long seed) {
        TimeSeries series = Datasets.synthetic(seed, 120, 24);
        FittedModel[] fitted = new FittedModel[1];
        List<int[]> reports = reports(Forecasters.nonNegative(Forecasters.auto()), series, fitted);
        assertTrue(reports.size() > 10, reports.size() + " reports");
        assertEquals(reports.get(0)[1], reports.get(reports.size() - 1)[0]);
    }
}
