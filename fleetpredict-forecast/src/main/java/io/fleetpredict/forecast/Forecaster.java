package io.fleetpredict.forecast;

/**
 * A forecasting model specification: what to fit, not yet fitted.
 *
 * <p>Implementations are immutable and thread-safe; {@link #fit} is deterministic for a given series.
 * Obtain instances from {@link Forecasters}.
 *
 * <p><b>Exogenous regressors.</b> A model that can use {@link Regressors} (event indicators, ramps,
 * calendar dummies) overrides {@link #fit(TimeSeries, Regressors)}: seasonal ARIMA as a regression with
 * ARIMA errors, the LSTM as extra inputs. Every other model throws {@link UnsupportedOperationException}
 * naming itself when given regressors with at least one column, so regressors are never silently
 * ignored; {@link #acceptsRegressors()} tells in advance.
 */
public interface Forecaster {

    /**
     * A short name of the specification, such as {@code "snaive(24)"} or {@code "holt-winters(24)"}.
     *
     * @return the name
     */
    String name();

    /**
     * Estimates the model on a series.
     *
     * @param series the history, regular and free of gaps
     * @return the fitted model, immutable and thread-safe
     * @throws InsufficientDataException if the series is too short for this model
     * @throws ModelFitException if estimation fails
     */
    FittedModel fit(TimeSeries series);

    /**
     * Estimates the model on a series as {@link #fit(TimeSeries)} does, telling {@code progress} how far it has
     * gone. The default reports one fit once it is done; automatic selection reports each candidate fitted at
     * each cross-validation origin.
     *
     * @param series the history, regular and free of gaps
     * @param progress told of the fits done
     * @return the fitted model, the same as {@link #fit(TimeSeries)} gives
     */
    default FittedModel fitReporting(TimeSeries series, FitProgress progress) {
        FittedModel m = fit(series);
        progress.fitted(1, 1);
        return m;
    }

    /**
     * Estimates the model on a series with exogenous regressors over the same steps. A model fitted this
     * way forecasts with {@link FittedModel#forecast(int, Regressors, double...)} and absorbs new data with
     * {@link FittedModel#update(TimeSeries, Regressors)}.
     *
     * <p>The default accepts regressors without columns (fitting the series alone) and throws otherwise.
     *
     * @param series the history, regular and free of gaps
     * @param past the regressors over exactly the steps of {@code series}
     * @return the fitted model
     * @throws UnsupportedOperationException if this model cannot take regressors
     * @throws IllegalArgumentException if the regressors do not cover the series' steps
     */
    default FittedModel fit(TimeSeries series, Regressors past) {
        if (past.count() == 0) {
            return fit(series);
        }
        throw new UnsupportedOperationException(name() + " cannot take regressors " + past.names());
    }

    /**
     * Whether {@link #fit(TimeSeries, Regressors)} accepts regressors with columns.
     *
     * @return false unless the model overrides it
     */
    default boolean acceptsRegressors() {
        return false;
    }

    /**
     * Whether this forecaster holds a model trained before {@link #fit(TimeSeries)}, for example across
     * many series ({@link LstmModel#forecaster()}, {@link GlobalAutoregression#train}), so that fitting
     * only reads the series. Cross-validating such a model scores, at every origin, the model as it was
     * trained: on values it was trained on, unless it was trained on the series cut before the first
     * origin. A forecaster built around another (a transformation, or {@code auto} with such a candidate)
     * answers as the model it holds. {@link Backtest#rollingOrigin} and the extra candidates of
     * {@link Forecasters#auto(CrossValidation, java.util.List, int...)} therefore take such a model only as a
     * {@link Forecasters#globalCandidate}, whose form trained before the origins is the one scored there.
     *
     * @return false unless the model overrides it
     */
    default boolean trainedBeforeFit() {
        return false;
    }
}
