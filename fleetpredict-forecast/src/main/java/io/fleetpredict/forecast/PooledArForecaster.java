package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A trained {@link PooledAr} as a {@link Forecaster}: fitting reads the series only to find its own error
 * scale; the coefficients stay as trained.
 */
final class PooledArForecaster implements Forecaster {

    private final PooledAr model;
    private final String kind;

    PooledArForecaster(PooledAr model, String kind) {
        this.model = Objects.requireNonNull(model, "model");
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    @Override
    public boolean trainedBeforeFit() {
        return true;
    }

    @Override
    public String name() {
        return String.format(Locale.ROOT, "%s(%d)", kind, model.settings().lags());
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fit(this, series);
    }

    /**
     * Fits as {@code owner}, the forecaster the fitted model names as its own.
     *
     * @throws InsufficientDataException if the series is shorter than {@code lags + 1}
     * @throws ModelFitException if a value cannot be normalised
     */
    FittedModel fit(Forecaster owner, TimeSeries series) {
        Objects.requireNonNull(series, "series");
        int p = model.settings().lags();
        if (series.size() < p + 1) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least %d values (%d lags and one to measure its errors), got %d",
                    name(), p + 1, p, series.size()));
        }
        double[] y = transform(series);
        return new Fitted(owner, series, model, model.scaleOf(y));
    }

    private double[] transform(TimeSeries series) {
        try {
            return PooledAr.transform(series.values(), model.settings().normalisation(), name());
        } catch (IllegalArgumentException e) {
            throw new ModelFitException(Objects.requireNonNullElse(e.getMessage(), name() + ": cannot be normalised"), e);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    /** The model with the series it forecasts from and that series' error scale; an update keeps the scale. */
    private static final class Fitted extends AbstractFittedModel {
        private final PooledAr model;
        private final double scale;

        Fitted(Forecaster forecaster, TimeSeries history, PooledAr model, double scale) {
            super(forecaster, history);
            this.model = model;
            this.scale = scale;
        }

        @Override
        public String description() {
            GlobalAutoregression.Settings s = model.settings();
            return String.format(Locale.ROOT,
                    "%s: ridge autoregression of order %d, %s-normalised windows, %d steps direct, trained on "
                            + "%d windows of %d series, ridge %s; error scale of this series %.3f",
                    forecaster().name(), s.lags(), s.normalisation().name().toLowerCase(Locale.ROOT), s.horizon(),
                    model.windows(), model.series(), s.ridge(), scale);
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("lags", (double) model.settings().lags());
            p.put("horizon", (double) model.settings().horizon());
            p.put("ridge", model.settings().ridge());
            p.put("windows", (double) model.windows());
            p.put("series", (double) model.series());
            p.put("errorScale", scale);
            return Collections.unmodifiableMap(p);
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            int trained = model.settings().horizon();
            if (horizon > trained) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s forecasts at most the %d steps it was trained for, asked for %d",
                        forecaster().name(), trained, horizon));
            }
            double[] y = PooledAr.transform(history.tail(model.settings().lags()).values(),
                    model.settings().normalisation(), forecaster().name());
            double[][] f = model.forecast(y, scale, horizon, levels);
            Forecast.Builder b = Forecast.builder(forecaster().name(), history.end(), history.step(), f[0]);
            for (int l = 0; l < levels.length; l++) {
                b.interval(levels[l], f[1 + 2 * l], f[2 + 2 * l]);
            }
            return b.build();
        }

        @Override
        public FittedModel update(TimeSeries next) {
            return new Fitted(forecaster(), history.append(next), model, scale);
        }
    }
}
