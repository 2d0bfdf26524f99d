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
        double[] y = series.values();
        List<String> notes = new ArrayList<>();
        List<TrendTerm> terms = terms(order, constant, notes);
        int npar = order.p() + order.q() + order.seasonalP() + order.seasonalQ() + terms.size();
        int needed = order.differencingLoss() + order.p() + order.period() * order.seasonalP() + npar + 2;
        if (y.length < needed) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least %d observations, got %d", order, needed, y.length));
        }
        if (SeasonalStrength.isConstant(y)) {
            return FittedArima.constant(this, series, "constant series: flat forecast, " + order + " not fitted");
        }
        ArimaFit fit = estimate(order, terms, y, notes);
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

    static double[][] design(List<TrendTerm> terms, int n) {
        double[][] x = new double[terms.size()][];
        for (int j = 0; j < x.length; j++) {
            x[j] = terms.get(j).column(0, n);
        }
        return x;
    }

    static List<String> names(List<TrendTerm> terms) {
        return terms.stream().map(t -> t.label).toList();
    }

    /** CSS-ML, falling back to ML from zero start values when the CSS start is not stationary. */
    static ArimaFit estimate(ArimaOrder order, List<TrendTerm> terms, double[] y, List<String> notes) {
        ArimaSpec spec = new ArimaSpec(order, names(terms));
        double[][] x = design(terms, y.length);
        try {
            return ArimaEstimation.fit(spec, y, x, null, ArimaEstimation.Method.CSS_ML, true, false);
        } catch (ModelFitException e) {
            notes.add(e.getMessage() + ": estimated by ML from zero start values");
            return ArimaEstimation.fit(spec, y, x, null, ArimaEstimation.Method.ML, true, false);
        }
    }
}
