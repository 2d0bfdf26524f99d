package io.fleetpredict.spark;

import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Regressors;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * Forecasts each series of a partition: one row per step with the mean and the quantiles, and the description
 * of the model that made it; a series no model could forecast gets one row with its error and nulls.
 */
final class SeriesForecasts extends PerSeries {

    private static final long serialVersionUID = 1L;

    SeriesForecasts(ForecastSpec spec, SeriesReader reader, @Nullable Broadcast<byte[]> weights, boolean java8Time) {
        super(spec, reader, weights, java8Time);
    }

    @Override
    List<Row> process(String id, List<Row> rows, Forecaster model, List<Forecaster> fallbacks) {
        SeriesReader.Series series;
        try {
            series = reader.read(id, rows);
        } catch (SeriesReader.BadSeriesException e) {
            return List.of(failed(id, String.valueOf(e.getMessage())));
        }
        Attempt<Made> a = attempt(model, fallbacks, (f, withRegressors) -> forecast(f, series, withRegressors),
                Made::model);
        if (a.result() == null) {
            return List.of(failed(id, String.valueOf(a.error())));
        }
        Forecast fc = a.result().forecast();
        List<Double> quantiles = spec.quantiles();
        List<Row> out = new ArrayList<>(fc.horizon());
        for (int h = 0; h < fc.horizon(); h++) {
            Object[] cells = new Object[6 + quantiles.size()];
            cells[0] = id;
            cells[1] = h + 1;
            cells[2] = timestampCell(fc.start().plus(fc.step().multipliedBy(h)));
            cells[3] = fc.mean(h);
            for (int q = 0; q < quantiles.size(); q++) {
                cells[4 + q] = fc.quantile(quantiles.get(q), h);
            }
            cells[4 + quantiles.size()] = a.model();
            cells[5 + quantiles.size()] = a.error();
            out.add(RowFactory.create(cells));
        }
        return out;
    }

    /** A forecast and the description of the fitted model that made it. */
    private record Made(Forecast forecast, String model) {
    }

    /** The forecast of a series by one model, exactly as in one process. */
    private Made forecast(Forecaster f, SeriesReader.Series s, boolean withRegressors) {
        if (withRegressors && s.hasRegressors()) {
            // A series read with regressors has them over its history and its future both.
            Regressors past = Objects.requireNonNull(s.past(), "regressors");
            Regressors future = Objects.requireNonNull(s.future(), "future regressors");
            FittedModel m = f.fit(s.history(), past);
            return new Made(m.forecast(spec.horizon(), future, spec.levels()), m.description());
        }
        FittedModel m = f.fit(s.history());
        return new Made(m.forecast(spec.horizon(), spec.levels()), m.description());
    }

    @Override
    Row failed(@Nullable String id, String error) {
        Object[] cells = new Object[6 + spec.quantiles().size()];
        cells[0] = id;
        cells[cells.length - 1] = error;
        return RowFactory.create(cells);
    }
}
