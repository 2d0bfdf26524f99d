package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.TimeSeries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluateCommandTest {

    /** JSON numbers carry six significant digits: a relative tolerance of half a unit in the sixth. */
    private static final double SIX_DIGITS = 5e-6;

    private static final int HORIZON = 48;

    private static Path resource(String name) {
        try {
            return Path.of(EvaluateCommandTest.class.getResource("m4/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Mean sMAPE, MASE, MSIS and coverage computed directly with the library, series by series. */
    private static double[] direct(List<M4Series> data, Forecaster f) {
        double[] m = new double[4];
        for (M4Series s : data) {
            Forecast fc = f.fit(s.train()).forecast(HORIZON, 95);
            Accuracy a = Accuracy.of(s.train(), s.test().values(), fc, 24);
            m[0] += a.smape() / data.size();
            m[1] += a.mase() / data.size();
            m[2] += a.msis() / data.size();
            m[3] += a.coverage() / data.size();
        }
        return m;
    }

    @Test
    void evaluate_json_hasTheDocumentedShapeAndTheLibraryScores() throws Exception {
        Result r = run("evaluate", "--train", resource("train.csv").toString(), "--test", resource("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--period", "168", "--model", "snaive", "--model", "mstl",
                "--format", "json", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("models"), names(root));
        JsonNode models = root.get("models");
        assertEquals(2, models.size());
        List<M4Series> data = M4Data.read(resource("train.csv"), resource("test.csv"));
        double[] naive2 = direct(data, Forecasters.naive2(24));
        Forecaster[] expected = {Forecasters.seasonalNaive(24), Forecasters.mstl(24, 168)};
        for (int i = 0; i < 2; i++) {
            JsonNode m = models.get(i);
            assertEquals(List.of("model", "series", "smape", "mase", "owa", "msis", "coverage95", "seconds",
                    "trainingSeconds"), names(m));
            assertEquals(0, m.get("trainingSeconds").asDouble());
            assertEquals(i == 0 ? "snaive" : "mstl", m.get("model").asText());
            assertEquals(3, m.get("series").asInt());
            double[] d = direct(data, expected[i]);
            assertEquals(d[0], m.get("smape").asDouble(), SIX_DIGITS * Math.abs(d[0]));
            assertEquals(d[1], m.get("mase").asDouble(), SIX_DIGITS * Math.abs(d[1]));
            double owa = Accuracy.owa(d[0], d[1], naive2[0], naive2[1]);
            assertEquals(owa, m.get("owa").asDouble(), SIX_DIGITS * Math.abs(owa));
            assertEquals(d[2], m.get("msis").asDouble(), SIX_DIGITS * Math.abs(d[2]));
            assertEquals(d[3], m.get("coverage95").asDouble(), SIX_DIGITS * Math.abs(d[3]));
            assertTrue(m.get("seconds").asDouble() >= 0);
        }
    }

    @Test
    void evaluate_naive2_hasOwaOneAndTextTableByDefault() {
        Result r = run("evaluate", "--train", resource("train.csv").toString(), "--test", resource("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--model", "naive2", "--model", "auto");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].startsWith("model") && lines[0].contains("OWA"), lines[0]);
        assertTrue(lines[1].startsWith("naive2") && lines[1].contains(" 1.000 "), lines[1]);
        assertTrue(lines[2].startsWith("auto"), lines[2]);
    }

    /**
     * Freezing degree days (AER's FrozenJuice fdd) are 0 through a warm spell: Naive2 forecasts the 0 it
     * ends on exactly, so its sMAPE and MASE are 0 and OWA has no value. The other scores still stand; the
     * command used to refuse the whole evaluation (exit 2).
     */
    @Test
    void evaluate_naive2Exact_scoresEverythingButOwaAndSaysWhy(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Files.writeString(train, "\"V1\",\"V2\",\"V3\",\"V4\",\"V5\",\"V6\",\"V7\",\"V8\",\"V9\"\n"
                + "\"fdd\",\"12\",\"3\",\"0\",\"7\",\"25\",\"4\",\"0\",\"0\"\n");
        Files.writeString(test, "\"V1\",\"V2\",\"V3\",\"V4\"\n\"fdd\",\"0\",\"0\",\"0\"\n");
        Path svg = dir.resolve("plot.svg");
        Result r = run("evaluate", "--train", train.toString(), "--test", test.toString(), "--horizon", "3",
                "--period", "1", "--model", "naive", "--model", "theta", "--format", "json", "--plot", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("OWA not defined") && r.err().contains("Naive2"), r.err());
        JsonNode models = new ObjectMapper().readTree(r.out()).get("models");
        assertEquals("naive", models.get(0).get("model").asText());
        assertEquals(0.0, models.get(0).get("mase").asDouble());
        assertTrue(models.get(0).get("owa").isNull(), models.toString());
        assertTrue(models.get(1).get("mase").asDouble() > 0 && models.get(1).get("owa").isNull(), models.toString());
        assertTrue(Files.readString(svg).contains("MASE by model") && !Files.readString(svg).contains("OWA by model"));

        Result text = run("evaluate", "--train", train.toString(), "--test", test.toString(), "--horizon", "3",
                "--period", "1", "--model", "naive");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().split("\n")[1].matches("naive\\s+1\\s+0\\s+0\\s+-\\s.*"), text.out());
    }

    /** An M4-layout file of the given rows, each an id and its values. */
    private static String m4File(List<String> ids, List<double[]> values) {
        StringBuilder b = new StringBuilder("\"V1\",\"V2\"\n");
        for (int i = 0; i < ids.size(); i++) {
            b.append('"').append(ids.get(i)).append('"');
            for (double v : values.get(i)) {
                b.append(",\"").append(v).append('"');
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static double[] seasonal(int n, int offset, double level) {
        double[] v = new double[n];
        for (int t = 0; t < n; t++) {
            v[t] = level + 10 * Math.sin(2 * Math.PI * (t + offset) / 12) + ((t * 7919 + offset) % 13) / 4.0;
        }
        return v;
    }

    private static double[] flat(int n, double value) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, value);
        return v;
    }

    /**
     * A series flat through training (48 values of 5) has a MASE scale of 0: M4 leaves its MASE and MSIS undefined,
     * so the means leave it out and the message names it. Every model's MASE and MSIS were infinite, OWA missing,
     * and the message blamed Naive2's forecasts for being exact.
     */
    @Test
    void evaluate_flatTrainingSeries_leftOutOfMaseAndMsisAndNamed(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Files.writeString(train, m4File(List.of("S0", "C", "S1"),
                List.of(seasonal(48, 0, 50), flat(48, 5), seasonal(48, 3, 70))));
        Files.writeString(test, m4File(List.of("S0", "C", "S1"),
                List.of(java.util.Arrays.copyOfRange(seasonal(60, 0, 50), 48, 60), flat(12, 6),
                        java.util.Arrays.copyOfRange(seasonal(60, 3, 70), 48, 60))));
        Result r = run("evaluate", "--train", train.toString(), "--test", test.toString(), "--horizon", "12",
                "--period", "12", "--model", "theta", "--format", "json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("MASE and MSIS not defined for 1 series whose training values are flat"), r.err());
        assertTrue(r.err().contains("): C; MASE, MSIS and OWA are means over the other 2 series, sMAPE and coverage "
                + "over all 3"), r.err());
        assertTrue(!r.err().contains("its forecasts are exact"), r.err());

        List<M4Series> data = M4Data.read(train, test);
        double[] mase = new double[2];
        double[] msis = new double[2];
        double smape = 0;
        Forecaster[] models = {Forecasters.naive2(12), Forecasters.theta(12)};
        for (int k = 0; k < 2; k++) {
            for (M4Series s : data) {
                Accuracy a = Accuracy.of(s.train(), s.test().values(), models[k].fit(s.train()).forecast(12, 95), 12);
                if (!s.id().equals("C")) {
                    mase[k] += a.mase() / 2;
                    msis[k] += a.msis() / 2;
                }
                if (k == 1) {
                    smape += a.smape() / 3;
                }
            }
        }
        JsonNode theta = new ObjectMapper().readTree(r.out()).get("models").get(0);
        assertEquals(3, theta.get("series").asInt());
        assertEquals(mase[1], theta.get("mase").asDouble(), SIX_DIGITS * mase[1]);
        assertEquals(msis[1], theta.get("msis").asDouble(), SIX_DIGITS * msis[1]);
        assertEquals(smape, theta.get("smape").asDouble(), SIX_DIGITS * smape);
        double naive2Smape = 0;
        for (M4Series s : data) {
            naive2Smape += Accuracy.of(s.train(), s.test().values(), models[0].fit(s.train()).forecast(12, 95), 12)
                    .smape() / 3;
        }
        double owa = Accuracy.owa(smape, mase[1], naive2Smape, mase[0]);
        assertEquals(owa, theta.get("owa").asDouble(), SIX_DIGITS * owa);
    }

    @Test
    void evaluate_manyOrOnlyFlatTrainingSeries_namesTheFirstFiveAndTheCount(@TempDir Path dir) throws Exception {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        List<String> ids = List.of("F1", "F2", "F3", "F4", "F5", "F6", "F7");
        List<double[]> trainValues = new ArrayList<>();
        List<double[]> testValues = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            trainValues.add(flat(30, i));
            testValues.add(flat(3, i + 1));
        }
        Files.writeString(train, m4File(ids, trainValues));
        Files.writeString(test, m4File(ids, testValues));
        Result r = run("evaluate", "--train", train.toString(), "--test", test.toString(), "--horizon", "3",
                "--period", "1", "--model", "naive", "--format", "json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("MASE and MSIS not defined for 7 series"), r.err());
        assertTrue(r.err().contains("): F1 F2 F3 F4 F5 and 2 more; no series is left to average, so MASE, MSIS and OWA "
                + "are not defined"), r.err());
        assertTrue(!r.err().contains("Naive2"), r.err());
        JsonNode naive = new ObjectMapper().readTree(r.out()).get("models").get(0);
        assertTrue(naive.get("mase").isNull() && naive.get("msis").isNull() && naive.get("owa").isNull(), r.out());
        assertTrue(naive.get("smape").asDouble() > 0, r.out());
    }

    @Test
    void evaluate_holdOutShorterThanHorizon_isInvalidInputNamingTheSeries() {
        Result r = run("evaluate", "--train", resource("train.csv").toString(), "--test", resource("test.csv").toString(),
                "--horizon", "49", "--period", "24", "--model", "snaive");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("H1") && r.err().contains("48") && r.err().contains("49"), r.err());
    }

    @Test
    void evaluate_malformedFileOrUnknownModel_isReported(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "\"V1\",\"V2\"\n\"H1\",\"12\",\"x\"\n");
        Result r = run("evaluate", "--train", bad.toString(), "--test", resource("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--model", "snaive");
        assertEquals(ExitCodes.INVALID_INPUT, r.code());
        assertTrue(r.err().contains("bad.csv:2: column 3"), r.err());

        Result unknown = run("evaluate", "--train", resource("train.csv").toString(), "--test",
                resource("test.csv").toString(), "--horizon", "48", "--period", "24", "--model", "prophet");
        assertEquals(ExitCodes.USAGE, unknown.code());
        assertTrue(unknown.err().contains("unknown model 'prophet'"), unknown.err());
        // Every model evaluate takes is listed, the ones trained across the series too.
        assertTrue(unknown.err().contains(", theta, auto+lstm, lstm, auto+ar, auto+lstm+ar, global-ar"), unknown.err());

        Result missing = run("evaluate", "--train", dir.resolve("none.csv").toString(), "--test",
                resource("test.csv").toString(), "--horizon", "48", "--period", "24");
        assertEquals(ExitCodes.INVALID_INPUT, missing.code());
        assertTrue(missing.err().contains("none.csv"), missing.err());
    }

    /**
     * The hidden training settings are checked before any file is read, whichever models are scored: a value out
     * of range is a usage error naming the option and the value as typed, not a default taken in its place.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "--ar-ridge     | -0.5  | must be finite and at least 0",
        "--ar-ridge     | -1    | must be finite and at least 0",
        "--ar-lags      | 1     | must be at least 2",
        "--ar-lags      | -3    | must be at least 2",
        "--lstm-hidden  | 0     | must be at least 1",
        "--lstm-epochs  | 0     | must be at least 1",
        "--lstm-windows | -1    | must be 0 (all) or positive"})
    void evaluate_hiddenSettingOutOfRange_usageErrorBeforeReadingFiles(String option, String value, String reason,
            @TempDir Path dir) {
        for (String model : List.of("snaive", "global-ar")) {
            Result r = run("evaluate", "--train", dir.resolve("none.csv").toString(), "--test",
                    dir.resolve("none.csv").toString(), "--horizon", "48", "--period", "24", "--model", model, option,
                    value);

            assertEquals(ExitCodes.USAGE, r.code(), r.err());
            assertEquals("fleetpredict evaluate: " + option + " " + value + ": " + reason
                    + "\ntry 'fleetpredict evaluate --help'\n", r.err());
        }
    }

    /** The edges of the ranges are taken: the run goes on to the files (missing here). */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--ar-ridge, 0", "--ar-lags, 2", "--lstm-windows, 0"})
    void evaluate_hiddenSettingAtItsEdge_readsTheFiles(String option, String value, @TempDir Path dir) {
        Result r = run("evaluate", "--train", dir.resolve("none.csv").toString(), "--test",
                dir.resolve("none.csv").toString(), "--horizon", "48", "--period", "24", option, value);

        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r.err());
        assertTrue(r.err().contains("none.csv: no such file"), r.err());
    }

    @Test
    void evaluate_globalLstmModels_trainOnTheTrainingFileAndScoreAsTheLibrary() throws Exception {
        // A tiny LSTM through the hidden options keeps this fast; the real settings are the documented defaults.
        Result r = run("evaluate", "--train", resource("train.csv").toString(), "--test", resource("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--period", "168", "--model", "lstm", "--model", "auto+lstm",
                "--format", "json", "--threads", "2", "--lstm-hidden", "4", "--lstm-epochs", "1", "--lstm-windows", "64");
        assertEquals(0, r.code(), r.err());
        JsonNode models = new ObjectMapper().readTree(r.out()).get("models");
        assertEquals(2, models.size());

        List<M4Series> data = M4Data.read(resource("train.csv"), resource("test.csv"));
        List<TimeSeries> train = data.stream().map(M4Series::train).toList();
        LstmConfig config = LstmConfig.tuned(24, HORIZON).hiddenSize(4).maxEpochs(1).windowsPerEpoch(64).build();
        assertEquals(168, config.inputWindow());
        Forecaster lstm = LstmModel.trainGlobal(train, config).forecaster();
        CrossValidation plan = CrossValidation.of(HORIZON);
        List<List<TimeSeries>> trainedOn = new ArrayList<>();
        Forecaster candidate = Forecasters.globalCandidate(train, plan, l -> {
            trainedOn.add(l);
            return LstmModel.trainGlobal(l, config).forecaster();
        });
        // The scored LSTM never saw a series' last 96 training values (two origins of 48), let alone the test file.
        assertEquals(train.stream().map(s -> s.head(s.size() - 96)).toList(), trainedOn.get(0));
        assertEquals(train, trainedOn.get(1));
        Forecaster auto = Forecasters.auto(plan, List.of(candidate), 24, 168);
        double[] naive2 = direct(data, Forecasters.naive2(24));
        Forecaster[] expected = {lstm, auto};
        for (int i = 0; i < 2; i++) {
            JsonNode m = models.get(i);
            assertEquals(List.of("model", "series", "smape", "mase", "owa", "msis", "coverage95", "seconds",
                    "trainingSeconds"), names(m));
            assertScoredAsTheLibrary(m, i == 0 ? "lstm" : "auto+lstm", data, expected[i], naive2);
            assertTrue(m.get("trainingSeconds").asDouble() > 0, m.toString());
        }
        // auto+lstm's trainings include lstm's (done once, counted for both).
        assertTrue(models.get(1).get("trainingSeconds").asDouble() > models.get(0).get("trainingSeconds").asDouble());
        FittedModel fitted = auto.fit(train.get(0));
        assertTrue(fitted.notes().get(0).contains("lstm-pretrained(window=168, hidden=4, layers=1) "), fitted.notes().toString());
    }

    @Test
    void evaluate_globalAutoregression_trainsOnTheTrainingFileAndScoresAsTheLibrary() throws Exception {
        Result r = run("evaluate", "--train", resource("train.csv").toString(), "--test", resource("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--period", "168", "--model", "global-ar", "--model", "auto+ar",
                "--format", "json", "--threads", "2", "--ar-lags", "48");
        assertEquals(0, r.code(), r.err());
        JsonNode models = new ObjectMapper().readTree(r.out()).get("models");
        assertEquals(2, models.size());

        List<M4Series> data = M4Data.read(resource("train.csv"), resource("test.csv"));
        List<TimeSeries> train = data.stream().map(M4Series::train).toList();
        GlobalAutoregression.Settings settings = new GlobalAutoregression.Settings(48, HORIZON,
                GlobalAutoregression.Settings.hourly(HORIZON).ridge(), GlobalAutoregression.Settings.hourly(HORIZON).normalisation());
        Forecaster ar = GlobalAutoregression.train(train, settings);
        CrossValidation plan = CrossValidation.of(HORIZON);
        List<List<TimeSeries>> trainedOn = new ArrayList<>();
        Forecaster candidate = Forecasters.globalCandidate(train, plan, l -> {
            trainedOn.add(l);
            return GlobalAutoregression.train(l, settings);
        });
        // The scored model never saw a series' last 96 training values (two origins of 48), let alone the test file.
        assertEquals(train.stream().map(s -> s.head(s.size() - 96)).toList(), trainedOn.get(0));
        assertEquals(train, trainedOn.get(1));
        Forecaster auto = Forecasters.auto(plan, List.of(candidate), 24, 168);
        double[] naive2 = direct(data, Forecasters.naive2(24));
        Forecaster[] expected = {ar, auto};
        for (int i = 0; i < 2; i++) {
            assertScoredAsTheLibrary(models.get(i), i == 0 ? "global-ar" : "auto+ar", data, expected[i], naive2);
        }
        assertTrue(auto.fit(train.get(0)).parameters().containsKey("cv.global-ar(48)"),
                auto.fit(train.get(0)).parameters().toString());
    }

    /** The command's row for a model holds the scores the library gives its forecasts of the three series. */
    private static void assertScoredAsTheLibrary(JsonNode m, String name, List<M4Series> data, Forecaster model,
            double[] naive2) {
        assertEquals(name, m.get("model").asText());
        assertEquals(3, m.get("series").asInt());
        double[] d = direct(data, model);
        assertEquals(d[0], m.get("smape").asDouble(), SIX_DIGITS * Math.abs(d[0]));
        assertEquals(d[1], m.get("mase").asDouble(), SIX_DIGITS * Math.abs(d[1]));
        double owa = Accuracy.owa(d[0], d[1], naive2[0], naive2[1]);
        assertEquals(owa, m.get("owa").asDouble(), SIX_DIGITS * Math.abs(owa));
        assertEquals(d[3], m.get("coverage95").asDouble(), SIX_DIGITS * Math.abs(d[3]));
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }
}
