package io.fleetpredict.forecast;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A model fitted on the Box-Cox transformed series, its forecasts transformed back as R's
 * {@code forecast(..., lambda, biasadj = TRUE)} does: interval bounds and the median are transformed back
 * as they are (a monotone transformation keeps quantiles), and the point forecast is the bias-adjusted mean
 * ({@link BoxCox#inverseMean}) with the transformed-scale variance read from the widest interval, so that
 * point forecasts estimate the mean, not the median, on the original scale.
 *
 * <p>{@code lambda} is either fixed or, when {@code guerreroPeriod > 0}, chosen on the series each fit
 * sees by Guerrero's method within {@code [lower, upper]} (so cross-validation re-chooses it at every
 * origin from the values before it). Data the transformation cannot take (values not positive for
 * {@code lambda <= 0}, negative values otherwise) fail the fit with {@link ModelFitException}.
 */
final class BoxCoxTransformed implements Forecaster {

    /** Guerrero's {@code lambda} is sought within this range for a chosen transformation. */
    static final double GUERRERO_LOWER = 0;
    static final double GUERRERO_UPPER = 1;

    private final Forecaster model;
    private final double fixedLambda;
    private final int guerreroPeriod;

    private BoxCoxTransformed(Forecaster model, double fixedLambda, int guerreroPeriod) {
        if (model == null) {
            throw new NullPointerException("model");
        }
        this.model = model;
        this.fixedLambda = fixedLambda;
        this.guerreroPeriod = guerreroPeriod;
    }

    static BoxCoxTransformed fixed(Forecaster model, double lambda) {
        if (!(lambda >= -1 && lambda <= 2)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "lambda must be in [-1, 2], was %s", lambda));
        }
        return new BoxCoxTransformed(model, lambda, 0);
    }

    static BoxCoxTransformed guerrero(Forecaster model, int period) {
        return new BoxCoxTransformed(model, Double.NaN, Forecasters.requirePeriod(period));
    }

    @Override
    public boolean trainedBeforeFit() {
        return model.trainedBeforeFit();
    }

    @Override
    public String name() {
        if (guerreroPeriod > 0) {
            return "boxcox(" + model.name() + ")";
        }
        return fixedLambda == 0 ? "log(" + model.name() + ")"
                : String.format(Locale.ROOT, "boxcox[%s](%s)", fixedLambda, model.name());
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        // The transformation is of the values in the unit they are fitted in, so that Guerrero's lambda and the
        // model after it see values of an ordinary size; their domain is checked on the values as given.
        return PowerOfTwoUnit.fit(this, series, s -> fitInUnit(s, series));
    }

    /** Chooses lambda and fits the model to {@code series} transformed; {@code given} is the series as given. */
    private FittedModel fitInUnit(TimeSeries series, TimeSeries given) {
        double[] x = series.values();
        double lambda = fixedLambda;
        String how = "fixed";
        if (guerreroPeriod > 0) {
            int length = Math.max(2, guerreroPeriod);
            // Too short for two seasonal subseries: Guerrero over pairs of values, as R with frequency 1.
            int period = x.length >= 2L * length ? guerreroPeriod : 1;
            lambda = BoxCox.guerrero(x, period, GUERRERO_LOWER, GUERRERO_UPPER);
            how = String.format(Locale.ROOT, "Guerrero, subseries of %d", Math.max(2, period));
        }
        return new Fitted(this, series, lambda, how, model.fit(transform(series, given, lambda)));
    }

    private TimeSeries transform(TimeSeries series, double lambda) {
        return transform(series, series, lambda);
    }

    /** {@code series} transformed, refused where {@code given}, the same values in the caller's unit, is not in the domain. */
    private TimeSeries transform(TimeSeries series, TimeSeries given, double lambda) {
        double[] x = given.values();
        double[] scaled = series.values();
        double[] y = new double[x.length];
        // A chosen lambda at the search's lower limit of 0, to its resolution, is the log, though a hair above 0:
        // a 0 would go to about -1/lambda, far below every other value, so it is refused as the log refuses it.
        boolean chosenLog = guerreroPeriod > 0 && BoxCox.atLogResolution(lambda);
        for (int t = 0; t < x.length; t++) {
            if (lambda <= 0 || chosenLog ? !(x[t] > 0) : x[t] < 0) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "%s: value %s at index %d (%s) is outside the Box-Cox domain for lambda %.4g%s",
                        name(), x[t], t, series.start().plus(series.step().multipliedBy(t)), lambda,
                        chosenLog ? " (Guerrero's choice is the log, to the search's resolution, which needs values "
                                + "above 0; fix lambda, or forecast without Box-Cox)" : ""));
            }
            y[t] = BoxCox.forward(scaled[t], lambda);
        }
        return TimeSeries.of(series.start(), series.step(), y);
    }

    private static final class Fitted extends AbstractFittedModel {
        private final BoxCoxTransformed spec;
        private final double lambda;
        private final String how;
        private final FittedModel inner;

        Fitted(BoxCoxTransformed spec, TimeSeries history, double lambda, String how, FittedModel inner) {
            super(spec, history);
            this.spec = spec;
            this.lambda = lambda;
            this.how = how;
            this.inner = inner;
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "Box-Cox lambda=%.4f (%s), bias-adjusted means; %s",
                    lambda, how, inner.description());
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            p.put("lambda", lambda);
            p.putAll(inner.parameters());
            return java.util.Collections.unmodifiableMap(p);
        }

        @Override
        public java.util.List<String> notes() {
            return inner.notes();
        }

        @Override
        Forecast forecastAhead(int horizon, double[] levels) {
            Forecast f = inner.forecast(horizon, levels.length == 0 ? new double[] {95} : levels);
            double[] sd = NormalIntervals.impliedSd(f);
            double[] mean = new double[horizon];
            double[] median = new double[horizon];
            for (int t = 0; t < horizon; t++) {
                mean[t] = finite(BoxCox.inverseMean(f.mean(t), sd[t] * sd[t], lambda), t);
                median[t] = finite(BoxCox.inverse(f.quantile(0.5, t), lambda), t);
            }
            // For lambda <= 0 every back-transformed value is above 0; otherwise the inverse keeps the sign.
            double limit = lambda <= 0 ? 0 : BoxCox.inverse(f.lowerLimit(), lambda);
            Forecast.Builder b = Forecast.builder(description(), history.end(), history.step(), mean)
                    .median(median).lowerLimit(Double.isNaN(limit) ? Double.NEGATIVE_INFINITY : limit);
            for (double level : levels) {
                double[] l = f.lower(level);
                double[] u = f.upper(level);
                double[] bl = new double[horizon];
                double[] bu = new double[horizon];
                for (int t = 0; t < horizon; t++) {
                    bl[t] = finite(BoxCox.inverse(l[t], lambda), t);
                    bu[t] = finite(BoxCox.inverse(u[t], lambda), t);
                }
                b.interval(level, bl, bu);
            }
            return b.build();
        }

        private double finite(double v, int step) {
            if (!Double.isFinite(v)) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "%s: the forecast at step %d has no finite back-transformation with lambda %.4f",
                        spec.name(), step + 1, lambda));
            }
            return v;
        }

        @Override
        public FittedModel update(TimeSeries next) {
            return new Fitted(spec, history.append(next), lambda, how, inner.update(spec.transform(next, lambda)));
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
