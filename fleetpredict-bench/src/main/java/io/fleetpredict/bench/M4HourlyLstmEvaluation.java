package io.fleetpredict.bench;

import io.fleetpredict.forecast.Forecast;
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

/**
 * Trains the global LSTM on all 414 M4 hourly training series and scores its forecasts of the 48 held-out
 * hours with the M4 measures: sMAPE, MASE (scaled by the in-sample mean absolute difference at lag 24)
 * and OWA against M4's published Naive2 hourly figures (sMAPE 18.383, MASE 2.395). The seasonal naive
 * forecast is scored alongside as the bar to beat.
 *
 * <p>Not part of the build. Run it from the repository root after {@code mvn -pl fleetpredict-bench -am
 * package -DskipTests}:
 * <pre>
 * java -cp fleetpredict-bench/target/benchmarks.jar io.fleetpredict.bench.M4HourlyLstmEvaluation \
 *     /work/shared/data/m4-hourly [key=value ...]
 * </pre>
 * where the optional settings are {@code hidden}, {@code layers}, {@code epochs}, {@code windows}
 * (per epoch), {@code batch}, {@code lr}, {@code patience}, {@code seed}, {@code calendar},
 * {@code window}, {@code chunk} and {@code save} (a file to write the trained model to).
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
        LstmConfig config = LstmConfig.builder()
                .inputWindow(Integer.parseInt(opt.getOrDefault("window", "168")))
                .chunk(Integer.parseInt(opt.getOrDefault("chunk", "24")))
                .horizon(HORIZON)
                .seasonalPeriod(PERIOD)
                .hiddenSize(Integer.parseInt(opt.getOrDefault("hidden", "48")))
                .layers(Integer.parseInt(opt.getOrDefault("layers", "1")))
                .maxEpochs(Integer.parseInt(opt.getOrDefault("epochs", "20")))
                .windowsPerEpoch(Integer.parseInt(opt.getOrDefault("windows", "40000")))
                .batchSize(Integer.parseInt(opt.getOrDefault("batch", "64")))
                .learningRate(Double.parseDouble(opt.getOrDefault("lr", "0.003")))
                .patience(Integer.parseInt(opt.getOrDefault("patience", "4")))
                .seed(Long.parseLong(opt.getOrDefault("seed", "42")))
                .calendarFeatures(Boolean.parseBoolean(opt.getOrDefault("calendar", "true")))
                .build();
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
        double[] lstm = new double[2];
        double[] snaive = new double[2];
        double coverage80 = 0;
        double coverage95 = 0;
        for (int i = 0; i < series.size(); i++) {
            double[] y = train.get(i);
            double[] actual = test.get(i);
            Forecast f = model.forecast(series.get(i), HORIZON, 80, 95);
            double[] naive = new double[HORIZON];
            for (int h = 0; h < HORIZON; h++) {
                naive[h] = y[y.length - PERIOD + h % PERIOD];
            }
            accumulate(lstm, y, actual, f.mean());
            accumulate(snaive, y, actual, naive);
            double[] lo80 = f.lower(80);
            double[] hi80 = f.upper(80);
            double[] lo95 = f.lower(95);
            double[] hi95 = f.upper(95);
            for (int h = 0; h < HORIZON; h++) {
                coverage80 += actual[h] >= lo80[h] && actual[h] <= hi80[h] ? 1 : 0;
                coverage95 += actual[h] >= lo95[h] && actual[h] <= hi95[h] ? 1 : 0;
            }
        }
        double forecastSeconds = (System.nanoTime() - t1) / 1e9;
        int n = series.size();
        System.out.println(model);
        System.out.println(config);
        System.out.printf(Locale.ROOT, "training %.1f s wall (%.1f s process CPU), forecasting %d series %.2f s%n",
                trainSeconds, trainCpuSeconds, n, forecastSeconds);
        report("LSTM", lstm, n);
        report("sNaive", snaive, n);
        System.out.printf(Locale.ROOT, "LSTM interval coverage: 80%% -> %.3f, 95%% -> %.3f%n",
                coverage80 / (n * HORIZON), coverage95 / (n * HORIZON));
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static void report(String name, double[] sums, int n) {
        double smape = sums[0] / n;
        double mase = sums[1] / n;
        double owa = (smape / NAIVE2_SMAPE + mase / NAIVE2_MASE) / 2;
        System.out.printf(Locale.ROOT, "%-7s sMAPE %.3f  MASE %.3f  OWA %.3f%n", name, smape, mase, owa);
    }

    private static void accumulate(double[] sums, double[] insample, double[] actual, double[] forecast) {
        double smape = 0;
        double abs = 0;
        for (int h = 0; h < actual.length; h++) {
            smape += 200 * Math.abs(actual[h] - forecast[h]) / (Math.abs(actual[h]) + Math.abs(forecast[h]));
            abs += Math.abs(actual[h] - forecast[h]);
        }
        double scale = 0;
        for (int t = PERIOD; t < insample.length; t++) {
            scale += Math.abs(insample[t] - insample[t - PERIOD]);
        }
        scale /= insample.length - PERIOD;
        sums[0] += smape / actual.length;
        sums[1] += abs / actual.length / scale;
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
