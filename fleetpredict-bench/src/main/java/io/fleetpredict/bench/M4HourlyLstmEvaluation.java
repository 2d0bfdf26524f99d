package io.fleetpredict.bench;

import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.HoldoutResult;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.LstmModel;
import io.fleetpredict.forecast.TimeSeries;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trains the global LSTM on all 414 M4 hourly training series and scores its forecasts of the 48 held-out
 * hours with the library's M4 measures ({@link Accuracy}, {@link HoldoutResult}): sMAPE, MASE (scaled by the
 * in-sample mean absolute difference at lag 24) and OWA against M4's published Naive2 hourly figures (sMAPE
 * 18.383, MASE 2.395). The seasonal naive forecast is scored alongside as the bar to beat.
 *
 * <p>Not part of the build. Run it from the repository root after {@code mvn -pl fleetpredict-bench -am
 * package -DskipTests}:
 * <pre>
 * java -cp fleetpredict-bench/target/benchmarks.jar io.fleetpredict.bench.M4HourlyLstmEvaluation \
 *     /work/shared/data/m4-hourly [key=value ...]
 * </pre>
 * where the optional settings, changes to {@link LstmConfig#tuned}, are {@code hidden}, {@code layers},
 * {@code epochs}, {@code windows} (per epoch), {@code batch}, {@code lr}, {@code patience}, {@code seed},
 * {@code calendar}, {@code window}, {@code chunk} and {@code save} (a file to write the trained model to).
 */
public final class M4HourlyLstmEvaluation {

    private static final int HORIZON = 48;
    private static final int PERIOD = 24;
    private static final double NAIVE2_SMAPE = 18.383;
    private static final double NAIVE2_MASE = 2.395;

    private M4HourlyLstmEvaluation() {
    }

    /**
     * Runs the evaluation.
     *
     * @param args the data directory, then optional {@code key=value} settings
     * @throws IOException if the data cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/work/shared/data/m4-hourly");
        Map<String, String> opt = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            opt.put(kv[0], kv[1]);
        }
        Map<String, LocalDateTime> starts = readStarts(dir.resolve("M4-info-hourly.derived.csv"));
        List<String> ids = new ArrayList<>();
        List<double[]> train = readRows(dir.resolve("Hourly-train.csv"), ids);
        List<double[]> test = readRows(dir.resolve("Hourly-test.csv"), new ArrayList<>());
        List<TimeSeries> series = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            LocalDateTime start = starts.getOrDefault(ids.get(i), LocalDateTime.of(1970, 1, 1, 0, 0));
            series.add(TimeSeries.of(start.toInstant(ZoneOffset.UTC), Duration.ofHours(1), train.get(i)));
        }
        LstmConfig.Builder settings = LstmConfig.tuned(PERIOD, HORIZON);
        setting(opt, "window", v -> settings.inputWindow(Integer.parseInt(v)));
        setting(opt, "chunk", v -> settings.chunk(Integer.parseInt(v)));
        setting(opt, "hidden", v -> settings.hiddenSize(Integer.parseInt(v)));
        setting(opt, "layers", v -> settings.layers(Integer.parseInt(v)));
        setting(opt, "epochs", v -> settings.maxEpochs(Integer.parseInt(v)));
        setting(opt, "windows", v -> settings.windowsPerEpoch(Integer.parseInt(v)));
        setting(opt, "batch", v -> settings.batchSize(Integer.parseInt(v)));
        setting(opt, "lr", v -> settings.learningRate(Double.parseDouble(v)));
        setting(opt, "patience", v -> settings.patience(Integer.parseInt(v)));
        setting(opt, "seed", v -> settings.seed(Long.parseLong(v)));
        setting(opt, "calendar", v -> settings.calendarFeatures(Boolean.parseBoolean(v)));
        LstmConfig config = settings.build();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        LstmModel model = LstmModel.trainGlobal(series, config);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double trainCpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        if (opt.containsKey("save")) {
            try (OutputStream out = Files.newOutputStream(Path.of(opt.get("save")))) {
                model.save(out);
            }
        }
        long t1 = System.nanoTime();
        List<Accuracy> lstm = new ArrayList<>();
        List<Accuracy> lstm80 = new ArrayList<>();
        List<Accuracy> snaive = new ArrayList<>();
        Forecaster seasonalNaive = Forecasters.seasonalNaive(PERIOD);
        for (int i = 0; i < series.size(); i++) {
            TimeSeries in = series.get(i);
            double[] actual = test.get(i);
            Forecast f = model.forecast(in, HORIZON, 80, 95);
            lstm.add(Accuracy.of(in, actual, f, PERIOD, 95));
            lstm80.add(Accuracy.of(in, actual, f, PERIOD, 80));
            snaive.add(Accuracy.of(in, actual, seasonalNaive.fit(in).forecast(HORIZON, 95), PERIOD));
        }
        double forecastSeconds = (System.nanoTime() - t1) / 1e9;
        int n = series.size();
        System.out.println(model);
        System.out.println(config);
        System.out.printf(Locale.ROOT, "training %.1f s wall (%.1f s process CPU), forecasting %d series %.2f s%n",
                trainSeconds, trainCpuSeconds, n, forecastSeconds);
        report("LSTM", new HoldoutResult("lstm", HORIZON, lstm, List.of()));
        report("sNaive", new HoldoutResult(seasonalNaive.name(), HORIZON, snaive, List.of()));
        System.out.printf(Locale.ROOT, "LSTM interval coverage: 80%% -> %.3f, 95%% -> %.3f%n",
                new HoldoutResult("lstm", HORIZON, lstm80, List.of()).coverage(),
                new HoldoutResult("lstm", HORIZON, lstm, List.of()).coverage());
    }

    private static void setting(Map<String, String> opt, String key, Consumer<String> apply) {
        String value = opt.get(key);
        if (value != null) {
            apply.accept(value);
        }
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static void report(String name, HoldoutResult result) {
        System.out.printf(Locale.ROOT, "%-7s sMAPE %.3f  MASE %.3f  OWA %.3f%n", name, result.smape(), result.mase(),
                result.owa(NAIVE2_SMAPE, NAIVE2_MASE));
    }

    private static List<double[]> readRows(Path file, List<String> ids) throws IOException {
        List<double[]> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            ids.add(cells[0].replace("\"", ""));
            List<Double> v = new ArrayList<>();
            for (int i = 1; i < cells.length; i++) {
                String c = cells[i].replace("\"", "").trim();
                if (!c.isEmpty()) {
                    v.add(Double.parseDouble(c));
                }
            }
            rows.add(v.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return rows;
    }

    private static Map<String, LocalDateTime> readStarts(Path file) throws IOException {
        Map<String, LocalDateTime> starts = new HashMap<>();
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            starts.put(cells[0], LocalDateTime.parse(cells[4], f));
        }
        return starts;
    }
}
