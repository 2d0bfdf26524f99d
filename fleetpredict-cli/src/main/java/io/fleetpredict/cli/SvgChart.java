package io.fleetpredict.cli;

import java.util.List;
import java.util.Locale;

/**
 * Writes small line and scatter charts as standalone SVG, with axes, ticks and a legend, and no
 * dependencies. Coordinates are formatted with {@link Locale#ROOT}.
 */
final class SvgChart {

    /** One named line or set of points; {@code x} and {@code y} have the same length. */
    static final class Series {
        private final String name;
        private final double[] x;
        private final double[] y;
        private final boolean points;

        Series(String name, double[] x, double[] y, boolean points) {
            this.name = name;
            this.x = x.clone();
            this.y = y.clone();
            this.points = points;
        }

        String name() {
            return name;
        }

        double[] x() {
            return x;
        }

        double[] y() {
            return y;
        }

        boolean points() {
            return points;
        }
    }

    private static final String[] COLOURS = {"#222222", "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
    private static final int WIDTH = 960;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 220;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private SvgChart() {
    }

    /**
     * Draws the series on shared axes.
     *
     * @param logX whether the x axis is logarithmic (non-positive x values are drawn at the axis minimum)
     * @param xTicks labels for x ticks, at their x values; null for numeric ticks
     * @param yLimit the highest y the axis must show (larger values are drawn at the top edge); infinite to fit every value
     */
    static String chart(String title, String xLabel, String yLabel, List<Series> series, boolean logX,
            double[] xTickValues, String[] xTickLabels, double yLimit) {
        double xmin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymax = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                double x = s.x()[i];
                if (!logX || x > 0) {
                    xmin = Math.min(xmin, x);
                    xmax = Math.max(xmax, x);
                }
                ymax = Math.max(ymax, s.y()[i]);
            }
        }
        if (logX) {
            xmin = Math.pow(10, Math.floor(Math.log10(xmin)));
            xmax = Math.pow(10, Math.ceil(Math.log10(xmax)));
        }
        if (!(xmax > xmin)) {
            xmax = xmin + 1;
        }
        ymax = niceCeil(Math.min(yLimit, ymax == 0 ? 1 : ymax));
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        final double x0 = xmin;
        final double x1 = xmax;
        final double y1 = ymax;
        java.util.function.DoubleUnaryOperator px = x -> {
            double t = logX ? (Math.log10(Math.max(x, x0)) - Math.log10(x0)) / (Math.log10(x1) - Math.log10(x0))
                    : (x - x0) / (x1 - x0);
            return LEFT + t * plotW;
        };
        java.util.function.DoubleUnaryOperator py = y -> TOP + plotH - y / y1 * plotH;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>\n", LEFT, escape(title)));
        // Axes and grid.
        for (int i = 0; i <= 5; i++) {
            double y = y1 * i / 5;
            double yy = py.applyAsDouble(y);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, yy, LEFT + plotW, yy, LEFT - 6, yy + 4, number(y)));
        }
        if (xTickValues != null) {
            for (int i = 0; i < xTickValues.length; i++) {
                double xx = px.applyAsDouble(xTickValues[i]);
                sb.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                        xx, TOP, xx, TOP + plotH, xx, TOP + plotH + 16, escape(xTickLabels[i])));
            }
        } else if (logX) {
            for (double x = x0; x <= x1 * 1.0001; x *= 10) {
                double xx = px.applyAsDouble(x);
                sb.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                                + "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                        xx, TOP, xx, TOP + plotH, xx, TOP + plotH + 16, number(x)));
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double x = x0 + (x1 - x0) * i / 5;
                double xx = px.applyAsDouble(x);
                sb.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", xx, TOP + plotH + 16, number(x)));
            }
        }
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n",
                LEFT, TOP, plotW, plotH));
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                LEFT + plotW / 2, HEIGHT - 18, escape(xLabel)));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s</text>\n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        // Data.
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            String colour = COLOURS[k % COLOURS.length];
            if (s.x().length > 1) {
                sb.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"")
                        .append(k == 0 && !s.points() ? "1.6" : "1.2").append("\" points=\"");
                for (int i = 0; i < s.x().length; i++) {
                    sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(s.x()[i]),
                            py.applyAsDouble(Math.min(s.y()[i], y1))));
                }
                sb.append("\"/>\n");
            }
            if (s.points()) {
                for (int i = 0; i < s.x().length; i++) {
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>",
                            px.applyAsDouble(s.x()[i]), py.applyAsDouble(Math.min(s.y()[i], y1)), colour));
                }
                sb.append('\n');
            }
            double ly = TOP + 10 + 20 * k;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"/>"
                            + "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                    LEFT + plotW + 12, ly, LEFT + plotW + 32, ly, colour, LEFT + plotW + 38, ly + 4, escape(s.name())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double niceCeil(double v) {
        double e = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * e >= v) {
                return m * e;
            }
        }
        return 10 * e;
    }

    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.3gM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.3gk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
