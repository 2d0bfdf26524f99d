package io.fleetpredict.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seasonal strength and the seasonal difference auto-ARIMA takes, against R 4.2.2 with forecast 8.20:
 * {@code forecast:::seas.heuristic(x)} and {@code nsdiffs(x)} on series of R's {@code datasets} package (the
 * values below, printed by R), computed on 2026-12-06.
 */
class SeasonalStrengthTest {

    /** datasets::UKgas, its first 100 quarters: a season whose swing grows with the level. */
    private static final double[] UKGAS_100 = {
        160.1, 129.7, 84.8, 120.1, 160.1, 124.9, 84.8, 116.9, 169.7, 140.9, 89.7, 123.3, 187.3, 144.1, 92.9, 120.1,
        176.1, 147.3, 89.7, 123.3, 185.7, 155.3, 99.3, 131.3, 200.1, 161.7, 102.5, 136.1, 204.9, 176.1, 112.1,
        140.9, 227.3, 195.3, 115.3, 142.5, 244.9, 214.5, 118.5, 153.7, 244.9, 216.1, 188.9, 142.5, 301.0, 196.9,
        136.1, 267.3, 317.0, 230.5, 152.1, 336.2, 371.4, 240.1, 158.5, 355.4, 449.9, 286.6, 179.3, 403.4, 491.5,
        321.8, 177.7, 409.8, 593.9, 329.8, 176.1, 483.5, 584.3, 395.4, 187.3, 485.1, 669.2, 421.0, 216.1, 509.1,
        827.7, 467.5, 209.7, 542.7, 840.5, 414.6, 217.7, 670.8, 848.5, 437.0, 209.7, 701.2, 925.3, 443.4, 214.5,
        683.6, 917.3, 515.5, 224.1, 694.8, 989.4, 477.1, 233.7, 730.0};

    /** datasets::USAccDeaths, monthly. */
    private static final double[] US_ACC_DEATHS = {
        9007, 8106, 8928, 9137, 10017, 10826, 11317, 10744, 9713, 9938, 9161, 8927, 7750, 6981, 8038, 8422, 8714,
        9512, 10120, 9823, 8743, 9129, 8710, 8680, 8162, 7306, 8124, 7870, 9387, 9556, 10093, 9620, 8285, 8466,
        8160, 8034, 7717, 7461, 7767, 7925, 8623, 8945, 10078, 9179, 8037, 8488, 7874, 8647, 7792, 6957, 7726, 8106,
        8890, 9299, 10625, 9302, 8314, 8850, 8265, 8796, 7836, 6892, 7791, 8192, 9115, 9434, 10484, 9827, 9110,
        9070, 8633, 9240};

    /** datasets::JohnsonJohnson, quarterly, growing multiplicatively. */
    private static final double[] JOHNSON_JOHNSON = {
        0.71, 0.63, 0.85, 0.44, 0.61, 0.69, 0.92, 0.55, 0.72, 0.77, 0.92, 0.60, 0.83, 0.80, 1.00, 0.77, 0.92, 1.00,
        1.24, 1.00, 1.16, 1.30, 1.45, 1.25, 1.26, 1.38, 1.86, 1.56, 1.53, 1.59, 1.83, 1.86, 1.53, 2.07, 2.34, 2.25,
        2.16, 2.43, 2.70, 2.25, 2.79, 3.42, 3.69, 3.60, 3.60, 4.32, 4.32, 4.05, 4.86, 5.04, 5.04, 4.41, 5.58, 5.85,
        6.57, 5.31, 6.03, 6.39, 6.93, 5.85, 6.93, 7.74, 7.83, 6.12, 7.74, 8.91, 8.28, 6.84, 9.54, 10.26, 9.54, 8.73,
        11.88, 12.06, 12.15, 8.91, 14.04, 12.96, 14.85, 9.99, 16.20, 14.67, 16.02, 11.61};

    /** datasets::austres, quarterly: a smooth trend with little season. */
    private static final double[] AUSTRES = {
        13067.3, 13130.5, 13198.4, 13254.2, 13303.7, 13353.9, 13409.3, 13459.2, 13504.5, 13552.6, 13614.3, 13669.5,
        13722.6, 13772.1, 13832.0, 13862.6, 13893.0, 13926.8, 13968.9, 14004.7, 14033.1, 14066.0, 14110.1, 14155.6,
        14192.2, 14231.7, 14281.5, 14330.3, 14359.3, 14396.6, 14430.8, 14478.4, 14515.7, 14554.9, 14602.5, 14646.4,
        14695.4, 14746.6, 14807.4, 14874.4, 14923.3, 14988.7, 15054.1, 15121.7, 15184.2, 15239.3, 15288.9, 15346.2,
        15393.5, 15439.0, 15483.5, 15531.5, 15579.4, 15628.5, 15677.3, 15736.7, 15788.3, 15839.7, 15900.6, 15961.5,
        16018.3, 16076.9, 16139.0, 16203.0, 16263.3, 16327.9, 16398.9, 16478.3, 16538.2, 16621.6, 16697.0, 16777.2,
        16833.1, 16891.6, 16956.8, 17026.3, 17085.4, 17106.9, 17169.4, 17239.4, 17292.0, 17354.2, 17414.2, 17447.3,
        17482.6, 17526.0, 17568.7, 17627.1, 17661.5};

    static Stream<Arguments> series() {
        return Stream.of(
                Arguments.of("UKgas[1:100]", UKGAS_100, 4, 0.9773617236, 1),
                Arguments.of("USAccDeaths", US_ACC_DEATHS, 12, 0.9447944649, 1),
                Arguments.of("JohnsonJohnson", JOHNSON_JOHNSON, 4, 0.8209060452, 1),
                Arguments.of("austres", AUSTRES, 4, 0.3248002879, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("series")
    void strengthAndDifferences_asForecastsSeasHeuristicAndNsdiffs(String name, double[] x, int m, double strength,
            int differences) {
        assertEquals(strength, SeasonalStrength.of(x, m), 1e-6, name);
        assertEquals(differences, SeasonalStrength.differences(x, m), name);
    }
}
