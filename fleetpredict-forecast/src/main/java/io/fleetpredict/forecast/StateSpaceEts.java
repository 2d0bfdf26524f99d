package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ETS by maximum likelihood, one given model or the best by AICc over the family, after R's
 * {@code forecast::ets} (version 8.20) with its defaults.
 *
 * <p>Automatic selection tries error A and M, trend N, A and Ad, season N, A and M, skipping what R
 * skips by default: multiplicative components unless the data are strictly positive, additive error
 * with multiplicative season ({@code restrict=TRUE}), multiplicative trend
 * ({@code allow.multiplicative.trend=FALSE}), and any model with no more observations than its
 * parameter count plus four. Unlike R, periods above 24 are accepted: their seasonal initial states
 * come from a classical decomposition instead of the optimiser (see {@link EtsOptimizer}).
 *
 * <p>Unlike R, at a period above {@link EtsOptimizer#MAX_OPTIMISED_PERIOD} (where those states are held)
 * the trend, if any, is damped: the undamped trend is not a candidate ({@link #DAMPED_ONLY_ABOVE}).
 *
 * <p>Degraded outcomes are fits, not errors, and their description says why: a series too short for
 * the seasonal models gets the best non-seasonal model; a constant series gets ETS(A,N,N) with
 * alpha 0.99999 (R's choice too) and a flat forecast with zero-width intervals; a series of three to
 * six points gets ETS(A,N,N) without selection. Fewer than three points is an
 * {@link InsufficientDataException}.
 */
final class StateSpaceEts implements Forecaster {

    private static final Logger LOG = LoggerFactory.getLogger(StateSpaceEts.class);
    static final int MIN_POINTS = 3;
    /**
     * Above this period automatic selection leaves the undamped trend out. Chosen on the M4 hourly training
     * data with its last 48 values held out (docs/results/forecast-accuracy.md): at period 24 automatic ETS
     * chose an undamped trend on most series, whose likelihood its search fits better than R's does, and
     * carried it 48 hours too far; with damped trends only its MASE went from 2.132 to 1.625 (better on 165
     * series, worse on 124) and its OWA from 1.046 to 0.816. Without a season (the ETS inside MSTL) the same
     * rule lost there (MSTL's OWA 0.571 to 0.586), so it stops where the seasonal states are estimated.
     */
    static final int DAMPED_ONLY_ABOVE = EtsOptimizer.MAX_OPTIMISED_PERIOD;

    private final @Nullable EtsSpec spec; // null for automatic selection
    private final int period;

    private StateSpaceEts(@Nullable EtsSpec spec, int period) {
        this.spec = spec;
        this.period = period;
    }

    static StateSpaceEts automatic(int period) {
        return new StateSpaceEts(null, period);
    }

    static StateSpaceEts of(EtsSpec spec, int period) {
        if (spec.seasonal() && period < 2) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "seasonal model %s needs a period of at least 2, was %d", spec.label(), period));
        }
        return new StateSpaceEts(spec, period);
    }

    @Override
    public String name() {
        return spec == null ? "ets(" + period + ")" : "ets(" + spec.code() + "," + period + ")";
    }

    /**
     * Runs a model with given parameters and initial state over a series, without estimation: R's
     * {@code ets(y, model = fit, use.initial.values = TRUE)}.
     */
    static EtsFit withParameters(EtsSpec spec, int period, EtsParameters parameters, double[] initialState,
            TimeSeries series) {
        return EtsFit.filter(of(spec, period), spec, period, parameters, initialState, series, false, "");
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return PowerOfTwoUnit.fit(this, series, this::fitInUnit);
    }

    /** The estimation proper, on a series in an ordinary unit ({@link PowerOfTwoUnit}). */
    private FittedModel fitInUnit(TimeSeries series) {
        Objects.requireNonNull(series, "series");
        int n = series.size();
        if (n < MIN_POINTS) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least %d observations, got %d", name(), MIN_POINTS, n));
        }
        double[] y = series.values();
        if (Constancy.isConstant(y)) {
            String note = String.format(Locale.ROOT,
                    "constant series (every value %s, up to rounding): flat forecast, zero-width intervals", y[0]);
            LOG.warn("{} on {} points: {}", name(), n, note);
            EtsSpec ann = new EtsSpec(false, EtsSpec.Trend.NONE, EtsSpec.Season.NONE);
            return EtsFit.filter(this, ann, 1, new EtsParameters(0.99999, 0, 0, 1), new double[] {y[0]}, series,
                    true, note);
        }
        return spec == null ? select(series, y) : fitGiven(series, y, spec);
    }

    private EtsFit fitGiven(TimeSeries series, double[] y, EtsSpec model) {
        int n = y.length;
        if (model.multiplicative() && min(y) <= 0) {
            throw new ModelFitException(String.format(Locale.ROOT,
                    "%s has a multiplicative component and needs strictly positive data; minimum was %s",
                    model.label(), min(y)));
        }
        long needed = minimumLength(model, period);
        if (n < needed) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s with period %d needs at least %d observations, got %d", model.label(), period, needed, n));
        }
        return estimate(series, y, model, "");
    }

    private EtsFit select(TimeSeries series, double[] y) {
        int n = y.length;
        boolean positive = min(y) > 0;
        List<String> notes = new ArrayList<>();
        EtsSpec.Season[] seasons = {EtsSpec.Season.NONE};
        if (period > 1) {
            EtsSpec probe = new EtsSpec(false, EtsSpec.Trend.NONE, EtsSpec.Season.ADDITIVE);
            long needed = minimumLength(probe, period);
            if (n >= needed) {
                seasons = positive
                        ? new EtsSpec.Season[] {EtsSpec.Season.NONE, EtsSpec.Season.ADDITIVE, EtsSpec.Season.MULTIPLICATIVE}
                        : new EtsSpec.Season[] {EtsSpec.Season.NONE, EtsSpec.Season.ADDITIVE};
            } else {
                notes.add(String.format(Locale.ROOT,
                        "seasonal models refused: %d observations, period %d needs at least %d", n, period, needed));
            }
        }
        EtsFit best = null;
        double bestAicc = Double.POSITIVE_INFINITY;
        Map<EtsSpec, EtsOptimizer.Estimate> estimates = new HashMap<>();
        for (boolean multErr : positive ? new boolean[] {false, true} : new boolean[] {false}) {
            for (EtsSpec.Trend trend : EtsSpec.Trend.values()) {
                for (EtsSpec.Season season : seasons) {
                    EtsSpec candidate = new EtsSpec(multErr, trend, season);
                    if (!candidate.allowed() || n < minimumLength(candidate, period)
                            || trend == EtsSpec.Trend.ADDITIVE && period > DAMPED_ONLY_ABOVE) {
                        continue;
                    }
                    EtsFit fit;
                    try {
                        EtsOptimizer.Estimate e = new EtsOptimizer(y, candidate, period)
                                .estimate(warmStart(candidate, estimates));
                        estimates.put(candidate, e);
                        fit = fitted(series, candidate, e, "");
                    } catch (ModelFitException e) {
                        LOG.debug("{}: {} not fitted: {}", name(), candidate.label(), e.getMessage());
                        continue;
                    }
                    double aicc = fit.aicc();
                    LOG.debug("{}: {} AICc={}", name(), candidate.label(), aicc);
                    if (aicc < bestAicc) {
                        bestAicc = aicc;
                        best = fit;
                    }
                }
            }
        }
        if (best == null) {
            EtsSpec ann = new EtsSpec(false, EtsSpec.Trend.NONE, EtsSpec.Season.NONE);
            notes.add(String.format(Locale.ROOT,
                    "%d observations are too few for model selection; ETS(A,N,N) fitted without it", n));
            best = estimate(series, y, ann, "");
        }
        boolean degraded = !notes.isEmpty();
        if (best.spec().seasonal() && period > EtsOptimizer.MAX_OPTIMISED_PERIOD) {
            notes.add(String.format(Locale.ROOT,
                    "seasonal initial states fixed from a classical decomposition (period %d > %d)",
                    period, EtsOptimizer.MAX_OPTIMISED_PERIOD));
        }
        if (notes.isEmpty()) {
            return best;
        }
        String joined = String.join("; ", notes);
        if (degraded) {
            LOG.warn("{} on {} points degraded: {}", name(), n, joined);
        }
        return EtsFit.filter(this, best.spec(), period, best.smoothing(), best.initialState(), series, false, joined);
    }

    /**
     * The estimate of a related model already fitted, from which the optimiser starts instead of R's
     * starting values: the same model with additive errors for one with multiplicative errors (their point
     * forecasts are the same functions of the parameters), with an additive season for a multiplicative
     * one, and, with additive errors, the model without damping, without trend or without season (a
     * model with additive errors searches from R's start as well and keeps the better optimum).
     */
    private static EtsOptimizer.@Nullable Estimate warmStart(EtsSpec model, Map<EtsSpec, EtsOptimizer.Estimate> estimates) {
        EtsSpec related;
        if (model.multiplicativeError() && model.season() != EtsSpec.Season.MULTIPLICATIVE) {
            related = new EtsSpec(false, model.trend(), model.season());
        } else if (model.season() == EtsSpec.Season.MULTIPLICATIVE) {
            related = new EtsSpec(model.multiplicativeError(), model.trend(), EtsSpec.Season.ADDITIVE);
        } else if (model.damped()) {
            related = new EtsSpec(false, EtsSpec.Trend.ADDITIVE, model.season());
        } else if (model.trended()) {
            related = new EtsSpec(false, EtsSpec.Trend.NONE, model.season());
        } else if (model.seasonal()) {
            related = new EtsSpec(false, EtsSpec.Trend.NONE, EtsSpec.Season.NONE);
        } else {
            return null;
        }
        return estimates.get(related);
    }

    private EtsFit estimate(TimeSeries series, double[] y, EtsSpec model, String notes) {
        return fitted(series, model, new EtsOptimizer(y, model, period).estimate(), notes);
    }

    private EtsFit fitted(TimeSeries series, EtsSpec model, EtsOptimizer.Estimate e, String notes) {
        String note = notes;
        if (spec != null && model.seasonal() && period > EtsOptimizer.MAX_OPTIMISED_PERIOD) {
            note = String.format(Locale.ROOT,
                    "seasonal initial states fixed from a classical decomposition (period %d > %d)",
                    period, EtsOptimizer.MAX_OPTIMISED_PERIOD);
        }
        return EtsFit.filter(this, model, period, e.parameters(), e.initialState(), series, false, note);
    }

    /**
     * R's threshold for estimating a model by likelihood: more observations than parameters plus four
     * (parameters counted as R counts them before estimation: 2, plus 2 for a trend, plus 1 for damping,
     * plus m for a season). A season also needs more than one period, and two full periods when its
     * initial states come from the decomposition alone.
     */
    static long minimumLength(EtsSpec model, int period) {
        // In long arithmetic: a period near Integer.MAX_VALUE needs more observations than an int counts.
        long npars = 2 + (model.trended() ? 2 : 0) + (model.damped() ? 1 : 0) + (model.seasonal() ? (long) period : 0);
        long needed = npars + 5;
        if (model.seasonal()) {
            needed = Math.max(needed, period + 1L);
            if (period > EtsOptimizer.MAX_OPTIMISED_PERIOD) {
                needed = Math.max(needed, 2L * period);
            }
        }
        return needed;
    }

    private static double min(double[] y) {
        double lo = Double.POSITIVE_INFINITY;
        for (double v : y) {
            lo = Math.min(lo, v);
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateSpaceEts other && Objects.equals(spec, other.spec) && period == other.period;
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, period);
    }

    @Override
    public String toString() {
        return name();
    }
}
