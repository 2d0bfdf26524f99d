import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.CrossValidation;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scores {@code auto} on every series of one group of M4-layout files, one line a series:
 * {@code group,id,mase,smape}. Run against a library built with system-properties.patch, the selection's
 * settings come from -Dfp.origins, -Dfp.stride, -Dfp.combine, -Dfp.within, -Dfp.oneEachFamily,
 * -Dfp.noStandardTheta, -Dfp.averageOnlyIfBetter, -Dfp.etsBothStarts and -Dfp.median (the per-step median of
 * the averaged models' forecasts instead of their mean).
 *
 * <pre>java -cp fleetpredict.jar:. Variants DIR GROUP HORIZON PERIOD THREADS [MODEL]</pre>
 *
 * <p>MODEL (default {@code auto}) is any name {@code fleetpredict forecast --model} takes.
 */
public class Variants {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        String group = a[1];
        int h = Integer.parseInt(a[2]);
        int period = Integer.parseInt(a[3]);
        List<String[]> train = read(dir.resolve(group + "-train.csv"));
        List<String[]> test = read(dir.resolve(group + "-test.csv"));
        ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(a[4]));
        String model = a.length > 5 ? a[5] : "auto";
        List<Future<String>> lines = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            String[] x = train.get(i);
            double[] actual = values(test.get(i));
            lines.add(pool.submit(() -> {
                TimeSeries s = TimeSeries.of(Instant.EPOCH, Duration.ofHours(1), values(x));
                Forecast f = Forecasters.byName(model, CrossValidation.of(h), new int[] {period}).fit(s).forecast(h, 95);
                Accuracy acc = Accuracy.of(s, actual, f, period);
                return String.format(Locale.ROOT, "%s,%s,%.6f,%.6f%n", group, x[0], acc.mase(), acc.smape());
            }));
        }
        for (Future<String> line : lines) {
            System.out.print(line.get());
        }
        pool.shutdown();
    }

    private static double[] values(String[] row) {
        return Arrays.stream(row).skip(1).filter(v -> !v.isEmpty()).mapToDouble(Double::parseDouble).toArray();
    }

    private static List<String[]> read(Path file) throws Exception {
        List<String> all = Files.readAllLines(file);
        List<String[]> rows = new ArrayList<>();
        for (String line : all.subList(1, all.size())) {
            rows.add(line.replace("\"", "").split(",", -1));
        }
        return rows;
    }
}
