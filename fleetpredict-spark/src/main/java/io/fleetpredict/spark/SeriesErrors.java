package io.fleetpredict.spark;

import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * Cross-validates each series of a partition at rolling origins, as {@link io.fleetpredict.forecast.Backtest}
 * does in one process: at each origin the model is fitted on the values before it and scored on the
 * {@code horizon} after. One row per series with the mean sMAPE, MASE and coverage over the origins.
 */
final class SeriesErrors extends PerSeries {

    private static final long serialVersionUID = 1L;

    /** The plan, held as its parts: {@link CrossValidation} is not serialisable. */
    private final int horizon;
    private final int origins;
    private final int stride;

    SeriesErrors(ForecastSpec spec, SeriesReader reader, @Nullable Broadcast<byte[]> weights, boolean java8Time,
            CrossValidation plan) {
        super(spec, reader, weights, java8Time);
        this.horizon = plan.horizon();
        this.origins = plan.origins();
        this.stride = plan.stride();
    }

    /** Mean scores over the origins, and the description of the model fitted at the last one. */
    private record Scores(double smape, double mase, double coverage, @Nullable String model) {
    }

    @Override
    List<Row> process(String id, List<Row> rows, Forecaster model, List<Forecaster> fallbacks) {
        CrossValidation plan = new CrossValidation(horizon, origins, stride);
        SeriesReader.Series series;
        try {
            series = reader.read(id, rows);
        } catch (SeriesReader.BadSeriesException e) {
            return List.of(failed(id, String.valueOf(e.getMessage())));
        }
        int first = plan.firstOrigin(series.history().size());
        if (first < 2) {
            return List.of(failed(id, String.format(Locale.ROOT,
                    "%d origins %d steps apart with horizon %d need more than %d values; the series has %d",
                    plan.origins(), plan.stride(), plan.horizon(),
                    plan.horizon() + (plan.origins() - 1) * plan.stride() + 1, series.history().size())));
        }
        Attempt<Scores> a = attempt(model, fallbacks,
                (f, withRegressors) -> score(f, series, plan, first, withRegressors), Scores::model);
        return List.of(row(id, a.result(), a.error()));
    }

    private Scores score(Forecaster f, SeriesReader.Series s, CrossValidation plan, int first,
            boolean withRegressors) {
        TimeSeries history = s.history();
        double level = spec.coverageLevel();
        double smape = 0;
        double mase = 0;
        double coverage = 0;
        String description = null;
        for (int k = 0; k < plan.origins(); k++) {
            int origin = first + k * plan.stride();
            TimeSeries train = history.head(origin);
            double[] actual = history.slice(origin, origin + plan.horizon()).values();
            FittedModel m;
            Forecast fc;
            if (withRegressors && s.hasRegressors()) {
                Regressors past = Objects.requireNonNull(s.past(), "regressors");
                m = f.fit(train, past.head(origin));
                fc = m.forecast(plan.horizon(), past.slice(origin, origin + plan.horizon()), level);
            } else {
                m = f.fit(train);
                fc = m.forecast(plan.horizon(), level);
            }
            Accuracy acc = Accuracy.of(train, actual, fc, spec.period(), level);
            smape += acc.smape();
            mase += acc.mase();
            coverage += acc.coverage();
            description = m.description();
        }
        int n = plan.origins();
        return new Scores(smape / n, mase / n, coverage / n, description);
    }

    @Override
    Row failed(@Nullable String id, String error) {
        return RowFactory.create(id, null, null, null, null, null, error);
    }

    private Row row(String id, @Nullable Scores s, @Nullable String error) {
        if (s == null) {
            return failed(id, String.valueOf(error));
        }
        return RowFactory.create(id, origins, s.smape(), s.mase(), s.coverage(), s.model(), error);
    }
}
