package io.fleetpredict.forecast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A fitted regression with ARIMA errors: fixed coefficients, the Kalman state at the end of the history,
 * and Gaussian prediction intervals from the state-space forecast variances (as R's
 * {@code predict.Arima}, scaled by forecast's unbiased innovation variance).
 */
final class FittedArima extends AbstractFittedModel implements PowerOfTwoUnit.Likelihood {

    private static final NormalDistribution NORMAL = new NormalDistribution(null, 0, 1);

    private final String label;
    private final String description;
    private final Map<String, Double> parameters;
    private final KalmanArima model;
    private final double[] stateMean;
    private final double[] stateCov;
    private final List<TrendTerm> terms;
    /** Coefficients of the trend terms, then of the exogenous regressors. */
    private final double[] beta;
    private final List<String> xregNames;
    private final double sigma2;
    /** The observations the likelihood is of: those left after differencing. */
    private final int likelihoodObservations;

    private FittedArima(Forecaster forecaster, String label, String description, Map<String, Double> parameters,
            TimeSeries history, KalmanArima model, double[] stateMean, double[] stateCov, List<TrendTerm> terms,
            double[] beta, List<String> xregNames, double sigma2, int likelihoodObservations) {
        super(forecaster, history);
        this.likelihoodObservations = likelihoodObservations;
        this.label = label;
        this.description = description;
        this.parameters = parameters;
        this.model = model;
        this.stateMean = stateMean;
        this.stateCov = stateCov;
        this.terms = terms;
        this.beta = beta;
        this.xregNames = xregNames;
        this.sigma2 = sigma2;
    }

    /** A model from an estimation with its state; {@code notes} are appended to the description. */
    static FittedArima of(Forecaster forecaster, ArimaFit fit, List<TrendTerm> terms, TimeSeries history,
            String notes) {
        ArimaFit.EndState end = fit.end;
        if (end == null) {
            throw new IllegalStateException("fit without state");
        }
        ArimaSpec spec = fit.spec;
        List<String> names = spec.names();
        Map<String, Double> params = new LinkedHashMap<>();
        List<String> xregNames = spec.regressorNames.subList(terms.size(), spec.regressors());
        String label = xregNames.isEmpty() ? label(spec.order, terms)
                : "Regression with " + label(spec.order, terms) + " errors";
        StringBuilder sb = new StringBuilder(label);
        sb.append(':');
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), fit.coef[i]);
            sb.append(String.format(Locale.ROOT, " %s=%.4g", names.get(i), fit.coef[i]));
        }
        params.put("sigma2", fit.sigma2Unbiased);
        params.put("loglik", fit.loglik);
        params.put("aic", fit.aic);
        params.put("aicc", fit.aicc);
        params.put("bic", fit.bic);
        sb.append(String.format(Locale.ROOT, " sigma2=%.4g loglik=%.2f AICc=%.2f", fit.sigma2Unbiased, fit.loglik,
                fit.aicc));
        if (!notes.isEmpty()) {
            sb.append("; ").append(notes);
        }
        double[] beta = new double[spec.regressors()];
        System.arraycopy(fit.coef, spec.narma, beta, 0, beta.length);
        return new FittedArima(forecaster, label, sb.toString(),
                Collections.unmodifiableMap(params), history, end.model, end.mean, end.cov,
                List.copyOf(terms), beta, List.copyOf(xregNames), fit.sigma2Unbiased, fit.nUsed);
    }

    /** A flat forecast at the series' value with zero-width intervals, for a constant series. */
    static FittedArima constant(Forecaster forecaster, TimeSeries history, String notes) {
        double level = history.get(history.size() - 1);
        KalmanArima model = KalmanArima.of(new double[0], new double[0], new double[0]);
        double[][] state = model.initialState();
        Map<String, Double> params = new LinkedHashMap<>();
        params.put("intercept", level);
        params.put("sigma2", 0.0);
        String description = String.format(Locale.ROOT, "ARIMA(0,0,0) with non-zero mean: intercept=%.6g sigma2=0; %s",
                level, notes);
        return new FittedArima(forecaster, "ARIMA(0,0,0) with non-zero mean", description,
                Collections.unmodifiableMap(params), history, model, state[0], state[1], List.of(TrendTerm.INTERCEPT),
                new double[] {level}, List.of(), 0.0, 0);
    }

    static String label(ArimaOrder order, List<TrendTerm> terms) {
        int diffs = order.d() + order.seasonalD();
        if (terms.contains(TrendTerm.DRIFT)) {
            return order + " with drift";
        }
        if (terms.contains(TrendTerm.INTERCEPT)) {
            return order + " with non-zero mean";
        }
        return diffs == 0 ? order + " with zero mean" : order.toString();
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public Map<String, Double> parameters() {
        return parameters;
    }

    @Override
    public List<String> regressorNames() {
        return xregNames;
    }

    @Override
    Forecast forecastAhead(int horizon, double[] levels) {
        if (!xregNames.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s was fitted with regressors %s: pass their future values to forecast(horizon, future, levels)",
                    label, xregNames));
        }
        return forecastWith(horizon, new double[0][], levels);
    }

    @Override
    public Forecast forecast(int horizon, Regressors future, double... levels) {
        NormalIntervals.requireHorizon(horizon);
        return forecastWith(horizon, future.future(xregNames, history.end(), history.step(), horizon), levels);
    }

    private Forecast forecastWith(int horizon, double[][] xreg, double... levels) {
        NormalIntervals.requireHorizon(horizon);
        for (double level : levels) {
            if (!(level > 0 && level < 100)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "levels must be in (0, 100) percent, was %s", level));
            }
        }
        double[][] f = model.forecast(stateMean, stateCov, horizon);
        double[] mean = f[0];
        int n = history.size();
        for (int h = 0; h < horizon; h++) {
            for (int j = 0; j < terms.size(); j++) {
                mean[h] += beta[j] * terms.get(j).at(n + h + 1);
            }
            for (int j = 0; j < xreg.length; j++) {
                mean[h] += beta[terms.size() + j] * xreg[j][h];
            }
        }
        Forecast.Builder builder = Forecast.builder(label, history.end(), history.step(), mean);
        for (double level : levels) {
            double z = NORMAL.inverseCumulativeProbability(0.5 + level / 200);
            double[] lo = new double[horizon];
            double[] hi = new double[horizon];
            for (int h = 0; h < horizon; h++) {
                double half = z * Math.sqrt(f[1][h] * sigma2);
                lo[h] = mean[h] - half;
                hi[h] = mean[h] + half;
            }
            builder.interval(level, lo, hi);
        }
        return builder.build();
    }

    @Override
    public FittedModel update(TimeSeries next) {
        if (!xregNames.isEmpty()) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "%s was fitted with regressors %s: pass their values to update(next, nextRegressors)", label,
                    xregNames));
        }
        return updateWith(next, new double[0][]);
    }

    @Override
    public FittedModel update(TimeSeries next, Regressors nextRegressors) {
        if (!next.start().equals(history.end())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "next starts at %s, the history ends at %s", next.start(), history.end()));
        }
        if (nextRegressors.size() != next.size()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "nextRegressors has %d steps for %d observations", nextRegressors.size(), next.size()));
        }
        return updateWith(next, nextRegressors.future(xregNames, history.end(), history.step(), next.size()));
    }

    private FittedModel updateWith(TimeSeries next, double[][] xreg) {
        TimeSeries extended = history.append(next);
        int n = history.size();
        double[] e = next.values();
        for (int j = 0; j < terms.size(); j++) {
            double[] col = terms.get(j).column(n, e.length);
            for (int i = 0; i < e.length; i++) {
                e[i] -= beta[j] * col[i];
            }
        }
        for (int j = 0; j < xreg.length; j++) {
            for (int i = 0; i < e.length; i++) {
                e[i] -= beta[terms.size() + j] * xreg[j][i];
            }
        }
        double[] a = stateMean.clone();
        double[] p = stateCov.clone();
        if (sigma2 > 0) {
            model.filter(e, a, p, false, null);
        }
        return new FittedArima(forecaster(), label, description, parameters, extended, model, a, p, terms, beta,
                xregNames, sigma2, likelihoodObservations);
    }

    @Override
    public int likelihoodObservations(String key) {
        return likelihoodObservations;
    }

    @Override
    public String toString() {
        return description;
    }
}
