package io.fleetpredict.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The job's command line without Spark: bad arguments are refused, each naming the option and the value, with
 * exit code 2 before the session is touched (the tests pass none); and the LSTM's quantiles.
 */
class ForecastJobArgumentsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--horizon 0|--horizon must be a whole number of at least 1, was '0'",
        "--horizon 2 --period 0|--period must be a whole number of at least 1, was '0'",
        "--horizon 2 --partitions x|--partitions must be a whole number of at least 1, was 'x'",
        "--horizon 2 --origins -1|--origins must be a whole number of at least 1, was '-1'",
        "--horizon 2 --stride 0|--stride must be a whole number of at least 1, was '0'",
        "--horizon 2 --lstm-series 0|--lstm-series must be a whole number of at least 1, was '0'",
        "--horizon 2 --quantiles 0.1,1|--quantiles must be numbers in (0, 1), was '1'",
        "--horizon 2 --quantiles 0|--quantiles must be numbers in (0, 1), was '0'",
        "--horizon 2 --quantiles x|--quantiles must be numbers in (0, 1), was 'x'",
        "--horizon 2 --step 1h|--step must be a positive ISO-8601 duration such as PT1H, was '1h'",
        "--horizon 2 --step PT0S|--step must be a positive ISO-8601 duration such as PT1H, was 'PT0S'",
        "--horizon 2 --step -PT1H|--step must be a positive ISO-8601 duration such as PT1H, was '-PT1H'",
        "--horizon 2 --gaps cubic|--gaps must be linear, previous or reject, was 'cubic'",
        "--horizon 2 --input-format json|--input-format must be csv or parquet, was 'json'",
        "--horizon 2 --output-format orc|--output-format must be csv or parquet, was 'orc'",
        "--horizon 2 --frobnicate 1|unknown option --frobnicate",
        "--horizon 2 stray|expected an option and its value at 'stray'",
        "--horizon|expected an option and its value at '--horizon'",
        "--partitions 1 --origins 1 --stride 1 --lstm-series 1 --horizon 0|--horizon must be a whole number of at least 1, was '0'",
        "--input-format CSV --output-format Parquet --quantiles 0.5 --horizon -2|--horizon must be a whole number of at least 1, was '-2'",
    })
    void run_badArgument_exitsTwoNamingTheOptionAndValue(String args, String message) {
        List<String> all = new java.util.ArrayList<>(List.of("--input", "in.csv", "--output", "out.csv"));
        all.addAll(List.of(args.split(" ")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = ForecastJob.run(null, all.toArray(new String[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, code);
        assertEquals("fleetpredict-spark: " + message, err.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void run_withoutInputOrOutput_exitsTwoSayingBothAreRequired() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ForecastJob.run(null, new String[] {"--input", "in.csv", "--horizon", "2"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("fleetpredict-spark: --input and --output are required", err.toString(StandardCharsets.UTF_8).strip());
    }

    /** The quantiles asked for, their mirror images about the median, and the median, ascending. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0.1,0.9|0.1,0.5,0.9",
        "0.2|0.2,0.5,0.8",
        "0.9|0.1,0.5,0.9",
        "0.5,0.025|0.025,0.5,0.975",
        "0.05,0.8,0.95|0.05,0.2,0.5,0.8,0.95",
    })
    void lstmConfig_quantiles_areMirroredAboutTheMedian(String asked, String trained) {
        double[] quantiles = java.util.Arrays.stream(asked.split(",")).mapToDouble(Double::parseDouble).toArray();
        List<Double> expected = java.util.Arrays.stream(trained.split(",")).map(Double::valueOf).toList();

        assertEquals(expected, ForecastJob.lstmConfig(24, 12, quantiles).quantiles());
    }
}
