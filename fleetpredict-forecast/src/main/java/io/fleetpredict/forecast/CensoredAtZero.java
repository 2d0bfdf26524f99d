package io.fleetpredict.forecast;

import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A model of a quantity that cannot be negative: the forecast is the model's predictive distribution
 * censored at zero, the distribution of {@code max(Y, 0)}. Its quantiles are the model's quantiles
 * raised to zero where they fall below it (exactly, for any distribution, since {@code max(., 0)} is
 * monotone), so an interval's coverage of a non-negative future value is never lower than the model's:
 * a value inside {@code [lower, upper]} is inside {@code [max(lower, 0), upper]}. The point forecast is
 * the censored mean {@code mu Phi(mu / sigma) + sigma phi(mu / sigma)} of a normal predictive
 * distribution with the model's mean and the standard deviation its widest interval implies: at least
 * zero, at least the model's mean, and equal to it when the interval stays clear of zero. The median is
 * the model's median raised to zero, and no quantile is below zero ({@link Forecast#lowerLimit()}).
 *
 * <p>The series must be non-negative; a negative value fails the fit, naming its index and time.
 */
final class CensoredAtZero implements Forecaster {

    private static final NormalDistribution STANDARD = new NormalDistribution(null, 0, 1);

    private final Forecaster model;

    CensoredAtZero(Forecaster model) {
        if (model == null) {
            throw new NullPointerException("model");
        }
        this.model = model;
    }

    @Override
    public boolean trainedBeforeFit() {
        return model.trainedBeforeFit();
    }

    @Override
    public String name() {
        return "nonnegative(" + model.name() + ")";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        requireNonNegative(series);
        return new Fitted(this, model.fit(series));
    }

    @Override
    public FittedModel fitReporting(TimeSeries series, FitProgress progress) {
        requireNonNegative(series);
        return new Fitted(this, model.fitReporting(series, progress));
    }

    private void requireNonNegative(TimeSeries series) {
        for (int t = 0; t < series.size(); t++) {
            if (series.get(t) < 0) {
                throw new ModelFitException(String.format(Locale.ROOT,
                        "%s: the series is declared non-negative, but the value at index %d (%s) is %s",
                        name(), t, series.timeAt(t), series.get(t)));
            }
        }
    }

    /** {@code E[max(Y, 0)]} for {@code Y ~ N(mu, sd^2)}. */
    static double censoredMean(double mu, double sd) {
        if (!(sd > 0)) {
            return Math.max(mu, 0);
        }
        double z = mu / sd;
        return Math.max(0, mu * STANDARD.cumulativeProbability(z) + sd * STANDARD.density(z));
    }

    private static final class Fitted implements FittedModel, PowerOfTwoUnit.Likelihood {
        private final CensoredAtZero spec;
        private final FittedModel inner;

        Fitted(CensoredAtZero spec, FittedModel inner) {
            this.spec = spec;
            this.inner = inner;
        }

        @Override
        public Forecaster forecaster() {
            return spec;
        }

        @Override
        public String description() {
            return "censored at zero; " + inner.description();
        }

        @Override
        public Map<String, Double> parameters() {
            return inner.parameters();
        }

        @Override
        public int likelihoodObservations(String key) {
            return inner instanceof PowerOfTwoUnit.Likelihood l ? l.likelihoodObservations(key) : -1;
        }

        @Override
        public java.util.List<String> notes() {
            return inner.notes();
        }

        @Override
        public TimeSeries history() {
            return inner.history();
        }

        @Override
        public Forecast forecast(int horizon, double... levels) {
            Forecast f = inner.forecast(horizon, levels.length == 0 ? new double[] {95} : levels);
            double[] sd = NormalIntervals.impliedSd(f);
            double[] mean = new double[horizon];
            double[] median = new double[horizon];
            for (int t = 0; t < horizon; t++) {
                mean[t] = censoredMean(f.mean(t), sd[t]);
                median[t] = Math.max(0, f.quantile(0.5, t));
            }
            TimeSeries history = inner.history();
            Forecast.Builder b = Forecast.builder(description(), history.end(), history.step(), mean)
                    .median(median).lowerLimit(Math.max(0, f.lowerLimit()));
            for (double level : levels) {
                double[] l = f.lower(level);
                double[] u = f.upper(level);
                for (int t = 0; t < horizon; t++) {
                    l[t] = Math.max(0, l[t]);
                    u[t] = Math.max(0, u[t]);
                }
                b.interval(level, l, u);
            }
            return b.build();
        }

        @Override
        public FittedModel update(TimeSeries next) {
            spec.requireNonNegative(next);
            return new Fitted(spec, inner.update(next));
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
