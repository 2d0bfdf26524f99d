package io.fleetpredict.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Automatic forecasting by rolling-origin cross-validation inside the training series: every candidate
 * is fitted at each origin of the plan on the values before it and scored on the values after it; the
 * best candidate by that score, with up to {@code combine - 1} runners-up whose score is within
 * {@value #WITHIN} times the best, are refitted on the whole series and their forecasts averaged. Nothing after the end of the series given to {@link #fit} is ever seen.
 *
 * <p>The score of a candidate is the mean over the origins of an OWA-like ratio: its sMAPE and MASE at
 * that origin, each divided by the median of all candidates' at the same origin, averaged. 1 is the
 * median candidate; lower is better. A candidate that throws at any origin is skipped and the reason
 * kept; if every candidate fails, or the series is too short for any plan, the seasonal naive forecast
 * (or the random walk) is used and the description says so.
 *
 * <p>The combined intervals are the averages of the members' bounds, then scaled about the combined
 * point forecast by one factor per fit: the factor that puts 95% of the combination's errors at the
 * cross-validation origins inside its 95% interval, clamped to [{@value #MIN_SCALE}, {@value #MAX_SCALE}].
 * Intervals are only ever widened: the members were chosen for their small errors at those same
 * origins, so their errors there understate the errors to come (narrowing on that evidence lost
 * coverage on held-out M4 hourly training data). The same factor applies to every level. Calibration
 * uses the training series only.
 *
 * <p>A candidate trained outside {@link #fit} (a {@link SplitTrainedCandidate}, such as a model trained
 * across many series) is scored at the origins in its form trained before the earliest one and refitted
 * in its form trained on everything.
 */
final class RollingOriginSelection implements Forecaster {

    /** At most how many of the best candidates are averaged. */
    static final int COMBINE = 3;
    /** A candidate joins the best one in the average only if its score is within this factor of the best. */
    static final double WITHIN = 1.2;
    static final double MIN_SCALE = 1;
    /**
     * Seasonal ETS and seasonal ARIMA join the candidates only up to this period. At 24, on the M4 hourly
     * training data with its last 48 values held out, ETS took more time than all other candidates
     * together without improving the held-out score, and automatic ARIMA alone took 311 CPU seconds for
     * 414 fits (OWA 0.624 there, against 0.584 for MSTL): cross-validating it would multiply the cost of
     * {@code auto} several times over.
     */
    static final int MAX_STATE_SPACE_PERIOD = 12;
    /**
     * Above {@link #MAX_STATE_SPACE_PERIOD} and up to this period, two cheap seasonal state-space models take
     * their place: the airline model ARIMA(0,1,1)(0,1,1) and ETS(A,Ad,A) on the log scale (a multiplicative
     * level, trend and season on the original one). Each costs about one ETS or ARIMA fit whose state grows
     * with the period, so they stop where half-hourly data (48) ends. At 24, on the M4 hourly training data
     * with its last 48 values held out, the two together took OWA from 0.463 to 0.456 for about 18 more CPU
     * seconds per 1,242 fits; the multiplicative ETS classes themselves (MNM, MAdM), ETS(A,Ad,A) on the
     * original scale and the short automatic ARIMA search each scored worse there, at up to ten times the cost.
     * Above this period the ARIMA candidate is {@link FourierArima}, whose seasons are a few harmonics whatever
     * their length.
     */
    static final int MAX_LONG_SEASON_PERIOD = 48;
    static final double MAX_SCALE = 3;
    private static final double CALIBRATION_LEVEL = 95;

    private final String name;
    private final List<Forecaster> candidates;
    private final CrossValidation plan;
    private final int scalePeriod;
    private final int combine;
    private final boolean calibrate;

    RollingOriginSelection(String name, List<Forecaster> candidates, CrossValidation plan, int scalePeriod,
            int combine, boolean calibrate) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("candidates must not be empty");
        }
        if (combine < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "combine must be at least 1, was %d", combine));
        }
        this.name = name;
        this.candidates = List.copyOf(candidates);
        this.plan = plan;
        this.scalePeriod = Forecasters.requirePeriod(scalePeriod);
        this.combine = combine;
        this.calibrate = calibrate;
    }

    /**
     * The standard candidates for the given periods, the first of which scales MASE. Each line is one
     * candidate; a new model joins the selection by one more line.
     */
    static List<Forecaster> standardCandidates(int... periods) {
        int m = periods[0];
        int[] seasonal = Arrays.stream(periods).filter(p -> p > 1).distinct().sorted().toArray();
        List<Forecaster> c = new ArrayList<>();
        if (seasonal.length == 0) {
            c.add(Forecasters.naive());
            c.add(Forecasters.theta(1));
            c.add(Forecasters.optimizedTheta(1));
            c.add(Forecasters.ets(1));
            c.add(Forecasters.autoArima(1));
            c.add(Forecasters.boxCoxGuerrero(Forecasters.ets(1), 1));
            c.add(Forecasters.boxCoxGuerrero(Forecasters.autoArima(1), 1));
            return c;
        }
        if (m > 1) {
            c.add(Forecasters.seasonalNaive(m));
        }
        for (int p : seasonal) {
            if (p != m) {
                c.add(Forecasters.seasonalNaive(p));
            }
        }
        c.add(Forecasters.mstl(seasonal));
        c.add(Forecasters.mstl(Forecasters.theta(1), seasonal));
        c.add(Forecasters.boxCoxGuerrero(Forecasters.mstl(seasonal), Math.max(m, seasonal[0])));
        if (m > 1) {
            c.add(Forecasters.theta(m));
            c.add(Forecasters.holtWinters(m));
        }
        if (m > 1 && m <= MAX_STATE_SPACE_PERIOD) {
            c.add(Forecasters.ets(m));
            c.add(Forecasters.autoArima(m));
            c.add(Forecasters.boxCoxGuerrero(Forecasters.autoArima(m), m));
        } else if (m > MAX_STATE_SPACE_PERIOD && m <= MAX_LONG_SEASON_PERIOD) {
            c.add(Forecasters.arima(ArimaOrder.of(0, 1, 1, 0, 1, 1, m)));
            c.add(Forecasters.boxCox(Forecasters.ets("AAdA", m), 0));
            if (seasonal[seasonal.length - 1] >= 2L * m) {
                c.add(GlobalAutoregression.local(seasonal[seasonal.length - 1], GlobalAutoregression.LOCAL_RIDGE,
                        GlobalAutoregression.Normalisation.STANDARDISED));
            }
        } else if (m > MAX_LONG_SEASON_PERIOD) {
            c.add(Forecasters.fourierArima(seasonal));
        }
        return c;
    }

    @Override
    public boolean trainedBeforeFit() {
        return candidates.stream().anyMatch(Forecaster::trainedBeforeFit);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    List<Forecaster> candidates() {
        return candidates;
    }

    @Override
    public FittedModel fit(TimeSeries series) {
        return fitReporting(series, FitProgress.NONE);
    }

    /**
     * Reports each candidate's fit at each origin, then the refits of the chosen ones; the total counts the
     * most refits there can be, and the last report reaches it whatever was skipped.
     */
    @Override
    public FittedModel fitReporting(TimeSeries series, FitProgress progress) {
        java.util.Objects.requireNonNull(progress, "progress");
        // Every candidate, at every origin, sees the values in the one unit chosen for the whole series, so that
        // their scores compare as in an ordinary unit; a candidate trained across series keeps the series' own.
        if (candidates.stream().anyMatch(Forecaster::trainedBeforeFit)) {
            return fitInUnit(series, progress);
        }
        return PowerOfTwoUnit.fit(this, series, s -> fitInUnit(s, progress));
    }

    private FittedModel fitInUnit(TimeSeries series, FitProgress progress) {
        int n = series.size();
        CrossValidation planned = n < 2 ? null : adapt(plan, n);
        int total = planned == null ? 1 : candidates.size() * planned.origins() + Math.min(combine, candidates.size());
        int[] done = {0};
        Runnable tick = () -> progress.fitted(++done[0], total);
        FittedModel fitted = select(series, tick);
        if (done[0] < total) {
            progress.fitted(total, total);
        }
        return fitted;
    }

    private FittedModel select(TimeSeries series, Runnable tick) {
        int n = series.size();
        if (n < 2) {
            throw new InsufficientDataException(String.format(Locale.ROOT,
                    "%s needs at least 2 observations, had %d", name, n));
        }
        CrossValidation cv = adapt(plan, n);
        if (cv == null) {
            return fallback(series, String.format(Locale.ROOT,
                    "%d observations are too few for cross-validation", n), List.of(), Map.of());
        }
        List<String> notes = new ArrayList<>();
        if (!cv.equals(plan)) {
            notes.add(String.format(Locale.ROOT, "plan shortened to horizon %d, stride %d for %d observations",
                    cv.horizon(), cv.stride(), n));
        }
        int first = cv.firstOrigin(n);
        int h = cv.horizon();
        int folds = cv.origins();
        List<Forecaster> scored = new ArrayList<>();
        List<Forecast[]> forecasts = new ArrayList<>();
        List<double[]> smapes = new ArrayList<>();
        List<double[]> mases = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        for (Forecaster c : candidates) {
            Forecast[] perFold = new Forecast[folds];
            double[] smapeOf = new double[folds];
            double[] maseOf = new double[folds];
            // A model trained outside fit is scored in its form trained before the earliest origin.
            Forecaster atOrigins = c instanceof SplitTrainedCandidate split ? split.beforeOrigins() : c;
            try {
                for (int k = 0; k < folds; k++) {
                    perFold[k] = atOrigins.fit(series.head(first + k * cv.stride())).forecast(h, CALIBRATION_LEVEL);
                    tick.run();
                }
                for (int k = 0; k < folds; k++) {
                    int origin = first + k * cv.stride();
                    Accuracy a = score(series.head(origin), series.slice(origin, origin + h).values(), perFold[k],
                            scalePeriod);
                    smapeOf[k] = a.smape();
                    maseOf[k] = a.mase();
                }
                scored.add(c);
                forecasts.add(perFold);
                smapes.add(smapeOf);
                mases.add(maseOf);
            } catch (RuntimeException e) {
                skipped.put(c.name(), reason(e));
            }
        }
        if (scored.isEmpty()) {
            return fallback(series, "every candidate failed in cross-validation", notes, skipped);
        }
        int s = scored.size();
        double[][] smape = smapes.toArray(new double[0][]);
        double[][] mase = mases.toArray(new double[0][]);
        double[] score = scores(smape, mase);
        Integer[] order = new Integer[s];
        for (int i = 0; i < s; i++) {
            order[i] = i;
        }
        // A stable sort on the score alone: ties keep the candidates' listed order, so the choice is deterministic.
        Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        Map<String, Double> cvScores = new LinkedHashMap<>();
        for (Integer i : order) {
            cvScores.put(scored.get(i).name(), score[i]);
        }
        int k = 1;
        while (k < Math.min(combine, s) && score[order[k]] <= WITHIN * score[order[0]]) {
            k++;
        }
        List<Integer> chosen = new ArrayList<>(Arrays.asList(order).subList(0, k));
        double scale = 1;
        if (calibrate) {
            scale = calibration(series, cv, chosen, forecasts);
            if (Double.isNaN(scale)) {
                notes.add("intervals not calibrated: zero-width cross-validation intervals");
                scale = 1;
            }
        }
        List<FittedModel> members = new ArrayList<>();
        for (int i : chosen) {
            Forecaster c = scored.get(i);
            try {
                FittedModel m = c.fit(series);
                // A member that cannot forecast the horizon it was chosen at (a Box-Cox forecast past its
                // pole) would fail every forecast of the combination: it is left out now instead.
                m.forecast(h, CALIBRATION_LEVEL);
                members.add(m);
                tick.run();
            } catch (RuntimeException e) {
                skipped.put(c.name(), "refit on the whole series failed: " + reason(e));
            }
        }
        if (members.isEmpty()) {
            return fallback(series, "every chosen candidate failed on the whole series", notes, skipped);
        }
        return new SelectedCombination(this, series, members, scale, cv, cvScores, skipped, notes);
    }

    /**
     * A candidate's accuracy at one origin; a forecast whose errors (or the series' scale) overflow a double has
     * none, which skips the candidate rather than failing the selection.
     */
    private static Accuracy score(TimeSeries train, double[] actual, Forecast forecast, int scalePeriod) {
        try {
            return Accuracy.of(train, actual, forecast, scalePeriod);
        } catch (IllegalArgumentException e) {
            throw new ForecastException("its cross-validation errors cannot be scored, the values or errors overflow "
                    + "a double: " + e.getMessage(), e);
        }
    }

    /**
     * The plan, shortened so that the earliest origin keeps at least half the series (and two values);
     * {@code null} when no horizon fits.
     */
    static @Nullable CrossValidation adapt(CrossValidation plan, int n) {
        CrossValidation cv = plan;
        int minimum = Math.max(2, (n + 1) / 2);
        while (cv.firstOrigin(n) < minimum) {
            if (cv.horizon() == 1 && cv.stride() == 1) {
                return null;
            }
            int h = Math.max(1, cv.horizon() / 2);
            cv = new CrossValidation(h, cv.origins(), Math.max(1, Math.min(cv.stride(), h)));
        }
        return cv;
    }

    /** The OWA-like score per candidate: mean over folds of sMAPE and MASE relative to the fold's median. */
    static double[] scores(double[][] smape, double[][] mase) {
        int s = smape.length;
        int folds = smape[0].length;
        double[] score = new double[s];
        for (int k = 0; k < folds; k++) {
            double medS = median(column(smape, k));
            double medM = median(column(mase, k));
            for (int i = 0; i < s; i++) {
                double rs = ratio(smape[i][k], medS);
                double rm = ratio(mase[i][k], medM);
                double r;
                if (Double.isNaN(rs)) {
                    r = rm;
                } else if (Double.isNaN(rm)) {
                    r = rs;
                } else {
                    r = (rs + rm) / 2;
                }
                score[i] += (Double.isNaN(r) ? 1 : r) / folds;
            }
        }
        return score;
    }

    /** {@code value / median}, or NaN when the median gives no scale (zero or infinite). */
    private static double ratio(double value, double median) {
        if (!(median > 0) || Double.isInfinite(median)) {
            return Double.NaN;
        }
        return value / median;
    }

    private static double[] column(double[][] m, int k) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][k];
        }
        return c;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The factor that puts 95% of the combination's cross-validation errors inside its scaled 95%
     * interval; NaN if the intervals have zero width where the errors are not zero.
     */
    private static double calibration(TimeSeries series, CrossValidation cv, List<Integer> chosen,
            List<Forecast[]> forecasts) {
        int n = series.size();
        int first = cv.firstOrigin(n);
        int h = cv.horizon();
        double[] ratios = new double[cv.origins() * h];
        int j = 0;
        for (int k = 0; k < cv.origins(); k++) {
            int origin = first + k * cv.stride();
            Forecast[] members = new Forecast[chosen.size()];
            for (int i = 0; i < members.length; i++) {
                members[i] = forecasts.get(chosen.get(i))[k];
            }
            double[] mean = meanOf(members, f -> f.mean());
            double[] lo = meanOf(members, f -> f.lower(CALIBRATION_LEVEL));
            double[] hi = meanOf(members, f -> f.upper(CALIBRATION_LEVEL));
            for (int t = 0; t < h; t++) {
                double y = series.get(origin + t);
                double e = y - mean[t];
                double half = e >= 0 ? hi[t] - mean[t] : mean[t] - lo[t];
                if (e == 0) {
                    ratios[j++] = 0;
                } else if (half > 0) {
                    ratios[j++] = Math.abs(e) / half;
                } else {
                    return Double.NaN;
                }
            }
        }
        Arrays.sort(ratios);
        double q = ratios[(int) Math.ceil(CALIBRATION_LEVEL / 100 * ratios.length) - 1];
        return Math.min(MAX_SCALE, Math.max(MIN_SCALE, q));
    }

    /** The mean over members (at least one, all of one horizon) of what {@code read} takes from each. */
    static double[] meanOf(Forecast[] members, java.util.function.Function<Forecast, double[]> read) {
        double[] out = new double[members[0].horizon()];
        for (Forecast f : members) {
            double[] v = read.apply(f);
            for (int t = 0; t < v.length; t++) {
                out[t] += v[t] / members.length;
            }
        }
        return out;
    }

    private FittedModel fallback(TimeSeries series, String why, List<String> notes, Map<String, String> skipped) {
        int n = series.size();
        Forecaster simple = scalePeriod > 1 && n > scalePeriod ? Forecasters.seasonalNaive(scalePeriod)
                : Forecasters.naive();
        List<String> all = new ArrayList<>(notes);
        all.add(why + ": fell back to " + simple.name());
        return new SelectedCombination(this, series, List.of(simple.fit(series)), 1, null, Map.of(), skipped, all);
    }

    private static String reason(RuntimeException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}
