package io.fleetpredict.spark;

import io.fleetpredict.forecast.Forecaster;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.jspecify.annotations.Nullable;

/**
 * The work of one partition, sorted by series id then time: each series' rows are cut out, read and handed
 * to {@link #process}, one series at a time, so a partition never holds more than one series' input. The
 * model is created (or read from the broadcast weights) once per partition.
 */
abstract class PerSeries implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    final ForecastSpec spec;
    final SeriesReader reader;
    /** The broadcast weights of a global model; null for a factory. */
    private final @Nullable Broadcast<byte[]> weights;
    /** Whether Spark expects {@link Instant} rather than {@link Timestamp} in timestamp cells. */
    private final boolean java8Time;

    PerSeries(ForecastSpec spec, SeriesReader reader, @Nullable Broadcast<byte[]> weights, boolean java8Time) {
        this.spec = spec;
        this.reader = reader;
        this.weights = weights;
        this.java8Time = java8Time;
    }

    /** The output rows of one series; never throws for a series' data or model. */
    abstract List<Row> process(String id, List<Row> rows, Forecaster model, List<Forecaster> fallbacks);

    /** The one output row of a series that cannot be forecast or scored. */
    abstract Row failed(@Nullable String id, String error);

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Forecaster model = weights != null ? ModelSource.fromWeights(weights.value()) : spec.model().create();
        List<Forecaster> fallbacks = new ArrayList<>();
        for (ModelSource f : spec.fallbacks()) {
            fallbacks.add(f.forecaster());
        }
        return new Iterator<>() {
            private final Deque<Row> out = new ArrayDeque<>();
            private @Nullable Row pending;

            @Override
            public boolean hasNext() {
                while (out.isEmpty() && (pending != null || input.hasNext())) {
                    Row first = pending != null ? pending : input.next();
                    pending = null;
                    String id = first.getString(0);
                    List<Row> rows = new ArrayList<>();
                    rows.add(first);
                    while (input.hasNext()) {
                        Row r = input.next();
                        if (!Objects.equals(id, r.getString(0))) {
                            pending = r;
                            break;
                        }
                        rows.add(r);
                    }
                    out.addAll(id == null ? List.of(failed(null, rows.size() + " rows have no series_id"))
                            : process(id, rows, model, fallbacks));
                }
                return !out.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.removeFirst();
            }
        };
    }

    /** A timestamp cell of the Java type Spark expects under its current settings. */
    Object timestampCell(Instant t) {
        return java8Time ? t : Timestamp.from(t);
    }

    /** What went wrong, for an error column: the exception's type and message. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The outcome of trying the model, then the fallbacks, on a series. */
    record Attempt<T>(@Nullable T result, @Nullable String model, @Nullable String error) {
    }

    /** One try of a model on a series; throws whatever the model throws. */
    @FunctionalInterface
    interface Trial<T> {
        T run(Forecaster forecaster, boolean withRegressors);
    }

    /**
     * Runs the model (with the series' regressors) and, if it throws, each fallback (without) in turn. The
     * result is the first that succeeds, with the model's error when a fallback gave it; null with every error
     * when none succeeds.
     */
    static <T> Attempt<T> attempt(Forecaster model, List<Forecaster> fallbacks, Trial<T> trial,
            java.util.function.Function<T, String> description) {
        String error;
        try {
            T r = trial.run(model, true);
            return new Attempt<>(r, description.apply(r), null);
        } catch (RuntimeException | StackOverflowError e) {
            error = model.name() + " failed: " + describe(e);
        }
        StringBuilder all = new StringBuilder(error);
        for (Forecaster f : fallbacks) {
            try {
                T r = trial.run(f, false);
                return new Attempt<>(r, description.apply(r), error);
            } catch (RuntimeException | StackOverflowError e) {
                all.append("; fallback ").append(f.name()).append(" failed: ").append(describe(e));
            }
        }
        return new Attempt<>(null, null, all.toString());
    }
}
