package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/** The pictures of forecast, evaluate, predict and accuracy, read back as XML. */
class PlotTest {

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}|\\d{2}-\\d{2} \\d{2}:\\d{2}|\\d{2}:\\d{2}");
    private static final Pattern SI = Pattern.compile("-?\\d+(\\.\\d+)?[kMGTP]?");

    @TempDir
    Path tmp;

    private static void assertReadableAxes(Svg svg, boolean timeAxis) {
        List<String> y = svg.texts("//g[@class='y-axis']/text[@class='tick']");
        assertFalse(y.isEmpty());
        y.forEach(l -> assertTrue(SI.matcher(l).matches(), "y tick " + l));
        if (timeAxis) {
            List<String> x = svg.texts("//g[@class='x-axis']/text[@class='tick']");
            assertTrue(x.size() >= 2, x.toString());
            x.forEach(l -> assertTrue(DATE.matcher(l).matches(), "x tick " + l));
        }
        svg.texts("//text").forEach(t -> assertFalse(t.matches(".*\\d[eE][+-]?\\d.*"), "exponent in " + t));
    }

    @Test
    void forecast_plot_historyMeanAndOneFanPolygonPerLevel() throws Exception {
        Path svgFile = tmp.resolve("fan/forecast.svg");
        CommandRun r = CommandRun.of("forecast", "--input", CommandRun.fixture("seasonal-hourly.csv").toString(),
                "--horizon", "12", "--period", "24", "--plot", svgFile.toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        Svg svg = Svg.read(svgFile);
        assertReadableAxes(svg, true);
        List<Element> bands = svg.all("//polygon[@class='band']");
        assertEquals(List.of("95% interval", "80% interval"), bands.stream().map(e -> e.getAttribute("data-name")).toList());
        // 13 points each way: the last value, then the 12 steps.
        bands.forEach(b -> assertEquals(26, Svg.points(b).length));
        assertEquals(48, Svg.points(svg.all("//polyline[@data-name='history']").get(0)).length);
        double[][] mean = Svg.points(svg.all("//polyline[@data-name='mean']").get(0));
        assertEquals(13, mean.length);
        // The 80% band lies inside the 95% band, and the mean inside both, at every step (SVG y grows downwards).
        double[][] p95 = Svg.points(bands.get(0));
        double[][] p80 = Svg.points(bands.get(1));
        for (int k = 0; k < 13; k++) {
            assertTrue(p95[k][1] <= p80[k][1] + 0.11 && p80[k][1] <= mean[k][1] + 0.11, "upper at " + k);
            assertTrue(p95[25 - k][1] + 0.11 >= p80[25 - k][1] && p80[25 - k][1] + 0.11 >= mean[k][1], "lower at " + k);
        }
        assertEquals(List.of("95% interval", "80% interval", "history", "mean"), svg.texts("//g[@class='legend']/text"));
    }

    private static Path m4(String name) throws URISyntaxException {
        return Path.of(PlotTest.class.getResource("m4/" + name).toURI());
    }

    @Test
    void evaluate_plot_barsOfEachModelsScores() throws Exception {
        Path svgFile = tmp.resolve("evaluate.svg");
        CommandRun r = CommandRun.of("evaluate", "--train", m4("train.csv").toString(), "--test", m4("test.csv").toString(),
                "--horizon", "48", "--period", "24", "--model", "snaive", "--model", "naive", "--format", "json",
                "--threads", "1", "--plot", svgFile.toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode models = new ObjectMapper().readTree(r.out()).get("models");
        Svg svg = Svg.read(svgFile);
        assertReadableAxes(svg, false);
        assertEquals(3, svg.all("//g[@class='panel']").size());
        for (String score : List.of("smape", "mase", "owa")) {
            String name = score.equals("smape") ? "sMAPE" : score.toUpperCase(java.util.Locale.ROOT);
            List<Element> bars = svg.all("//rect[@class='bar'][@data-name='" + name + "']");
            assertEquals(List.of("snaive", "naive"), bars.stream().map(e -> e.getAttribute("data-category")).toList());
            for (int i = 0; i < 2; i++) {
                assertEquals(models.get(i).get(score).asDouble(), Double.parseDouble(bars.get(i).getAttribute("data-value")),
                        0, score);
            }
        }
        assertEquals(1, svg.all("//line[@class='rule'][@data-name='Naive2']").size());
        assertEquals(List.of("snaive", "naive"), svg.texts("(//g[@class='panel'])[1]/g[@class='x-axis']/text[@class='tick']"));
    }

    @Test
    void predict_plot_eachHorizonsBandPerResourceAfterTheFleetsUse() throws Exception {
        Path history = CommandRun.smallHistory(tmp.resolve("history"));
        Path svgFile = tmp.resolve("predict.svg");
        CommandRun r = CommandRun.of("predict", "--history", history.toString(), "--plot", svgFile.toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        JsonNode states = new ObjectMapper().readTree(r.out());
        Svg svg = Svg.read(svgFile);
        assertReadableAxes(svg, true);
        List<Element> panels = svg.all("//g[@class='panel']");
        assertEquals(2, panels.size());
        assertEquals(List.of("CPU predicted at 2024-03-22T00:00:00Z", "Memory predicted at 2024-03-22T00:00:00Z"),
                svg.texts("//text[@class='title']"));
        for (String h : List.of("short_term", "medium_term", "long_term")) {
            assertEquals(2, svg.all("//polygon[@class='band'][@data-name='" + h + " p50 to p99']").size(), h);
            assertEquals(2, svg.all("//polyline[@class='line'][@data-name='" + h + " quantity']").size(), h);
        }
        // The fleet's use over the week before: 168 hourly values per resource.
        svg.all("//polyline[@data-name='fleet use']").forEach(l -> assertEquals(168, Svg.points(l).length));
        // The short term's quantity line is as long as its validity and sits at the document's quantity.
        assertEquals("short_term", states.get(0).get("horizon").asText());
    }

    @Test
    void accuracy_plot_onePointPerMatchedActualAndTheDiagonal() throws Exception {
        Path svgFile = tmp.resolve("accuracy.svg");
        CommandRun r = CommandRun.of("accuracy", "--predicted",
                CommandRun.examples().resolve("predicted-fleet-state.json").toString(), "--actuals",
                CommandRun.examples().resolve("actuals.csv").toString(), "--plot", svgFile.toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        int matched = Integer.parseInt(r.out().substring(0, r.out().indexOf(' ')));
        Svg svg = Svg.read(svgFile);
        assertReadableAxes(svg, false);
        // A handful of actuals, each alone in its pixel column: every one is drawn, and no note says otherwise.
        assertEquals(matched, svg.all("//g[@class='points']/circle").size());
        assertEquals(List.of(), svg.texts("//text[@class='note']"));
        assertEquals(svg.all("//g[@class='panel']").size(), svg.all("//polyline[@data-name='predicted = actual']").size());
        svg.texts("//text[@class='title']").forEach(t -> assertTrue(t.contains("actual against predicted"), t));
        assertTrue(Files.size(svgFile) > 0);
    }

    /**
     * Values near the largest double, which the series and the documents may hold: the pictures are drawn (in a unit
     * of a power of ten) where ticks overflowed to Infinity and the command exited 2, a usage error.
     */
    @Test
    void forecastAndAccuracy_plotOfValuesNearTheLargestDouble_drawn() throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int h = 0; h < 24; h++) {
            csv.append(String.format(java.util.Locale.ROOT, "2024-01-01T%02d:00:00Z,%s%n", h, h % 2 == 1 ? "1.79e308"
                    : "1e308"));
        }
        Path series = Files.writeString(tmp.resolve("big.csv"), csv);
        Path forecastSvg = tmp.resolve("forecast.svg");
        CommandRun f = CommandRun.of("forecast", "--input", series.toString(), "--horizon", "2", "--period", "2",
                "--model", "snaive", "--plot", forecastSvg.toString());

        assertEquals(ExitCodes.OK, f.code(), f::toString);
        String forecastText = Files.readString(forecastSvg);
        assertFalse(forecastText.contains("Infinity") || forecastText.contains("NaN"), forecastText);
        assertTrue(Svg.read(forecastSvg).texts("//g[@class='y-axis']/text[@class='label']").get(0)
                .endsWith("(\u00d71e+308)"));

        ObjectMapper mapper = new ObjectMapper();
        JsonNode doc = mapper.readTree(CommandRun.examples().resolve("predicted-fleet-state.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.get("resource_requirements").get(0))
                .put("quantity", 1.7e308);
        Path predicted = tmp.resolve("big-predicted.json");
        mapper.writeValue(predicted.toFile(), doc);
        Path accuracySvg = tmp.resolve("accuracy.svg");
        CommandRun a = CommandRun.of("accuracy", "--predicted", predicted.toString(), "--actuals",
                CommandRun.examples().resolve("actuals.csv").toString(), "--plot", accuracySvg.toString());

        assertEquals(ExitCodes.OK, a.code(), a::toString);
        String accuracyText = Files.readString(accuracySvg);
        assertFalse(accuracyText.contains("Infinity") || accuracyText.contains("NaN"), accuracyText);
    }

    /**
     * Ten thousand actuals of 5,000 services over two hours, a spike and a dip among them: the picture holds at
     * most the lowest and the highest point of each pixel column, the spike and the dip drawn, and a note saying
     * how many were drawn.
     */
    @Test
    void accuracy_plotOfManyActuals_boundedByThePixelColumnsKeepingSpikes() throws Exception {
        int services = 5_000;
        StringBuilder predicted = new StringBuilder("{\"timestamp\": \"2024-11-29T18:00:00Z\", \"resource_requirements\":"
                + " [{\"resource_type\": \"CPU\", \"quantity\": 1, \"units\": \"cores\"}], \"services\": [");
        StringBuilder actuals = new StringBuilder("timestamp,service,resource_type,actual,units\n");
        for (int i = 0; i < services; i++) {
            String name = i == 100 ? "spike" : i == 200 ? "dip" : "svc-" + i;
            double quantity = 10 + i % 2_500 * 0.4;
            predicted.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"service\": \"%s\", \"resource_requirements\": [{\"resource_type\": \"CPU\", \"quantity\": %s,"
                            + " \"units\": \"cores\"}]}", name, quantity));
            for (int k = 0; k < 2; k++) {
                double actual = i == 100 && k == 1 ? 3_000 : i == 200 && k == 1 ? 0 : quantity * (0.9 + 0.1 * k);
                // Each service's second actual an hour later, against the same prediction made then.
                actuals.append(String.format(java.util.Locale.ROOT, "2024-11-29T%d:00:00Z,%s,CPU,%s,cores%n", 18 + k,
                        name, actual));
            }
        }
        Path predictedFile = Files.writeString(tmp.resolve("predicted.json"), predicted.append("]}"));
        Path laterFile = Files.writeString(tmp.resolve("predicted-later.json"), predicted.toString()
                .replace("\"timestamp\": \"2024-11-29T18:00:00Z\"", "\"timestamp\": \"2024-11-29T19:00:00Z\""));
        Path actualsFile = Files.writeString(tmp.resolve("actuals.csv"), actuals);
        Path svgFile = tmp.resolve("accuracy.svg");

        CommandRun r = CommandRun.of("accuracy", "--predicted", predictedFile.toString(), laterFile.toString(),
                "--actuals", actualsFile.toString(), "--plot", svgFile.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("10000 actuals matched"), r.out());
        Svg svg = Svg.read(svgFile);
        int drawn = svg.all("//g[@class='points']/circle").size();
        assertTrue(drawn <= 2 * SvgChart.PLOT_COLUMNS, drawn + " points drawn");
        assertEquals(List.of(drawn + " of 10000 matched actuals drawn: the lowest and the highest in each pixel column"),
                svg.texts("//text[@class='note']"));
        // The spike is the highest point of all (the smallest cy), the dip the lowest: each is drawn, in its series.
        List<Double> all = cys(svg, "");
        assertEquals(all.stream().min(Double::compare).orElseThrow(), cys(svg, "[@data-name='spike/CPU/short_term']")
                .stream().min(Double::compare).orElseThrow());
        assertEquals(all.stream().max(Double::compare).orElseThrow(), cys(svg, "[@data-name='dip/CPU/short_term']")
                .stream().max(Double::compare).orElseThrow());
    }

    /** The heights of the points of the groups {@code filter} selects. */
    private static List<Double> cys(Svg svg, String filter) {
        List<Double> cys = svg.all("//g[@class='points']" + filter + "/circle").stream()
                .map(c -> Double.parseDouble(c.getAttribute("cy"))).toList();
        assertFalse(cys.isEmpty(), filter + " is not drawn");
        return cys;
    }
}
