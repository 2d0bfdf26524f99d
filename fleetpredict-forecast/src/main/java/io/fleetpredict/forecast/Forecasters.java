package io.fleetpredict.forecast;

import java.util.List;
import java.util.Locale;

/**
 * The forecasting models of this library.
 *
 * <p>A seasonal period longer than the series fitted, however long (up to {@link Integer#MAX_VALUE}), is taken
 * as each model documents for a series too short for its period: the models that need full periods (the seasonal
 * naive, Holt-Winters, a seasonal ETS spec) throw {@link InsufficientDataException} naming the period and the
 * series' length when fitted; the others (Theta, MSTL, dynamic harmonic regression, automatic ETS and ARIMA,
 * Naive2, {@code auto}) drop the season and say so in the fitted model's description or notes.
 */
public final class Forecasters {

    private Forecasters() {
    }

    // --- Theta and MSTL -------------------------------------------------------------------------

    /**
     * The standard Theta method (Assimakopoulos and Nikolopoulos 2000) as R's {@code forecast::thetaf}
     * computes it: simple exponential smoothing with drift equal to half the slope of the least-squares
     * line (Hyndman and Billah 2003), after the M4 benchmark's seasonal adjustment (a 90% test of the
     * autocorrelation at lag {@code period}, then classical multiplicative decomposition) when
     * {@code period > 1}. Needs at least 3 observations; a series too short or not significantly
     * seasonal is not adjusted, and the fitted model's description says so.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster theta(int period) {
        return new Theta(Theta.Variant.STANDARD, period);
    }

    /**
     * The optimised Theta model (OTM) of Fiorucci, Pellegrini, Louzada, Petropoulos and Koehler (2016):
     * theta (at least 1), the smoothing parameter and the initial level minimise the in-sample mean
     * squared error, with the same seasonal treatment as {@link #theta(int)}. Needs at least 4
     * observations.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster optimizedTheta(int period) {
        return new Theta(Theta.Variant.OPTIMIZED, period);
    }

    /**
     * MSTL (Bandara, Hyndman and Bergmeir 2021; R's {@code forecast::mstl}): the series is decomposed
     * into a trend, one seasonal component per period and a remainder by iterated STL; each seasonal
     * component is forecast by repeating its last cycle and the seasonally adjusted series by
     * {@code nonSeasonal}, whose intervals are shifted by the seasonal forecasts. Periods with fewer
     * than two full cycles in the data are dropped (the fitted model's description names them); with
     * none left the non-seasonal model is fitted to the series alone.
     *
     * @param nonSeasonal the model for the seasonally adjusted series
     * @param periods the seasonal periods, each at least 1, for example 24 and 168 for hourly data
     * @return the forecaster
     */
    public static Forecaster mstl(Forecaster nonSeasonal, int... periods) {
        return new Mstl(nonSeasonal, periods);
    }

    /**
     * Dynamic harmonic regression (R's {@code auto.arima(y, xreg = fourier(y, K), seasonal = FALSE)}): each
     * seasonal period as the sines and cosines of its first {@code K} harmonics, {@code K} chosen per period by
     * AICc, and what they leave as a non-seasonal ARIMA chosen by the stepwise search. A long season (288
     * five-minute steps a day, 2,016 a week) costs a few coefficients instead of a state of its length.
     * Periods with fewer than two full cycles in the data are dropped; with none left the ARIMA is fitted to
     * the series alone. The regression and the ARIMA are estimated one after the other, not jointly.
     *
     * @param periods the seasonal periods, each at least 1, for example 288 and 2016 for five-minute data
     * @return the forecaster
     */
    public static Forecaster fourierArima(int... periods) {
        return new FourierArima(periods);
    }

    /**
     * MSTL with automatic non-seasonal exponential smoothing ({@code ets(1)}) for the seasonally
     * adjusted series, as R's {@code forecast::stlf} does.
     *
     * @param periods the seasonal periods, each at least 1
     * @return the forecaster
     * @see #mstl(Forecaster, int...)
     */
    public static Forecaster mstl(int... periods) {
        return new Mstl(ets(1), periods);
    }

    /**
     * The random walk: every step forecasts the last observation. Intervals widen as
     * {@code sigma * sqrt(h)}, with {@code sigma^2} the mean squared one-step change in the history, as
     * R's {@code forecast::naive}. Needs at least 2 observations.
     *
     * @return the forecaster, named {@code "naive"}
     */
    public static Forecaster naive() {
        return new LagWalk.Spec(1);
    }

    /**
     * The seasonal naive forecast: every step repeats the observation one period earlier. Intervals are
     * {@code sigma * sqrt(k + 1)} with {@code k = floor((h - 1) / period)}, {@code sigma^2} the mean
     * squared seasonal difference, as R's {@code forecast::snaive}. Needs at least {@code period + 1}
     * observations.
     *
     * @param period the seasonal period in steps, at least 1
     * @return the forecaster, named {@code "snaive(period)"}
     */
    public static Forecaster seasonalNaive(int period) {
        return new LagWalk.Spec(requirePeriod(period));
    }

    /**
     * Additive Holt-Winters exponential smoothing as R's {@code stats::HoltWinters}: alpha, beta and
     * gamma in [0, 1] minimise the one-step squared error, the states start from a classical
     * decomposition of the first two periods, and intervals follow R's {@code predict.HoltWinters}.
     * Needs at least two full periods.
     *
     * @param period the seasonal period in steps, at least 2
     * @return the forecaster, named {@code "holt-winters(period)"}
     */
    public static Forecaster holtWinters(int period) {
        return new AdditiveHoltWinters.Spec(period);
    }

    /**
     * The M4 competition's Naive2 benchmark: the random walk on the seasonally adjusted series
     * (classical multiplicative decomposition), re-seasonalised, when a 90% autocorrelation test at lag
     * {@code period} finds seasonality in a series of at least three periods; the plain random walk
     * otherwise. The yardstick of the OWA score ({@link Accuracy#owa}).
     *
     * @param period the seasonal period in steps, at least 1 (1 means the random walk)
     * @return the forecaster, named {@code "naive2(period)"}
     */
    public static Forecaster naive2(int period) {
        return new SeasonallyAdjustedNaive.Spec(period);
    }

    // --- Automatic selection ---------------------------------------------------------------------

    /**
     * Automatic forecasting with the default cross-validation plan: {@link CrossValidation#of(int)}
     * with a horizon of two first periods (8 steps without seasonality). Prefer
     * {@link #auto(CrossValidation, int...)} with the horizon that will be forecast. With no periods,
     * each fit finds the periods of its series ({@link SeasonalPeriods#detect}), names them in its
     * description and uses them, and the forecaster is named {@code "auto"}.
     *
     * @param periods the seasonal periods, each at least 1; the first scales MASE in the scores; none to
     *     find them from the series
     * @return the forecaster, named {@code "auto(periods)"}
     */
    public static Forecaster auto(int... periods) {
        if (periods.length == 0) {
            return new PeriodDetectingSelection(null, List.of());
        }
        requirePeriods(periods);
        // Two periods in long arithmetic, at most the largest int: the plan is shortened on shorter series anyway.
        return auto(CrossValidation.of(periods[0] > 1 ? (int) Math.min(2L * periods[0], Integer.MAX_VALUE) : 8), periods);
    }

    /**
     * Automatic forecasting: chooses per series among seasonal naive (at each period), MSTL with ETS
     * and with Theta on the seasonally adjusted series, MSTL with ETS after a Box-Cox transformation
     * (Guerrero's lambda in [0, 1], chosen on the values each fit sees), Theta and Holt-Winters at the
     * first period, and, when the first period is at most 12, seasonal ETS (its multiplicative classes
     * included on positive data) and automatic seasonal ARIMA on the original and on the Box-Cox scale;
     * from 13 to 48, the airline model ARIMA(0,1,1)(0,1,1) and ETS(A,Ad,A) on the log scale at the first
     * period instead, with a ridge autoregression on the longest period's lags fitted to the series alone
     * ({@link GlobalAutoregression#local}) when that period is at least twice the first (without seasonality: the random walk, Theta, optimised Theta, ETS and automatic ARIMA, each of the
     * last two also on the Box-Cox scale) by rolling-origin cross-validation on the series it is fitted
     * to, and averages the best with up to two runners-up whose score is within 1.2 times the best. A
     * transformed candidate is skipped on data its transformation cannot take. The fitted model's
     * description is one line naming the models chosen; its {@link FittedModel#parameters()} hold the
     * cross-validation score of every candidate ({@code cv.<name>}), its {@link FittedModel#notes()} any
     * candidate skipped and why. If no candidate can be fitted, it falls back to the seasonal naive
     * forecast (or the random walk) and says so. Intervals are the members' averaged bounds, widened
     * where needed to cover 95% of the cross-validation errors.
     *
     * @param plan the cross-validation plan; its horizon should be the horizon that will be forecast.
     *     It is shortened on series too short for it.
     * @param periods the seasonal periods, each at least 1; the first scales MASE in the scores; none to
     *     find them from each series as {@link #auto(int...)} does
     * @return the forecaster, named {@code "auto(periods)"}; its fits throw
     *     {@link InsufficientDataException} on fewer than 2 observations
     */
    public static Forecaster auto(CrossValidation plan, int... periods) {
        if (plan == null) {
            throw new NullPointerException("plan");
        }
        if (periods.length == 0) {
            return new PeriodDetectingSelection(plan, List.of());
        }
        return auto(plan, List.of(), periods);
    }

    /**
     * Automatic forecasting with more candidates: as {@link #auto(CrossValidation, int...)}, with
     * {@code extraCandidates} scored in the same cross-validation beside the standard ones, so each joins
     * the chosen combination only when its score on the training series earns it a place. An extra
     * candidate is fitted at each origin on the values before it, like the standard ones. A model trained
     * before it is fitted, across many series ({@link Forecaster#trainedBeforeFit()}), only reads the series
     * when fitted, so each origin would score the weights it was trained with, usually on the values after
     * the origin, and it would be chosen for a score it did not earn: such a candidate is taken only as
     * {@link #globalCandidate} built with this same plan, whose model scored at the origins was trained on
     * none of the values after them. Any other candidate that reports {@code trainedBeforeFit()} is refused,
     * a transformation or an {@code auto} around a global candidate included (the candidate would be
     * fitted, and scored, in its form trained on everything): put the transformation inside the trainer
     * given to {@link #globalCandidate} instead, for example
     * {@code list -> Forecasters.boxCox(GlobalAutoregression.train(list, settings), 0)}.
     *
     * @param plan the cross-validation plan; its horizon should be the horizon that will be forecast
     * @param extraCandidates the further candidates, whose names must differ from each other and from the
     *     standard candidates'; a model trained before fitting only as a {@link #globalCandidate} built with
     *     this same plan
     * @param periods the seasonal periods, each at least 1; the first scales MASE in the scores; none to
     *     find them from each series as {@link #auto(int...)} does
     * @return the forecaster, named {@code "auto(periods)"} followed by {@code "+name"} for each extra
     *     candidate
     * @throws IllegalArgumentException if two candidates share a name (checked when fitted if no period is
     *     given), a global candidate was built with another plan, or a candidate reports
     *     {@link Forecaster#trainedBeforeFit()} without being a {@link #globalCandidate}
     */
    public static Forecaster auto(CrossValidation plan, List<Forecaster> extraCandidates, int... periods) {
        if (plan == null) {
            throw new NullPointerException("plan");
        }
        if (extraCandidates == null) {
            throw new NullPointerException("extraCandidates");
        }
        requireScoredBeforeTheOrigins(plan, extraCandidates);
        if (periods.length == 0) {
            return new PeriodDetectingSelection(plan, extraCandidates);
        }
        requirePeriods(periods);
        List<Forecaster> all = new java.util.ArrayList<>(RollingOriginSelection.standardCandidates(periods));
        java.util.Set<String> names = new java.util.HashSet<>();
        all.forEach(c -> names.add(c.name()));
        StringBuilder name = new StringBuilder("auto(").append(java.util.Arrays.stream(periods)
                .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","))).append(')');
        for (Forecaster c : extraCandidates) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "extraCandidates: the name '%s' is already a candidate's", c.name()));
            }
            all.add(c);
            name.append('+').append(c.name());
        }
        return new RollingOriginSelection(name.toString(), all, plan, periods[0], RollingOriginSelection.COMBINE, true);
    }

    /**
     * Refuses an extra candidate that would be scored at the origins by a model trained on the values after
     * them: one trained before fitting that is not a global candidate of this plan.
     */
    private static void requireScoredBeforeTheOrigins(CrossValidation plan, List<Forecaster> extraCandidates) {
        for (Forecaster c : extraCandidates) {
            if (c == null) {
                throw new NullPointerException("extraCandidates contains null");
            }
            if (c instanceof SplitTrainedCandidate split) {
                if (!split.plan().equals(plan)) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT,
                            "extraCandidates: global candidate '%s' was trained for the plan %s, auto uses %s",
                            c.name(), split.plan(), plan));
                }
            } else if (c.trainedBeforeFit()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "extraCandidates: '%s' holds a model trained before it is fitted (trainedBeforeFit), whose "
                                + "fit only reads the series, so every cross-validation origin would score weights "
                                + "that may have been trained on the values after it; pass it as "
                                + "Forecasters.globalCandidate(training, plan, trainer) with this plan, any "
                                + "transformation inside the trainer", c.name()));
            }
        }
    }

    /**
     * A model trained across many series as a candidate of {@link #auto(CrossValidation, List, int...)}
     * without look-ahead. {@code trainer} is called twice: first with every training series cut before
     * the earliest origin that {@code auto} with this plan cross-validates on it (the plan shortened for
     * a short series as {@code auto} shortens it; the whole series when too short for any plan), then with
     * the whole training series. {@code auto} scores the first model at every origin of every series and
     * forecasts with the second when the candidate is chosen, so no score rests on a model that saw the
     * values it is scored on. The first model has seen nothing after the earliest origin even when
     * scored at the later ones, which can only make its score pessimistic.
     *
     * <p>The guarantee holds for the training series and for series the models never saw; fitting
     * {@code auto} to a shortened training series would score the first model on values it was trained on.
     * {@link Backtest#rollingOrigin} scores the first model too, when the backtest's earliest origin is at or
     * after the cut it was trained before (build the candidate with {@code new CrossValidation(horizon,
     * origins, stride)} of the backtest); elsewhere the candidate behaves as the second model. A
     * transformation of the model belongs inside {@code trainer}: {@code auto} and {@code Backtest} refuse a
     * transformation around the candidate, which would be scored in its form trained on everything.
     *
     * @param training the series to train on, normally those {@code auto} will then be fitted to
     * @param plan the cross-validation plan of the {@code auto} this candidate joins
     * @param trainer trains one model across the series it is given and returns it as a forecaster whose
     *     fit only reads the series (for example {@code list -> LstmModel.trainGlobal(list, config).forecaster()});
     *     both models must have the same name
     * @return the candidate, named as the second model
     * @throws IllegalArgumentException if training is empty or the two models are named differently
     */
    public static Forecaster globalCandidate(List<TimeSeries> training, CrossValidation plan,
            java.util.function.Function<List<TimeSeries>, Forecaster> trainer) {
        if (training == null || plan == null || trainer == null) {
            throw new NullPointerException(training == null ? "training" : plan == null ? "plan" : "trainer");
        }
        if (training.isEmpty()) {
            throw new IllegalArgumentException("training must hold at least one series, was empty");
        }
        SplitTrainedCandidate c = SplitTrainedCandidate.train(training, plan, trainer);
        if (!c.beforeOrigins().name().equals(c.onAll().name())) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "trainer: the two models must have the same name, were '%s' and '%s'",
                    c.beforeOrigins().name(), c.onAll().name()));
        }
        return c;
    }

    private static void requirePeriods(int... periods) {
        if (periods.length == 0) {
            throw new IllegalArgumentException("periods must name at least one period (1 for none), was empty");
        }
        for (int p : periods) {
            requirePeriod(p);
        }
    }

    // --- Transformations --------------------------------------------------------------------------

    /**
     * A model fitted on the Box-Cox transformed series {@code (x^lambda - 1) / lambda} ({@code log x} at
     * {@code lambda = 0}), its forecasts transformed back as R's {@code forecast(..., lambda, biasadj =
     * TRUE)}: interval bounds as they are (quantiles survive a monotone transformation), point forecasts
     * bias-adjusted to estimate the mean rather than the median, with the transformed-scale variance read
     * from the widest interval.
     *
     * @param model the model of the transformed series
     * @param lambda the power, in [-1, 2]; 0 for the logarithm
     * @return the forecaster, named {@code "log(model)"} at 0 and {@code "boxcox[lambda](model)"} otherwise;
     *     its fits throw {@link ModelFitException} on values the transformation cannot take (not positive
     *     for {@code lambda <= 0}, negative otherwise)
     * @throws IllegalArgumentException if lambda is outside [-1, 2]
     */
    public static Forecaster boxCox(Forecaster model, double lambda) {
        return BoxCoxTransformed.fixed(model, lambda);
    }

    /**
     * As {@link #boxCox(Forecaster, double)}, with {@code lambda} chosen in [0, 1] on each series fitted by
     * Guerrero's (1993) method as R's {@code forecast::BoxCox.lambda(x, method = "guerrero")} computes it:
     * the power that makes the standard deviation of consecutive subseries of one period most nearly
     * proportional to their mean raised to {@code 1 - lambda} (subseries of two values on a series shorter
     * than two periods). Negative powers are not sought, since their back-transformation has a pole that
     * wide upper bounds can pass.
     *
     * @param model the model of the transformed series
     * @param period the seasonal period whose cycles are the subseries, 1 for none
     * @return the forecaster, named {@code "boxcox(model)"}
     */
    public static Forecaster boxCoxGuerrero(Forecaster model, int period) {
        return BoxCoxTransformed.guerrero(model, period);
    }

    /**
     * A model fitted to its series with the outliers replaced, as R's {@code forecast::tsclean} replaces them:
     * {@link Outliers#find} finds values far apart from the rest (beyond three interquartile ranges of the
     * residuals of a robust smooth, after removing a strong season) and interpolates them. One gross value, a
     * glitch of the metric or a counter reset, otherwise pulls every model's level, trend and spread. The fitted
     * model's notes list each value replaced; an update screens the new values against the history.
     *
     * @param model the model
     * @param periods the series' seasonal periods, for the screening (1 or none for a series without season)
     * @return the forecaster, named {@code "cleaned(model)"}
     */
    public static Forecaster cleaned(Forecaster model, int... periods) {
        return new OutlierCleaned(model, periods);
    }

    /**
     * A model of a quantity that cannot be negative, such as any resource amount: the model's predictive
     * distribution censored at zero. Interval bounds below zero are raised to zero, which are exactly the
     * censored distribution's quantiles, so coverage of the (non-negative) future values is never lower
     * than the model's; the point forecast is the censored mean {@code E[max(Y, 0)]} of a normal
     * distribution with the model's mean and the spread of its widest interval, equal to the model's mean
     * where the interval stays clear of zero.
     *
     * @param model the model
     * @return the forecaster, named {@code "nonnegative(model)"}; its fits throw {@link ModelFitException}
     *     on a negative value, naming its index and time
     */
    public static Forecaster nonNegative(Forecaster model) {
        return new CensoredAtZero(model);
    }

    // --- ETS: innovations state-space exponential smoothing -------------------------------------

    /**
     * ETS with automatic model selection: every admissible combination of error (A, M), trend (N, A,
     * damped Ad) and season (N, A, M) is fitted by maximum likelihood and the one with the smallest
     * AICc is kept, following R's {@code forecast::ets} defaults (Hyndman et al. 2008). Multiplicative
     * components are tried only on strictly positive data; additive error with multiplicative season
     * and multiplicative trend are never tried. Unlike R, long periods (24, 168, 336, ...) are
     * supported: their seasonal initial states come from a classical decomposition rather than the
     * optimiser, and above a period of 12 the trend, if any, is damped (the undamped trend, chosen on most
     * hourly series and carried too far ahead, is not tried; chosen on held-out M4 hourly training data).
     *
     * <p>The fit degrades instead of failing, and says so in its description: a series too short for a
     * seasonal model gets a non-seasonal one, a constant series a flat forecast.
     *
     * @param period the seasonal period in steps; 1 for a non-seasonal series
     * @return the forecaster; its fits throw {@link InsufficientDataException} on fewer than 3 points
     */
    public static Forecaster ets(int period) {
        return StateSpaceEts.automatic(requirePeriod(period));
    }

    /**
     * One ETS model, by maximum likelihood within R's default parameter region.
     *
     * @param spec the model in R's compact form: error ({@code A|M}), trend ({@code N|A|Ad}), season
     *     ({@code N|A|M}), such as {@code "ANN"}, {@code "AAdA"}, {@code "MAdM"}; additive error with
     *     multiplicative season and multiplicative trend are refused
     * @param period the seasonal period in steps, at least 2 for a seasonal spec
     * @return the forecaster; its fits throw {@link InsufficientDataException} when the series has no
     *     more points than the model's parameters plus four, and {@link ModelFitException} when a
     *     multiplicative model meets data that are not strictly positive
     * @throws IllegalArgumentException if the spec is malformed or refused, or the period does not fit it
     */
    public static Forecaster ets(String spec, int period) {
        return StateSpaceEts.of(EtsSpec.parse(spec), requirePeriod(period));
    }

    // --- seasonal ARIMA ---

    /**
     * A non-seasonal ARIMA(p,d,q), with a mean when {@code d = 0} (as R's {@code forecast::Arima}), estimated by
     * conditional sums of squares then exact maximum likelihood.
     *
     * @param p autoregressive order
     * @param d differences, 0 to 2
     * @param q moving average order
     * @return the forecaster
     */
    public static Forecaster arima(int p, int d, int q) {
        return arima(ArimaOrder.of(p, d, q));
    }

    /**
     * A seasonal ARIMA of the given orders, with a mean when it has no differencing and no constant otherwise
     * (R's {@code forecast::Arima} defaults).
     *
     * @param order the orders
     * @return the forecaster
     */
    public static Forecaster arima(ArimaOrder order) {
        return arima(order, order.d() + order.seasonalD() == 0);
    }

    /**
     * A seasonal ARIMA of the given orders, with or without a constant: a mean without differencing, a drift
     * (linear trend) with one difference; with two differences no constant is estimable and it is dropped
     * (the description says so).
     *
     * @param order the orders
     * @param includeConstant whether to estimate the mean or drift
     * @return the forecaster
     */
    public static Forecaster arima(ArimaOrder order, boolean includeConstant) {
        if (order == null) {
            throw new NullPointerException("order");
        }
        return new ArimaForecaster(order, includeConstant);
    }

    /**
     * Automatic seasonal ARIMA after Hyndman and Khandakar (2008), as R's {@code forecast::auto.arima} with its
     * defaults: KPSS tests choose d, seasonal strength chooses D, a stepwise AICc search the other orders and
     * the constant. Short series lose their seasonal terms, a constant series gets a flat forecast, and periods
     * from 100 up get seasonal differencing only; the fitted description says which.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster
     */
    public static Forecaster autoArima(int period) {
        return new AutoArimaForecaster(requirePeriod(period), StepwiseArimaSearch.Limits.DEFAULT);
    }

    /**
     * Automatic seasonal ARIMA as {@link #autoArima(int)} (the same differencing tests and stepwise AICc
     * search), with the search kept short enough for long periods such as 24: non-seasonal orders p and q
     * at most 2, no seasonal AR term, at most one seasonal MA term, and at most 16 models. At period 24 the
     * state of the largest model has 27 dimensions instead of up to 53, and the classic
     * {@code (0,1,1)(0,1,1)} airline model is within reach.
     *
     * @param period the seasonal period, 1 for none
     * @return the forecaster, named {@code "auto-arima-short(period)"}
     */
    public static Forecaster autoArimaShort(int period) {
        return new AutoArimaForecaster(requirePeriod(period), StepwiseArimaSearch.Limits.SHORT);
    }

    /**
     * An LSTM quantile forecaster trained on each series it fits. To train one model across many series,
     * use {@link LstmModel#trainGlobal} and its {@link LstmModel#forecaster()}.
     *
     * @param config the architecture and training settings
     * @return the forecaster
     */
    public static Forecaster lstm(LstmConfig config) {
        return new LstmForecaster(config, null);
    }

    static int requirePeriod(int period) {
        if (period < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "period must be at least 1, was %d", period));
        }
        return period;
    }

    /**
     * The names of the models {@link #byName(String, int...)} builds, sorted: {@code auto}, {@code auto-arima},
     * {@code ets}, {@code fourier-arima}, {@code holt-winters}, {@code mstl}, {@code naive}, {@code naive2}, {@code optimized-theta},
     * {@code snaive} and {@code theta}.
     *
     * @return the names
     */
    public static List<String> names() {
        return NamedForecasters.names();
    }

    /**
     * A forecaster by its name, as a command line or a configuration file spells it. Single-season models
     * take the first period; {@code auto} and {@code mstl} take them all; no period means a non-seasonal
     * model (period 1).
     *
     * @param name one of {@link #names()}, in any case
     * @param periods the seasonal periods, possibly none
     * @return the forecaster
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a bad period
     */
    public static Forecaster byName(String name, int... periods) {
        return NamedForecasters.create(name, null, periods.clone());
    }

    /**
     * A forecaster by its name, {@code auto} cross-validating with the plan given (its horizon should be the
     * one that will be forecast); the other models do not use the plan.
     *
     * @param name one of {@link #names()}, in any case
     * @param plan the cross-validation of {@code auto}
     * @param periods the seasonal periods, possibly none
     * @return the forecaster
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a bad period
     */
    public static Forecaster byName(String name, CrossValidation plan, int... periods) {
        return NamedForecasters.create(name, java.util.Objects.requireNonNull(plan, "plan"), periods.clone());
    }
}
