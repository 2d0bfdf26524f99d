package io.fleetpredict.forecast;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Fits a model to a series whose values are too large or too small for its arithmetic (near the largest double,
 * where sums and squares overflow, or near the smallest normal one, where variances underflow to zero) in another
 * unit, and states what it forecasts back in the series' own.
 *
 * <p>The unit is a power of two, so dividing by it changes no digit of a value, and a power of {@code 2^250} at
 * that: a series whose largest absolute value lies in {@code [2^-125, 2^125)} (about 2.4e-38 to 4.3e37) is fitted
 * as it is, and any other in the unit {@code 2^(250 j)} that brings its largest value into that range. The models
 * are then fitted on the very values they are fitted on in an ordinary unit: a series and the same series in a
 * unit {@code 2^250} times larger give the same forecast, scaled exactly, however the model computes. Every model
 * of this library enters through {@link #fit}, the automatic selection once for all its candidates, which then
 * all see the values in the same unit, so that their likelihoods and scores compare as they would in an ordinary
 * unit.
 */
final class PowerOfTwoUnit {

    /** The step between units, in binary orders of magnitude. */
    static final int STEP = 250;

    /**
     * The parameters ({@link FittedModel#parameters()}) that carry no unit: smoothing weights, orders, counts,
     * scores that are ratios. Every other one is in the unit of the values, except those named below.
     */
    private static final Set<String> UNITLESS = Set.of("alpha", "beta", "gamma", "phi", "theta", "lambda",
            "seasonal", "interval.scale", "lags", "ridge", "horizon", "windows", "series", "parameterCount", "epochs",
            "validationLoss");
    /** Parameters in the square of the values' unit. */
    private static final Set<String> SQUARED = Set.of("sigma2", "mse");
    /** Likelihoods and the information criteria made of them, which move by a constant with the unit. */
    private static final Set<String> LIKELIHOODS = Set.of("loglik", "aic", "aicc", "bic");

    private PowerOfTwoUnit() {
    }

    /**
     * The exponent of the unit {@code values} are fitted in: 0 when their largest absolute value is in
     * {@code [2^-125, 2^125)}, is zero or they are empty; otherwise the multiple of {@link #STEP} that brings it
     * there.
     */
    static int exponent(double[] values) {
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        if (!(largest > 0) || !Double.isFinite(largest)) {
            return 0;
        }
        // Math.getExponent gives every subnormal the same exponent; scaled up by 2^54 a subnormal is normal.
        int binary = largest >= Double.MIN_NORMAL ? Math.getExponent(largest)
                : Math.getExponent(largest * 0x1p54) - 54;
        return STEP * Math.floorDiv(binary + STEP / 2, STEP);
    }

    /**
     * Fits {@code fit} to {@code series} in the unit its values need. For a series in an ordinary unit this is
     * {@code fit.apply(series)} itself; otherwise the model fitted to the series divided by {@code 2^e}, whose
     * forecasts, history, updates and parameters are in the series' own unit.
     *
     * @param spec the forecaster being fitted, which the fitted model names as its own
     * @param series the series
     * @param fit the model's estimation, on a series in an ordinary unit
     * @return the fitted model
     */
    static FittedModel fit(Forecaster spec, TimeSeries series, Function<TimeSeries, FittedModel> fit) {
        int e = spec.trainedBeforeFit() ? 0 : exponent(series.values());
        if (e == 0) {
            // A model trained across series before this fit was trained in the series' own unit, not this one.
            return fit.apply(series);
        }
        return new Rescaled(spec, fit.apply(scaled(series, -e)), e);
    }

    /** The series with every value multiplied by {@code 2^exponent}. */
    static TimeSeries scaled(TimeSeries series, int exponent) {
        double[] v = series.values();
        for (int t = 0; t < v.length; t++) {
            v[t] = Math.scalb(v[t], exponent);
        }
        return TimeSeries.of(series.start(), series.step(), v);
    }

    /**
     * A fitted model whose parameters include a log-likelihood ({@code loglik}) and the information criteria made of
     * it ({@code aic}, {@code aicc}, {@code bic}). In a unit {@code 2^e} times larger each observation's density is
     * {@code 2^-e} times its own, so the log-likelihood moves by {@code -n e log 2} for the {@code n} observations it
     * is of, and each criterion by twice as much the other way: the same for every model fitted to the same values,
     * so the one a criterion selects does not depend on the unit.
     */
    interface Likelihood {

        /**
         * @param key the parameter, possibly prefixed by the composite model that holds this one
         * @return how many observations the log-likelihood behind {@code key} is of, or -1 if it is none of this
         *     model's
         */
        int likelihoodObservations(String key);
    }

    /**
     * The parameters of {@code fitted}, fitted in the unit {@code 2^exponent}, stated in the series' own: those in
     * the unit of the values multiplied by {@code 2^exponent} (infinite where that overflows), those in its square
     * by {@code 4^exponent}, and log-likelihoods and information criteria moved as {@link Likelihood} says.
     * Parameters of a model of Box-Cox transformed values (those beside a {@code lambda}) are on the transformed
     * scale, which no power of two maps back: they are left as fitted, as the description's unit says.
     */
    static Map<String, Double> parameters(FittedModel fitted, int exponent) {
        Map<String, Double> given = fitted.parameters();
        if (given.containsKey("lambda")) {
            return given;
        }
        Map<String, Double> p = new LinkedHashMap<>();
        given.forEach((key, value) -> p.put(key, inUnit(fitted, key, value, exponent)));
        return java.util.Collections.unmodifiableMap(p);
    }

    private static double inUnit(FittedModel fitted, String key, double value, int exponent) {
        // Composite models prefix the parameters of the model they hold: "adjusted.sigma2", "errors.ar1".
        String name = key.substring(key.lastIndexOf('.') + 1);
        if (LIKELIHOODS.contains(name)) {
            int n = fitted instanceof Likelihood l ? l.likelihoodObservations(key) : -1;
            if (n < 0) {
                return value;
            }
            double shift = n * (double) exponent * Math.log(2);
            return name.equals("loglik") ? value - shift : value + 2 * shift;
        }
        if (key.startsWith("cv.") || key.startsWith("weight.") || key.startsWith("harmonics.")
                || key.startsWith("s.window.") || UNITLESS.contains(key) || UNITLESS.contains(name)
                || name.matches("s?(ar|ma)[0-9]+")) {
            return value;
        }
        return SQUARED.contains(name) ? Math.scalb(value, 2 * exponent) : Math.scalb(value, exponent);
    }

    /** A model fitted to the series divided by {@code 2^exponent}, speaking in the series' own unit. */
    private static final class Rescaled implements FittedModel {
        private final Forecaster spec;
        private final FittedModel inner;
        private final int exponent;

        Rescaled(Forecaster spec, FittedModel inner, int exponent) {
            this.spec = spec;
            this.inner = inner;
            this.exponent = exponent;
        }

        @Override
        public Forecaster forecaster() {
            return spec;
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "%s; fitted in a unit of 2^%d", inner.description(), exponent);
        }

        @Override
        public List<String> notes() {
            return inner.notes();
        }

        @Override
        public Map<String, Double> parameters() {
            return PowerOfTwoUnit.parameters(inner, exponent);
        }

        @Override
        public TimeSeries history() {
            return scaled(inner.history(), exponent);
        }

        @Override
        public Forecast forecast(int horizon, double... levels) {
            return inUnit(inner.forecast(horizon, levels));
        }

        @Override
        public Forecast forecast(int horizon, Regressors future, double... levels) {
            return inUnit(inner.forecast(horizon, future, levels));
        }

        /** The model's forecast in the series' unit, under the name the model gave it. */
        private Forecast inUnit(Forecast f) {
            return f.scaled(exponent, f.model());
        }

        @Override
        public FittedModel update(TimeSeries next) {
            return new Rescaled(spec, inner.update(scaled(next, -exponent)), exponent);
        }

        @Override
        public FittedModel update(TimeSeries next, Regressors nextRegressors) {
            return new Rescaled(spec, inner.update(scaled(next, -exponent), nextRegressors), exponent);
        }

        @Override
        public List<String> regressorNames() {
            return inner.regressorNames();
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
