import io.fleetpredict.forecast.Accuracy;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fits each named ETS model to one series of M4-layout files and prints its AICc, its MASE on the test values
 * and its parameters (forecast-accuracy.md, "What is left on the 30 series"):
 *
 * <pre>java -cp fleetpredict.jar docs/results/EtsModels.java TRAIN TEST ROW PERIOD HORIZON LABEL...</pre>
 *
 * ROW counts the series from 1; LABEL is an ETS class such as AAdN or MAdM.
 */
public class EtsModels {
    public static void main(String[] a) throws Exception {
        int row = Integer.parseInt(a[2]);
        int period = Integer.parseInt(a[3]);
        int horizon = Integer.parseInt(a[4]);
        double[] train = values(Files.readAllLines(Path.of(a[0])).get(row));
        double[] test = Arrays.copyOf(values(Files.readAllLines(Path.of(a[1])).get(row)), horizon);
        TimeSeries series = TimeSeries.of(Instant.EPOCH, Duration.ofHours(1), train);
        for (String label : List.of(a).subList(5, a.length)) {
            FittedModel fit = Forecasters.ets(label, period).fit(series);
            Accuracy accuracy = Accuracy.of(series, test, fit.forecast(horizon, 95), period);
            System.out.printf(Locale.ROOT, "%s AICc %.1f MASE %.4f %s%n", label, fit.parameters().get("aicc"),
                    accuracy.mase(), fit.parameters());
        }
    }

    private static double[] values(String line) {
        return Arrays.stream(line.replace("\"", "").split(",")).skip(1).filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble).toArray();
    }
}
