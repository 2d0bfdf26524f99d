package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SvgChartTest {

    @Test
    void niceTicks_roundStepsCoveringTheRange() {
        assertArrayEquals(new double[] {0, 250, 500, 750, 1000, 1250}, SvgChart.niceTicks(0, 1130), 0);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, SvgChart.niceTicks(0.12, 0.55), 0);
        assertArrayEquals(new double[] {-10, -5, 0, 5, 10, 15}, SvgChart.niceTicks(-7, 12), 0);
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({
        "2024-03-25T00:00:00Z, 2024-03-25T18:00:00Z, 03:00, '\\d{2}:\\d{2}'",
        "2024-03-20T00:00:00Z, 2024-03-25T00:00:00Z, 2024-03-21, '\\d{4}-\\d{2}-\\d{2}'",
        "2024-03-24T00:00:00Z, 2024-03-26T00:00:00Z, 03-24 12:00, '\\d{2}-\\d{2} \\d{2}:\\d{2}'",
        "2023-01-10T00:00:00Z, 2024-03-01T00:00:00Z, 2023-04, '\\d{4}-\\d{2}'"})
    void timeTicks_datesByTheSpan(String from, String to, String aLabel, String pattern) {
        List<Double> at = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        double x0 = SvgChart.seconds(Instant.parse(from));
        double x1 = SvgChart.seconds(Instant.parse(to));
        SvgChart.timeTicks(x0, x1, at, labels);
        assertTrue(labels.size() >= 2 && labels.size() <= 8, labels.toString());
        assertTrue(labels.contains(aLabel), labels.toString());
        labels.forEach(l -> assertTrue(l.matches(pattern), l));
        at.forEach(t -> assertTrue(t >= x0 && t <= x1, t + " outside"));
    }

    @Test
    void chart_elementsReadBackWithTheirNamesAndSiTicks() {
        double[] x = {1, 2, 3};
        String text = SvgChart.titled("a <title> & more").x("x", SvgChart.Axis.LINEAR).y("requests")
                .band("95%", 1, x, new double[] {0, 1000, 2000}, new double[] {2000, 3000, 5400})
                .line("mean", 1, x, new double[] {1000, 2000, 3000})
                .points("seen", 2, x, new double[] {1500, 2500, 3500})
                .rule("limit", 0, 4000).svg();
        Svg svg = Svg.parse(text);
        assertEquals("a <title> & more", svg.texts("//text[@class='title']").get(0));
        assertEquals(List.of("0", "2k", "4k", "6k"), svg.texts("//g[@class='y-axis']/text[@class='tick']"));
        assertEquals(6, Svg.points(svg.all("//polygon[@class='band'][@data-name='95%']").get(0)).length);
        assertEquals(3, Svg.points(svg.all("//polyline[@class='line'][@data-name='mean']").get(0)).length);
        assertEquals(3, svg.all("//g[@class='points'][@data-name='seen']/circle").size());
        assertEquals(1, svg.all("//line[@class='rule'][@data-name='limit']").size());
        assertEquals(List.of("95%", "mean", "seen", "limit"), svg.texts("//g[@class='legend']/text"));
        // The mean at x = 2 sits between the band's bounds there (SVG y grows downwards).
        double[][] band = Svg.points(svg.all("//polygon").get(0));
        double[][] mean = Svg.points(svg.all("//polyline[@data-name='mean']").get(0));
        assertTrue(band[1][1] < mean[1][1] && mean[1][1] < band[4][1], "mean outside its band");
    }

    /** Points that all share one x on a log axis (every sweep point of a replay without violations) span a decade. */
    @Test
    void logAxis_allPointsAtOneX_drawnWithinADecadeNotAtNaN() {
        String text = SvgChart.titled("one x").x("share", SvgChart.Axis.LOG).y("cost")
                .points("a", 1, new double[] {1e-4, 1e-4}, new double[] {3, 5}).svg();
        assertFalse(text.contains("NaN"), text);
        Svg svg = Svg.parse(text);
        assertEquals(List.of("0.0001", "0.001"), svg.texts("//g[@class='x-axis']/text[@class='tick']"));
        String empty = SvgChart.titled("none").x("share", SvgChart.Axis.LOG).y("cost")
                .points("a", 1, new double[] {0}, new double[] {3}).svg();
        assertFalse(empty.contains("NaN"), empty);
    }

    @Test
    void stack_onePanelPerChart_barsPerCategory() {
        String text = SvgChart.stack(List.of(
                SvgChart.titled("one").x("model", SvgChart.Axis.CATEGORY).categories(List.of("a", "b"))
                        .bars("sMAPE", 1, new double[] {12.5, 10}).bars("MASE", 2, new double[] {1.1, 0.9}),
                SvgChart.titled("two").line("l", 0, new double[] {0, 1}, new double[] {0, 1})));
        Svg svg = Svg.parse(text);
        assertEquals(String.valueOf(2 * SvgChart.HEIGHT), svg.root().getAttribute("height"));
        assertEquals(2, svg.all("//g[@class='panel']").size());
        assertEquals(List.of("a", "b"), svg.texts("(//g[@class='panel'])[1]/g[@class='x-axis']/text[@class='tick']"));
        assertEquals(List.of("12.5", "10"), svg.all("//rect[@class='bar'][@data-name='sMAPE']").stream()
                .map(e -> e.getAttribute("data-value")).toList());
        assertEquals(List.of("a", "b"), svg.all("//rect[@class='bar'][@data-name='MASE']").stream()
                .map(e -> e.getAttribute("data-category")).toList());
    }

    /**
     * Values near the largest double: a tick past the largest value, or the span between two ticks, would overflow.
     * The axes are drawn in units of a power of ten named in their labels, every coordinate is a number, and the
     * ticks keep their SI form.
     */
    @Test
    void chart_valuesNearTheLargestDouble_drawnInAUnitOfAPowerOfTen() {
        double[] x = {-1.7e308, 0, 1.7e308};
        String text = SvgChart.titled("huge").x("predicted", SvgChart.Axis.LINEAR).y("actual")
                .points("seen", 1, x, new double[] {1e308, 1.5e308, Double.MAX_VALUE})
                .line("flat", 2, x, new double[] {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE}).svg();
        Svg svg = Svg.parse(text);

        assertFalse(text.contains("Infinity") || text.contains("NaN"), text);
        assertEquals(List.of("actual (\u00d71e+308)"),
                svg.texts("//g[@class='y-axis']/text[@class='label']"));
        assertEquals(List.of("predicted (\u00d71e+308)"),
                svg.texts("//g[@class='x-axis']/text[@class='label']"));
        List<String> ticks = svg.texts("//text[@class='tick']");
        assertFalse(ticks.isEmpty());
        ticks.forEach(t -> assertTrue(t.matches("-?\\d+(\\.\\d+)?"), t));
        // The largest value is on the plot, not clamped to its edge: below the top tick.
        double[][] line = Svg.points(svg.all("//polyline[@data-name='flat']").get(0));
        assertTrue(line[0][1] > 40, "y " + line[0][1]);
    }

    /** A logarithmic axis up to the largest double: its decades are labelled with their powers of ten. */
    @Test
    void chart_logAxisToTheLargestDouble_decadesAsPowersOfTen() {
        String text = SvgChart.titled("log").x("share", SvgChart.Axis.LOG).y("n")
                .points("seen", 1, new double[] {1e300, Double.MAX_VALUE}, new double[] {1, 2}).svg();

        assertFalse(text.contains("Infinity") || text.contains("NaN"), text);
        List<String> x = Svg.parse(text).texts("//g[@class='x-axis']/text[@class='tick']");
        assertEquals("1e+300", x.get(0));
        assertEquals("1e+309", x.get(x.size() - 1));
    }
}
