package io.fleetpredict.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Charts as standalone SVG with no dependencies: lines, point sets, filled bands (a forecast's fan) and
 * grouped bars, on a linear, logarithmic, time or category x axis, with a title, axis labels, ticks and a
 * legend. Tick labels are readable: dates and times (UTC) on a time axis, SI suffixes ({@code 1.2k},
 * {@code 3M}) on numeric ones ({@link Numbers#si}). Several charts can be stacked into one picture, one
 * panel each ({@link #stack}).
 *
 * <p>Elements carry their kind as a class ({@code line}, {@code points}, {@code band}, {@code bar},
 * {@code rule}) and their legend name as {@code data-name}, and tick labels the class {@code tick}, so a
 * program (or a test) can read the picture back. Coordinates are written with {@link Locale#ROOT}.
 */
final class SvgChart {

    /** How the x values are placed and labelled. */
    enum Axis {
        /** Numbers, evenly. */
        LINEAR,
        /** Positive numbers, by powers of ten (non-positive values sit at the axis minimum). */
        LOG,
        /** Instants as epoch seconds, labelled with dates and times in UTC. */
        TIME,
        /** The categories given by {@link #categories}, at 0, 1, 2 ...; bars are grouped on them. */
        CATEGORY
    }

    private static final String[] COLOURS = {"#222222", "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2", "#17becf"};
    static final int WIDTH = 960;
    static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 230;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final double PLOT_W = WIDTH - LEFT - RIGHT;
    private static final double PLOT_H = HEIGHT - TOP - BOTTOM;
    /** The pixel columns of the plot area, what a chart of many points is reduced to ({@link ColumnExtremes}). */
    static final int PLOT_COLUMNS = (int) PLOT_W;

    private enum Kind { LINE, POINTS, LINE_POINTS, BAND, BARS, RULE }

    private record Element(Kind kind, String name, int colour, double[] x, double[] y, double @Nullable [] y2) {
    }

    private final String title;
    private String note = "";
    private String xLabel = "";
    private String yLabel = "";
    private Axis axis = Axis.LINEAR;
    private double yCap = Double.POSITIVE_INFINITY;
    private List<String> categories = List.of();
    private final List<Element> elements = new ArrayList<>();

    private SvgChart(String title) {
        this.title = title;
    }

    /** A chart with this title, a linear x axis and nothing drawn yet. */
    static SvgChart titled(String title) {
        return new SvgChart(title);
    }

    /** A line of small print under the title, such as what the chart leaves out and why. */
    SvgChart note(String text) {
        this.note = text;
        return this;
    }

    SvgChart x(String label, Axis value) {
        this.xLabel = label;
        this.axis = value;
        return this;
    }

    SvgChart y(String label) {
        this.yLabel = label;
        return this;
    }

    /** The highest y the axis shows; larger values are drawn on the top edge. Without it every value fits. */
    SvgChart yCap(double value) {
        this.yCap = value;
        return this;
    }

    /** The names of the categories of a {@link Axis#CATEGORY} axis, in order. */
    SvgChart categories(List<String> names) {
        this.categories = List.copyOf(names);
        return this;
    }

    /** A line through the points, in the palette's colour {@code colour}. */
    SvgChart line(String name, int colour, double[] x, double[] y) {
        return add(Kind.LINE, name, colour, x, y, null);
    }

    /** Points, unjoined. */
    SvgChart points(String name, int colour, double[] x, double[] y) {
        return add(Kind.POINTS, name, colour, x, y, null);
    }

    /** A line with its points marked. */
    SvgChart linePoints(String name, int colour, double[] x, double[] y) {
        return add(Kind.LINE_POINTS, name, colour, x, y, null);
    }

    /** The area between {@code lower} and {@code upper}, filled translucent so nested bands darken inwards. */
    SvgChart band(String name, int colour, double[] x, double[] lower, double[] upper) {
        return add(Kind.BAND, name, colour, x, lower, upper);
    }

    /** One bar per category, grouped beside the other bar sets. */
    SvgChart bars(String name, int colour, double[] values) {
        double[] x = new double[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return add(Kind.BARS, name, colour, x, values, null);
    }

    /** A dashed horizontal line at {@code y} across the plot, such as a reference level. */
    SvgChart rule(String name, int colour, double y) {
        return add(Kind.RULE, name, colour, new double[0], new double[] {y}, null);
    }

    private SvgChart add(Kind kind, String name, int colour, double[] x, double[] y, double @Nullable [] y2) {
        if (x.length != (kind == Kind.RULE ? 0 : y.length) || y2 != null && y2.length != y.length) {
            throw new IllegalArgumentException(name + ": x and y differ in length");
        }
        elements.add(new Element(kind, name, colour, x.clone(), y.clone(), y2 == null ? null : y2.clone()));
        return this;
    }

    /** The chart as a standalone SVG document. */
    String svg() {
        return stack(List.of(this));
    }

    /** Charts one above the other in one SVG document. */
    static String stack(List<SvgChart> charts) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT * charts.size(),
                WIDTH, HEIGHT * charts.size()));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        for (int i = 0; i < charts.size(); i++) {
            sb.append(String.format(Locale.ROOT, "<g class=\"panel\" transform=\"translate(0 %d)\">%n", i * HEIGHT));
            charts.get(i).draw(sb);
            sb.append("</g>\n");
        }
        return sb.append("</svg>\n").toString();
    }

    private void draw(StringBuilder sb) {
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (Element e : elements) {
            for (double x : e.x()) {
                if (Double.isFinite(x) && (axis != Axis.LOG || x > 0)) {
                    xmin = Math.min(xmin, x);
                    xmax = Math.max(xmax, x);
                }
            }
            for (double[] ys : e.y2() == null ? List.of(e.y()) : List.of(e.y(), e.y2())) {
                for (double y : ys) {
                    if (Double.isFinite(y)) {
                        ymin = Math.min(ymin, y);
                        ymax = Math.max(ymax, Math.min(y, yCap));
                    }
                }
            }
            if (e.kind() == Kind.BARS) {
                ymin = Math.min(ymin, 0);
            }
        }
        if (axis == Axis.CATEGORY) {
            xmin = -0.5;
            xmax = Math.max(categories.size(), 1) - 0.5;
        } else if (axis == Axis.LOG) {
            // Widened below by decades: widening by one as on a linear axis would reach zero and below.
            if (!Double.isFinite(xmin)) {
                xmin = 1;
                xmax = 10;
            }
        } else if (!(xmax > xmin)) {
            xmin = Double.isFinite(xmin) ? xmin - 1 : 0;
            xmax = xmin + 2;
        }
        if (axis == Axis.LOG) {
            // Decades as exponents: 10 to the power above the largest double is no number.
            xmin = Math.floor(Math.log10(xmin));
            xmax = Math.ceil(Math.log10(xmax));
            if (!(xmax > xmin)) {
                xmax = xmin + 1;
            }
        }
        if (!Double.isFinite(ymin)) {
            ymin = 0;
            ymax = 1;
        }
        if (ymin >= 0 && ymin <= 0.5 * ymax) {
            ymin = 0;
        }
        // Values beyond the largest SI suffix are drawn in units of a power of ten, named in the axis label, so the
        // ticks and the spans between them stay far from the largest double.
        double yScale = scale(ymin, ymax);
        double xScale = axis == Axis.LINEAR ? scale(xmin, xmax) : 1;
        double[] yTicks = niceTicks(ymin / yScale, ymax / yScale);
        double y0 = yTicks[0];
        double y1 = yTicks[yTicks.length - 1];
        double x0 = xmin / xScale;
        double x1 = xmax / xScale;
        // Where a value in the axis' units (scaled, or a decade's exponent) is drawn, and where a data value is.
        DoubleUnaryOperator pxAxis = u -> LEFT + PLOT_W * (u - x0) / (x1 - x0);
        DoubleUnaryOperator pyAxis = v -> TOP + PLOT_H - PLOT_H * (Math.max(y0, Math.min(v, y1)) - y0) / (y1 - y0);
        DoubleUnaryOperator px = x -> pxAxis.applyAsDouble(axis == Axis.LOG
                ? (x > 0 ? Math.max(Math.log10(x), x0) : x0) : x / xScale);
        DoubleUnaryOperator py = y -> pyAxis.applyAsDouble(y / yScale);

        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n",
                LEFT, escape(title)));
        if (!note.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<text class=\"note\" x=\"%d\" y=\"36\" font-size=\"11\">%s</text>%n",
                    LEFT, escape(note)));
        }
        sb.append("<g class=\"y-axis\">\n");
        for (double y : yTicks) {
            double yy = pyAxis.applyAsDouble(y);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                    + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, yy, LEFT + PLOT_W, yy, LEFT - 6, yy + 4, Numbers.si(y)));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"18\" y=\"%.1f\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 18 %.1f)\">%s</text>%n</g>%n", TOP + PLOT_H / 2, TOP + PLOT_H / 2,
                escape(scaled(yLabel, yScale))));
        sb.append("<g class=\"x-axis\">\n");
        List<Double> xTicks = new ArrayList<>();
        List<String> xLabels = new ArrayList<>();
        xTicks(x0, x1, xTicks, xLabels);
        for (int i = 0; i < xTicks.size(); i++) {
            // Ticks are in the axis' units: scaled on a linear axis, exponents on a logarithmic one.
            double xx = pxAxis.applyAsDouble(xTicks.get(i));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                    + "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n",
                    xx, TOP, xx, TOP + PLOT_H, xx, TOP + PLOT_H + 16, escape(xLabels.get(i))));
        }
        sb.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n"
                + "</g>%n", LEFT + PLOT_W / 2, HEIGHT - 18, escape(scaled(xLabel, xScale))));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, TOP, PLOT_W, PLOT_H));

        long barSets = elements.stream().filter(e -> e.kind() == Kind.BARS).count();
        int barIndex = 0;
        int legend = 0;
        for (Element e : elements) {
            String colour = COLOURS[Math.floorMod(e.colour(), COLOURS.length)];
            String name = escape(e.name());
            switch (e.kind()) {
                case BAND -> {
                    double[] upper = Objects.requireNonNull(e.y2(), "a band has its upper bounds");
                    sb.append(String.format(Locale.ROOT, "<polygon class=\"band\" data-name=\"%s\" fill=\"%s\" "
                            + "fill-opacity=\"0.2\" stroke=\"none\" points=\"", name, colour));
                    for (int i = 0; i < e.x().length; i++) {
                        point(sb, px.applyAsDouble(e.x()[i]), py.applyAsDouble(upper[i]));
                    }
                    for (int i = e.x().length - 1; i >= 0; i--) {
                        point(sb, px.applyAsDouble(e.x()[i]), py.applyAsDouble(e.y()[i]));
                    }
                    sb.append("\"/>\n");
                }
                case BARS -> {
                    double group = 0.8 / barSets;
                    for (int i = 0; i < e.y().length; i++) {
                        double left = px.applyAsDouble(i - 0.4 + barIndex * group);
                        double right = px.applyAsDouble(i - 0.4 + (barIndex + 1) * group);
                        double top = py.applyAsDouble(Math.max(e.y()[i], 0));
                        double bottom = py.applyAsDouble(Math.min(e.y()[i], 0));
                        sb.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-name=\"%s\" data-category=\"%s\" "
                                + "data-value=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                                name, escape(i < categories.size() ? categories.get(i) : Integer.toString(i)),
                                Numbers.json(e.y()[i]), left, top, right - left, bottom - top, colour));
                    }
                    barIndex++;
                }
                case RULE -> sb.append(String.format(Locale.ROOT, "<line class=\"rule\" data-name=\"%s\" x1=\"%d\" "
                        + "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"6 4\"/>%n", name, LEFT,
                        py.applyAsDouble(e.y()[0]), LEFT + PLOT_W, py.applyAsDouble(e.y()[0]), colour));
                default -> {
                    if (e.kind() != Kind.POINTS && e.x().length > 1) {
                        sb.append(String.format(Locale.ROOT, "<polyline class=\"line\" data-name=\"%s\" fill=\"none\" "
                                + "stroke=\"%s\" stroke-width=\"1.5\" points=\"", name, colour));
                        for (int i = 0; i < e.x().length; i++) {
                            point(sb, px.applyAsDouble(e.x()[i]), py.applyAsDouble(e.y()[i]));
                        }
                        sb.append("\"/>\n");
                    }
                    if (e.kind() != Kind.LINE || e.x().length == 1) {
                        sb.append(String.format(Locale.ROOT, "<g class=\"points\" data-name=\"%s\" fill=\"%s\">", name,
                                colour));
                        for (int i = 0; i < e.x().length; i++) {
                            sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                                    px.applyAsDouble(e.x()[i]), py.applyAsDouble(e.y()[i])));
                        }
                        sb.append("</g>\n");
                    }
                }
            }
            double ly = TOP + 10 + 20 * legend++;
            sb.append(String.format(Locale.ROOT, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"20\" "
                    + "height=\"%s\" fill=\"%s\"%s/><text x=\"%.1f\" y=\"%.1f\">%s</text></g>%n", LEFT + PLOT_W + 12,
                    ly - (e.kind() == Kind.BAND || e.kind() == Kind.BARS ? 6 : 1.5),
                    e.kind() == Kind.BAND || e.kind() == Kind.BARS ? "12" : "3", colour,
                    e.kind() == Kind.BAND ? " fill-opacity=\"0.35\"" : "", LEFT + PLOT_W + 38, ly + 4, name));
        }
    }

    private static void point(StringBuilder sb, double x, double y) {
        sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }

    /**
     * Above this magnitude an axis is drawn in units of a power of ten: a thousand of the largest SI suffix, where
     * labels would otherwise grow digits ({@code 1000P}) and, near the largest double, a tick past the largest value
     * or the span between two would overflow.
     */
    static final double SCALED_FROM = 1e18;

    /** The unit an axis over [lo, hi] is drawn in: 1, or the power of ten of the larger end from {@link #SCALED_FROM}. */
    static double scale(double lo, double hi) {
        double largest = Math.max(Math.abs(lo), Math.abs(hi));
        return largest < SCALED_FROM ? 1 : Math.pow(10, Math.floor(Math.log10(largest)));
    }

    /** An axis label with the unit its ticks are in when they are scaled: {@code actual, cores (×1e+300)}. */
    private static String scaled(String label, double scale) {
        return scale == 1 ? label : label + " (\u00d7" + Numbers.plain(scale) + ")";
    }

    /**
     * Ticks at round steps (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi], about five intervals; both
     * below {@link #SCALED_FROM} in magnitude ({@link #scale} brings them there).
     */
    static double[] niceTicks(double lo, double hi) {
        if (!(Math.abs(lo) < SCALED_FROM && Math.abs(hi) < SCALED_FROM)) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "ticks of [%s, %s] are computed once the axis is scaled", lo, hi));
        }
        if (!(hi > lo)) {
            hi = lo == 0 ? 1 : lo + Math.abs(lo);
        }
        double raw = (hi - lo) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = 10 * power;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * power >= raw * 0.999) {
                step = m * power;
                break;
            }
        }
        double first = Math.floor(lo / step + 1e-9) * step;
        int n = (int) Math.ceil((hi - first) / step - 1e-9);
        double[] ticks = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            // Rounded so that 0.1 * 3 prints as 0.3.
            ticks[i] = Numbers.round(first + i * step, 12).doubleValue();
        }
        return ticks;
    }

    private void xTicks(double x0, double x1, List<Double> at, List<String> labels) {
        switch (axis) {
            case CATEGORY -> {
                for (int i = 0; i < categories.size(); i++) {
                    at.add((double) i);
                    labels.add(categories.get(i));
                }
            }
            case LOG -> {
                // x0 and x1 are the exponents of the first and last decade.
                for (double e = x0; e <= x1; e++) {
                    at.add(e);
                    // Past the SI suffixes, and past the largest double (1e+309), a decade is its power of ten.
                    labels.add(Math.abs(e) < 18 ? Numbers.si(Math.pow(10, e))
                            : String.format(Locale.ROOT, "1e%+d", (long) e));
                }
            }
            case TIME -> timeTicks(x0, x1, at, labels);
            default -> {
                for (double x : niceTicks(x0, x1)) {
                    if (x >= x0 - 1e-9 * (x1 - x0) && x <= x1 + 1e-9 * (x1 - x0)) {
                        at.add(x);
                        labels.add(Numbers.si(x));
                    }
                }
            }
        }
    }

    private static final long[] TIME_STEPS = {60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400,
        2 * 86_400, 7 * 86_400, 14 * 86_400};

    /** Ticks at whole minutes, hours, days or weeks (UTC), or at the first of months, at most about seven. */
    static void timeTicks(double x0, double x1, List<Double> at, List<String> labels) {
        double span = x1 - x0;
        for (long step : TIME_STEPS) {
            if (span / step <= 7) {
                DateTimeFormatter f = DateTimeFormatter.ofPattern(step >= 86_400 ? "yyyy-MM-dd"
                        : span <= 86_400 ? "HH:mm" : "MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
                long first = (long) Math.ceil(x0 / step) * step;
                for (long t = first; t <= x1; t += step) {
                    at.add((double) t);
                    labels.add(f.format(Instant.ofEpochSecond(t)));
                }
                return;
            }
        }
        long months = 1;
        while (span / (months * 30.44 * 86_400) > 7) {
            months = months < 3 ? 3 : months < 6 ? 6 : months * 2;
        }
        ZonedDateTime t = Instant.ofEpochSecond((long) Math.floor(x0)).atZone(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM", Locale.ROOT);
        for (; t.toEpochSecond() <= x1; t = t.plusMonths(months)) {
            if (t.toEpochSecond() >= x0) {
                at.add((double) t.toEpochSecond());
                labels.add(f.format(t));
            }
        }
    }

    /**
     * Writes a picture to a file, replacing it.
     *
     * @throws InvalidInputException if the file cannot be written
     */
    static void write(java.nio.file.Path file, String svg) {
        OutputFiles.write(file, svg);
    }

    /** Epoch seconds of an instant, the x value of a {@link Axis#TIME} axis. */
    static double seconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
