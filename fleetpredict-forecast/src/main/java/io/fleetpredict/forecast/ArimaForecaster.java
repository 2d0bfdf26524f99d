package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A seasonal ARIMA of given orders, estimated by CSS then exact maximum likelihood (R's
 * {@code forecast::Arima(y, order, seasonal, include.constant)}). The constant is a mean when the model
 * has no differencing, a drift with one difference, and is not estimable with more.
 */
final class ArimaForecaster implements Forecaster {

    private final ArimaOrder order;
    private final boolean constant;

    ArimaForecaster(ArimaOrder order, boolean constant) {
        this.order = order;
        this.constant = constant;
    }

    @Override
    public String name() {
        String s = order.toString().toLowerCase(Locale.ROOT);
        return constant ? s + " with constant" : s;
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fit(series, Regressors.builder(series.start(), series.step(), series.size()).build());
    }

    /**
     * A regression with ARIMA errors, as R's {@code forecast::Arima(y, xreg = ...)}: the regressors follow
     * the intercept or drift in the design, are differenced with the series, and their coefficients are
     * estimated jointly with the ARMA ones.
     */
    @Override
    public FittedModel fit(TimeSeries series, Regressors past) {
        return PowerOfTwoUnit.fit(this, series, s -> fitInUnit(s, past));
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}); the regressors as given. */
    private FittedModel fitInUnit(TimeSeries series, Regressors past) {
        requireUsable(past).requireAligned(series);
        double[] y = series.values();
        List<String> notes = new ArrayList<>();
        List<TrendTerm> terms = terms(order, constant, notes);
        int npar = order.p() + order.q() + order.seasonalP() + order.seasonalQ() + terms.size() + past.count();
        int needed = order.differencingLoss() + order.p() + order.period() * order.seasonalP() + npar + 2;
        if (y.length < needed) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least %d observations, got %d", order, needed, y.length));
        }
        if (Constancy.isConstant(y) && past.count() == 0) {
            return FittedArima.constant(this, series, "constant series: flat forecast, " + order + " not fitted");
        }
        ArimaFit fit = estimate(order, terms, past, y, notes);
        return FittedArima.of(this, fit, terms, series, String.join("; ", notes));
    }

    static List<TrendTerm> terms(ArimaOrder order, boolean constant, List<String> notes) {
        int diffs = order.d() + order.seasonalD();
        if (!constant) {
            return List.of();
        }
        if (diffs == 0) {
            return List.of(TrendTerm.INTERCEPT);
        }
        if (diffs == 1) {
            return List.of(TrendTerm.DRIFT);
        }
        notes.add("constant dropped: not estimable with " + diffs + " differences");
        return List.of();
    }

    @Override
    public boolean acceptsRegressors() {
        return true;
    }

    /** Rejects regressor names that would shadow a coefficient of the model. */
    static Regressors requireUsable(Regressors past) {
        for (String name : past.names()) {
            if (name.equals(TrendTerm.INTERCEPT.label) || name.equals(TrendTerm.DRIFT.label)
                    || name.matches("s?(ar|ma)[0-9]+") || name.equals("sigma2") || name.equals("loglik")
                    || name.equals("aic") || name.equals("aicc") || name.equals("bic")) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "regressor name '%s' is reserved for an ARIMA coefficient or statistic", name));
            }
        }
        return past;
    }

    static double[][] design(List<TrendTerm> terms, int n) {
        double[][] x = new double[terms.size()][];
        for (int j = 0; j < x.length; j++) {
            x[j] = terms.get(j).column(0, n);
        }
        return x;
    }

    /** The trend columns followed by the exogenous regressors (R's {@code cbind(drift, xreg)}). */
    static double[][] design(List<TrendTerm> terms, Regressors xreg, int n) {
        double[][] x = new double[terms.size() + xreg.count()][];
        for (int j = 0; j < terms.size(); j++) {
            x[j] = terms.get(j).column(0, n);
        }
        double[][] cols = xreg.columnsView();
        System.arraycopy(cols, 0, x, terms.size(), cols.length);
        return x;
    }

    static List<String> names(List<TrendTerm> terms) {
        return terms.stream().map(t -> t.label).toList();
    }

    static List<String> names(List<TrendTerm> terms, Regressors xreg) {
        List<String> names = new ArrayList<>(names(terms));
        names.addAll(xreg.names());
        return names;
    }

    /** CSS-ML, falling back to ML from zero start values when the CSS start is not stationary. */
    static ArimaFit estimate(ArimaOrder order, List<TrendTerm> terms, Regressors xreg, double[] y,
            List<String> notes) {
        ArimaSpec spec = new ArimaSpec(order, names(terms, xreg));
        double[][] x = design(terms, xreg, y.length);
        try {
            return ArimaEstimation.fit(spec, y, x, null, ArimaEstimation.Method.CSS_ML, true, false);
        } catch (ModelFitException e) {
            notes.add(e.getMessage() + ": estimated by ML from zero start values");
            return ArimaEstimation.fit(spec, y, x, null, ArimaEstimation.Method.ML, true, false);
        }
    }
}
