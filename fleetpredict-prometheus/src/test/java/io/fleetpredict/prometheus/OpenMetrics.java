package io.fleetpredict.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes gauge samples as OpenMetrics text for {@code promtool tsdb create-blocks-from openmetrics}.
 * A {@code NaN} value is written as a {@code NaN} sample; a {@code null} entry writes nothing (a gap).
 */
public final class OpenMetrics {

    private final Map<String, StringBuilder> families = new LinkedHashMap<>();

    /**
     * Adds one series.
     *
     * @param name the metric name
     * @param labels the labels, such as {@code service="checkout"}, or empty
     * @param start the first sample's time
     * @param step the time between samples
     * @param values the samples, {@code null} for none at that step
     * @return this
     */
    public OpenMetrics gauge(String name, String labels, Instant start, Duration step, List<Double> values) {
        StringBuilder sb = families.computeIfAbsent(name, n -> new StringBuilder("# TYPE " + n + " gauge\n"));
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null) {
                continue;
            }
            Instant t = start.plus(step.multipliedBy(i));
            sb.append(name).append(labels.isEmpty() ? "" : "{" + labels + "}").append(' ')
                    .append(Double.isNaN(v) ? "NaN" : Double.toString(v)).append(' ')
                    .append(java.math.BigDecimal.valueOf(t.toEpochMilli(), 3).toPlainString()).append('\n');
        }
        return this;
    }

    /** @return the text, ending with {@code # EOF} */
    public String text() {
        StringBuilder sb = new StringBuilder();
        families.values().forEach(sb::append);
        return sb.append("# EOF\n").toString();
    }
}
