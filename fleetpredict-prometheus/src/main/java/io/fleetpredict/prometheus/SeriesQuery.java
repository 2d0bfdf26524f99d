package io.fleetpredict.prometheus;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * One PromQL expression and the series of the fleet's history it gives: a service's use of a resource,
 * or one of its activity metrics. The expression must return at most one series (aggregate with
 * {@code sum(...)} or select by label); each of its points is the series' value for the step ending at
 * the point's time.
 */
public sealed interface SeriesQuery {

    /** @return the service the series belongs to */
    String service();

    /** @return the PromQL expression */
    String promql();

    /** @return the series' name in the history's file convention, such as {@code checkout.cpu.cores} */
    String name();

    /**
     * A service's use of one resource, in a unit that measures it.
     *
     * @param service the service, not blank
     * @param type the resource
     * @param unit the unit the expression's values are in
     * @param promql the expression, not blank
     */
    record Usage(String service, ResourceType type, ResourceUnit unit, String promql) implements SeriesQuery {

        /**
         * Validates the mapping.
         *
         * @throws IllegalArgumentException if a text is blank or the unit does not measure the resource
         */
        public Usage {
            notBlank("service", service);
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(unit, "unit");
            notBlank("promql", promql);
            if (!type.accepts(unit)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "unit %s does not measure %s", unit.symbol(), type.jsonName()));
            }
        }

        @Override
        public String name() {
            return service + "." + type.name().toLowerCase(Locale.ROOT) + "." + unit.symbol();
        }
    }

    /**
     * An activity metric of a service, such as its transactions per step.
     *
     * @param service the service, not blank
     * @param metric the activity's name, not blank, such as {@code transactions}
     * @param promql the expression, not blank
     */
    record Activity(String service, String metric, String promql) implements SeriesQuery {

        /**
         * Validates the mapping.
         *
         * @throws IllegalArgumentException if a text is blank
         */
        public Activity {
            notBlank("service", service);
            notBlank("metric", metric);
            notBlank("promql", promql);
        }

        @Override
        public String name() {
            return service + ".activity." + metric;
        }
    }

    private static void notBlank(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
