package io.fleetpredict.cli;

import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.ForecastException;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GlobalAutoregression;
import io.fleetpredict.forecast.Holdout;
import io.fleetpredict.forecast.HoldoutResult;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.TimeSeries;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fleetpredict evaluate}: fits models to every series of an M4-layout training file and scores
 * their forecasts against the hold-out file as the M4 competition does.
 *
 * <p>The scoring is the library's {@link Holdout}: series are fitted in parallel on a fixed pool, and the
 * figures do not depend on scheduling. OWA is relative to Naive2 at the first period, scored on the same data.
 *
 * <p>The {@link ModelNames#GLOBAL} models first train an LSTM across all training series (never the
 * hold-out file): {@code lstm} one on the whole series; {@code auto+lstm} that one and one on every series
 * cut before the earliest cross-validation origin of {@code auto} ({@link Forecasters#globalCandidate}),
 * which is the form scored in the cross-validation. {@code global-ar} and {@code auto+ar} do the same with
 * a pooled ridge autoregression ({@link GlobalAutoregression}), {@code auto+lstm+ar} with both models as
 * candidates. A training used by several models is done once. Training time is reported apart from the
 * per-series time.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score models on an M4-layout data set (one series a row): sMAPE, MASE, OWA, MSIS, "
                + "95%% coverage and seconds per model. lstm is one LSTM trained across all training series; "
                + "auto+lstm is auto with that LSTM as one more candidate, scored in its cross-validation by a "
                + "second LSTM trained only on the values before each series' earliest origin. global-ar and "
                + "auto+ar do the same with one ridge autoregression pooled across all series (auto+lstm+ar: both).")
final class EvaluateCommand implements Callable<Integer> {

    /** How many ids of flat training series a message names before it gives only their count. */
    private static final int FLAT_IDS_NAMED = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "training series, M4 CSV layout")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "hold-out series with the same ids")
    Path test;

    @Option(names = "--horizon", required = true, paramLabel = "H", description = "steps to forecast and score")
    int horizon;

    @Option(names = "--period", required = true, paramLabel = "P",
            description = "seasonal period in steps; repeat for several (the first scales MASE and MSIS)")
    List<Integer> periods = new ArrayList<>();

    @Option(names = "--model", paramLabel = "NAME",
            description = "model to score, repeatable; one of: ${COMPLETION-CANDIDATES} (default: auto)",
            completionCandidates = ModelNames.EvaluateCandidates.class)
    List<String> models = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N",
            description = "worker threads (default: the number of available processors)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--plot", paramLabel = "FILE",
            description = "also draw each model's sMAPE, MASE and OWA as bars (SVG)")
    @Nullable Path plot;

    @Mixin
    ReportFormat output;

    /** LSTM cells; hidden: only smaller settings for quick checks should ever need it. */
    @Option(names = "--lstm-hidden", hidden = true, defaultValue = "48")
    int lstmHidden;

    @Option(names = "--lstm-epochs", hidden = true, defaultValue = "20")
    int lstmEpochs;

    @Option(names = "--lstm-windows", hidden = true, defaultValue = "40000")
    int lstmWindows;

    /** Autoregression settings other than the defaults, to compare them on training data; unset, the defaults. */
    @Option(names = "--ar-lags", hidden = true)
    @Nullable Integer arLags;

    @Option(names = "--ar-ridge", hidden = true)
    @Nullable Double arRidge;

    @Option(names = "--ar-normalisation", hidden = true)
    GlobalAutoregression.@Nullable Normalisation arNormalisation;

    /**
     * Checks each hidden setting on its own against the library's defaults, so that a value out of range is a usage
     * error naming its option before any file is read, whichever models are scored.
     *
     * @return the autoregression settings, the defaults but for those given
     */
    private GlobalAutoregression.Settings checkHiddenSettings() {
        OptionValues.use(spec, "--lstm-hidden", () -> LstmConfig.builder().hiddenSize(lstmHidden).build());
        OptionValues.use(spec, "--lstm-epochs", () -> LstmConfig.builder().maxEpochs(lstmEpochs).build());
        OptionValues.use(spec, "--lstm-windows", () -> LstmConfig.builder().windowsPerEpoch(lstmWindows).build());
        GlobalAutoregression.Settings hourly = GlobalAutoregression.Settings.hourly(horizon);
        Integer lags = arLags;
        int lagsUsed = lags == null ? hourly.lags()
                : OptionValues.use(spec, "--ar-lags", () -> new GlobalAutoregression.Settings(lags, horizon,
                        hourly.ridge(), hourly.normalisation())).lags();
        Double ridge = arRidge;
        double ridgeUsed = ridge == null ? hourly.ridge()
                : OptionValues.use(spec, "--ar-ridge", () -> new GlobalAutoregression.Settings(hourly.lags(), horizon,
                        ridge, hourly.normalisation())).ridge();
        return new GlobalAutoregression.Settings(lagsUsed, horizon, ridgeUsed,
                arNormalisation != null ? arNormalisation : hourly.normalisation());
    }

    /**
     * The set-level scores of one model.
     *
     * @param model the model name as given
     * @param series how many series were scored
     * @param smape mean sMAPE in percent
     * @param mase mean MASE over the series whose training values are not flat ({@link HoldoutResult#flat()}); NaN if
     *     all are
     * @param owa OWA relative to Naive2 on the same series; NaN when Naive2's sMAPE or MASE is 0 or undefined
     * @param msis mean MSIS of the 95% interval, over the same series as {@code mase}
     * @param coverage95 mean share of hold-out values inside the 95% interval
     * @param seconds wall time to fit, forecast and score every series
     * @param trainingSeconds wall time of the global trainings the model uses, before any series is fitted (a
     *     training shared by two models counts for both); 0 for models fitted series by series
     * @param fallbacks ids of series whose fit failed and were forecast by seasonal naive instead
     */
    record Row(String model, int series, double smape, double mase, double owa, double msis, double coverage95,
            double seconds, double trainingSeconds, List<String> fallbacks) {
        Row {
            fallbacks = List.copyOf(fallbacks);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (horizon < 1) {
            throw new IllegalArgumentException("--horizon must be at least 1, was " + horizon);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, was " + threads);
        }
        for (int p : periods) {
            if (p < 1) {
                throw new IllegalArgumentException("--period must be at least 1, was " + p);
            }
        }
        GlobalAutoregression.Settings ar = checkHiddenSettings();
        List<String> names = models.isEmpty() ? List.of("auto") : models;
        Map<String, Forecaster> forecasters = new LinkedHashMap<>();
        for (String name : names) {
            if (!ModelNames.evaluateNames().contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("unknown model '" + name + "'; known: "
                        + String.join(", ", ModelNames.evaluateNames()));
            }
            if (!ModelNames.isGlobal(name)) {
                forecasters.put(name, ModelNames.forecaster(name, periods, horizon));
            }
        }
        if (plot != null) {
            OutputFiles.checkFile(plot);
        }
        List<M4Series> data = read();
        Map<String, Double> trainingSeconds = new LinkedHashMap<>();
        Map<String, Forecaster> all = new LinkedHashMap<>();
        GlobalTraining training = null;
        for (String name : names) {
            if (ModelNames.isGlobal(name)) {
                if (training == null) {
                    training = new GlobalTraining(data, LstmConfig.tuned(periods.get(0), horizon)
                            .hiddenSize(lstmHidden).maxEpochs(lstmEpochs).windowsPerEpoch(lstmWindows).build(), ar,
                            verbosity);
                }
                all.put(name, training.forecaster(name, periods, horizon));
                trainingSeconds.put(name, training.secondsUsed());
            } else {
                all.put(name, forecasters.get(name));
            }
        }
        List<Row> rows;
        try (Progress progress = verbosity.progress("evaluate", (all.size() + 1L) * data.size(), "series fitted")) {
            rows = evaluate(data, all, trainingSeconds, horizon, periods.get(0), threads, progress);
        } catch (ForecastException e) {
            // A series no model, not even the seasonal naive fallback, can forecast: values so large that the
            // forecast overflows. That is the data, so name the file rather than end as an unexplained failure.
            throw new InvalidInputException(train + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (Row r : rows) {
            if (!r.fallbacks().isEmpty()) {
                err.printf(Locale.ROOT, "fleetpredict evaluate: %s could not fit %d series, seasonal naive used: %s%n",
                        r.model(), r.fallbacks().size(), String.join(" ", r.fallbacks()));
            }
        }
        List<Integer> flat = flatSeries(data, periods.get(0));
        if (!flat.isEmpty()) {
            err.printf(Locale.ROOT, "fleetpredict evaluate: %s%n", flatMessage(data, flat, periods.get(0)));
        }
        if (flat.size() < data.size() && rows.stream().anyMatch(r -> Double.isNaN(r.owa()))) {
            err.printf(Locale.ROOT, "fleetpredict evaluate: OWA not defined: Naive2, its yardstick, has an sMAPE or MASE "
                    + "of 0 on these series (its forecasts are exact); the other scores stand%n");
        }
        if (plot != null) {
            SvgChart.write(plot, plot(train.getFileName().toString(), rows));
        }
        out.print(output.json() ? JsonWriter.write(json(rows)) : table(rows));
        out.flush();
        err.flush();
        return ExitCodes.OK;
    }

    /**
     * The indexes of the series whose training values do not change at the MASE lag: their MASE scale is 0, so
     * M4 leaves their MASE and MSIS undefined and the means leave them out.
     */
    static List<Integer> flatSeries(List<M4Series> data, int period) {
        List<Integer> flat = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (Accuracy.maseScale(data.get(i).train().values(), period) == 0) {
                flat.add(i);
            }
        }
        return flat;
    }

    /** What the flat series make undefined, naming them: all of them up to five, else the first five and the count. */
    static String flatMessage(List<M4Series> data, List<Integer> flat, int period) {
        List<String> ids = flat.stream().limit(FLAT_IDS_NAMED).map(i -> data.get(i).id()).toList();
        String named = String.join(" ", ids) + (flat.size() > ids.size()
                ? String.format(Locale.ROOT, " and %d more", flat.size() - ids.size()) : "");
        String what = String.format(Locale.ROOT, "MASE and MSIS not defined for %d series whose training values are "
                + "flat (they do not change at the MASE lag, the period %d or 1 for a series not longer than it, so the "
                + "MASE scale is 0 and M4 leaves MASE undefined): %s", flat.size(), period, named);
        if (flat.size() == data.size()) {
            return what + "; no series is left to average, so MASE, MSIS and OWA are not defined; sMAPE and coverage stand";
        }
        return what + String.format(Locale.ROOT, "; MASE, MSIS and OWA are means over the other %d series, sMAPE and "
                + "coverage over all %d", data.size() - flat.size(), data.size());
    }

    private List<M4Series> read() {
        List<M4Series> data;
        try {
            data = M4Data.read(train, test);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(String.valueOf(e.getMessage()), e);
        }
        for (M4Series s : data) {
            if (s.test().size() < horizon) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s: series %s has %d hold-out values, fewer than the horizon %d",
                        test, s.id(), s.test().size(), horizon));
            }
            if (s.train().size() < 2) {
                throw new InvalidInputException(String.format(Locale.ROOT,
                        "%s: series %s has %d training values; scoring needs at least 2", train, s.id(), s.train().size()));
            }
        }
        return data;
    }

    /**
     * Trains the global models on the training series alone, each training once however many models use it.
     */
    private static final class GlobalTraining {
        private final List<TimeSeries> series;
        private final LstmConfig config;
        private final GlobalAutoregression.Settings arSettings;
        private final Verbosity verbosity;
        private final Map<List<TimeSeries>, Trained> trained = new HashMap<>();
        private final Map<List<TimeSeries>, Trained> trainedAr = new HashMap<>();
        private double used;

        GlobalTraining(List<M4Series> data, LstmConfig config, GlobalAutoregression.Settings arSettings,
                Verbosity verbosity) {
            this.series = data.stream().map(M4Series::train).toList();
            this.config = config;
            this.arSettings = arSettings;
            this.verbosity = verbosity;
        }

        /** The model; {@link #secondsUsed} then gives the wall time of the trainings it rests on. */
        Forecaster forecaster(String name, List<Integer> periods, int horizon) {
            used = 0;
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("lstm")) {
                return train(series);
            }
            if (lower.equals("global-ar")) {
                return trainAr(series);
            }
            CrossValidation plan = CrossValidation.of(horizon);
            List<Forecaster> candidates = new ArrayList<>();
            if (lower.contains("+lstm")) {
                candidates.add(Forecasters.globalCandidate(series, plan, this::train));
            }
            if (lower.endsWith("+ar")) {
                candidates.add(Forecasters.globalCandidate(series, plan, this::trainAr));
            }
            return Forecasters.auto(plan, candidates, periods.stream().mapToInt(Integer::intValue).toArray());
        }

        private Forecaster trainAr(List<TimeSeries> on) {
            return trainedOnce(trainedAr, on, s -> GlobalAutoregression.train(s, arSettings));
        }

        double secondsUsed() {
            return used;
        }

        private Forecaster train(List<TimeSeries> on) {
            return trainedOnce(trained, on, s -> {
                try (Progress progress = verbosity.progress("training the LSTM on " + s.size() + " series",
                        config.maxEpochs(), "epochs")) {
                    return LstmModel.trainGlobal(s, config, progress::reached).forecaster();
                }
            });
        }

        /**
         * The model {@code training} makes from these series, made (and timed) the first time only; its
         * training time counts towards {@link #secondsUsed} each time it is used.
         */
        private Forecaster trainedOnce(Map<List<TimeSeries>, Trained> cache, List<TimeSeries> on,
                Function<List<TimeSeries>, Forecaster> training) {
            Trained t = cache.get(on);
            if (t == null) {
                long t0 = System.nanoTime();
                Forecaster f = training.apply(on);
                t = new Trained(f, (System.nanoTime() - t0) / 1e9);
                cache.put(on, t);
            }
            used += t.seconds();
            return t.forecaster();
        }

        /** A trained model and the wall time its training took. */
        private record Trained(Forecaster forecaster, double seconds) {
        }
    }

    /**
     * Scores each model on every series with the library's hold-out evaluation ({@link Holdout}); Naive2 at
     * {@code period} is always scored first as the OWA yardstick. {@code progress} advances by one as each
     * series of each model (Naive2 first) is scored.
     */
    static List<Row> evaluate(List<M4Series> data, Map<String, Forecaster> forecasters,
            Map<String, Double> trainingSeconds, int horizon, int period, int threads, Progress progress)
            throws InterruptedException {
        List<TimeSeries> train = data.stream().map(M4Series::train).toList();
        List<TimeSeries> test = data.stream().map(M4Series::test).toList();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            HoldoutResult naive2 = named(data, () -> Holdout.evaluate(train, test, Forecasters.naive2(period), horizon,
                    period, pool, () -> progress.advance(1)));
            double naive2Mase = naive2.mase();
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, Forecaster> e : forecasters.entrySet()) {
                long t0 = System.nanoTime();
                HoldoutResult r = named(data, () -> Holdout.evaluate(train, test, e.getValue(), horizon, period, pool,
                        () -> progress.advance(1)));
                double seconds = (System.nanoTime() - t0) / 1e9;
                List<String> fallbacks = r.fallbacks().stream().map(i -> data.get(i).id()).toList();
                double mase = r.mase();
                double owa = naive2.smape() > 0 && naive2Mase > 0
                        ? Accuracy.owa(r.smape(), mase, naive2.smape(), naive2Mase) : Double.NaN;
                rows.add(new Row(e.getKey(), r.series(), r.smape(), mase, owa, r.msis(),
                        r.coverage(), seconds, trainingSeconds.getOrDefault(e.getKey(), 0.0), fallbacks));
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * OWA divides by Naive2's sMAPE and MASE; on a set where Naive2's forecasts are exact (a series of zeros
     * held out after a zero) both are 0 and OWA has no value, though every other score does.
     */
    /** A hold-out evaluation, run so that a series no model can forecast is named by the file's id for it. */
    private interface Scoring {
        HoldoutResult run() throws InterruptedException;
    }

    private static HoldoutResult named(List<M4Series> data, Scoring scoring) throws InterruptedException {
        try {
            return scoring.run();
        } catch (Holdout.SeriesFailedException e) {
            Throwable cause = e.getCause();
            throw new ForecastException("series " + data.get(e.index()).id() + ": "
                    + (cause == null ? e.getMessage() : cause.getMessage()), e);
        }
    }

    static Map<String, Object> json(List<Row> rows) {
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("series", r.series());
            m.put("smape", r.smape());
            m.put("mase", r.mase());
            m.put("owa", r.owa());
            m.put("msis", r.msis());
            m.put("coverage95", r.coverage95());
            m.put("seconds", r.seconds());
            m.put("trainingSeconds", r.trainingSeconds());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("models", list);
        return root;
    }

    /**
     * Error by model: one panel of bars each for sMAPE, MASE and OWA, the last with Naive2's level of 1 marked; a
     * score without a value (MASE when every series is flat, OWA when Naive2's forecasts are exact) has no panel.
     */
    static String plot(String data, List<Row> rows) {
        List<String> names = rows.stream().map(Row::model).toList();
        List<SvgChart> panels = new ArrayList<>(List.of(
                SvgChart.titled(data + ": sMAPE by model (lower is better)").x("model", SvgChart.Axis.CATEGORY)
                        .categories(names).y("sMAPE, %").bars("sMAPE", 1, rows.stream().mapToDouble(Row::smape).toArray())));
        if (rows.stream().noneMatch(r -> Double.isNaN(r.mase()))) {
            panels.add(SvgChart.titled(data + ": MASE by model").x("model", SvgChart.Axis.CATEGORY).categories(names)
                    .y("MASE").bars("MASE", 2, rows.stream().mapToDouble(Row::mase).toArray()));
        }
        if (rows.stream().noneMatch(r -> Double.isNaN(r.owa()))) {
            panels.add(SvgChart.titled(data + ": OWA by model, against Naive2").x("model", SvgChart.Axis.CATEGORY)
                    .categories(names).y("OWA").bars("OWA", 3, rows.stream().mapToDouble(Row::owa).toArray())
                    .rule("Naive2", 0, 1));
        }
        return SvgChart.stack(panels);
    }

    private static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-18s %6s %8s %7s %7s %8s %10s %9s %9s%n",
                "model", "series", "sMAPE", "MASE", "OWA", "MSIS", "coverage95", "seconds", "training"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-18s %6d %8s %7s %7s %8s %10s %9.1f %9.1f%n",
                    r.model(), r.series(), Numbers.text(r.smape()), Numbers.text(r.mase()), Numbers.text(r.owa()),
                    Numbers.text(r.msis()), Numbers.text(r.coverage95()), r.seconds(), r.trainingSeconds()));
        }
        return sb.toString();
    }
}
