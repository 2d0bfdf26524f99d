package io.fleetpredict.bench;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.FittedModel;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.Forecaster;
import io.fleetpredict.forecast.Forecasters;
import io.fleetpredict.forecast.GapPolicy;
import io.fleetpredict.forecast.LstmConfig;
import io.fleetpredict.forecast.Regressors;
import io.fleetpredict.forecast.TimeSeries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scores seasonal ARIMA and the LSTM on the 1998 World Cup web trace at hourly resolution, each with and
 * without the match schedule as a regressor, by rolling-origin forecasts of the next 24 hours from every
 * midnight (UTC) of the tournament from 12 June to 12 July 1998.
 *
 * <p>The per-minute request counts are summed per hour (the 10 missing minutes filled linearly); ARIMA models
 * the log scale, the LSTM the counts (its inputs are already scaled per window; {@code -DlstmLog=true} gives
 * it the logs too); forecasts are scored on the original scale. The regressor {@code match} is 1 in every
 * hour that overlaps a match window of the event feed, widened by {@code -Dlead=} hours before
 * (anticipation) and {@code -Dlag=} after, 0 by default. ARIMA(2,0,1)(0,1,1)[24] is refitted at every origin on the 28 days
 * ({@code -Ddays=}) before it; the LSTM is trained
 * on all data before the origin once a week (12, 19, 26 June, 3 and 10 July) and updated with the new data
 * in between. "Match hours" are the hours overlapping a match window (without the widening).
 *
 * <p>Not part of the build. Run it from the repository root after {@code mvn -pl fleetpredict-bench -am
 * package -DskipTests}:
 * <pre>
 * java -cp fleetpredict-bench/target/benchmarks.jar io.fleetpredict.bench.WorldCupRegressorsEvaluation \
 *     /work/shared/data/traces/worldcup98/invocation_count.csv docs/examples/worldcup98-matches.json
 * </pre>
 */
public final class WorldCupRegressorsEvaluation {

    private static final int HORIZON = 24;
    private static final int ARIMA_DAYS = Integer.getInteger("days", 28);
    private static final int LEAD = Integer.getInteger("lead", 0);
    private static final int LAG = Integer.getInteger("lag", 0);
    private static final boolean LSTM_LOG = Boolean.parseBoolean(System.getProperty("lstmLog", "false"));
    private static final Instant FIRST_ORIGIN = Instant.parse("1998-06-12T00:00:00Z");
    private static final Instant LAST_ORIGIN = Instant.parse("1998-07-12T00:00:00Z");

    private WorldCupRegressorsEvaluation() {
    }

    /**
     * Runs the evaluation and prints a Markdown table.
     *
     * @param args the per-minute CSV and the event feed JSON
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: WorldCupRegressorsEvaluation invocation_count.csv worldcup98-matches.json");
            System.exit(2);
        }
        TimeSeries hourly = hourly(Path.of(args[0]));
        EventFeed feed = Documents.read(Path.of(args[1]), EventFeed.class);
        List<Regressors.Window> windows = new ArrayList<>();
        for (FleetEvent e : feed.events()) {
            windows.add(new Regressors.Window(e.start(), e.end()));
        }
        int n = hourly.size();
        Regressors match = Regressors.builder(hourly.start(), hourly.step(), n).events("match", windows, LEAD, LAG)
                .build();
        double[] matchHour = Regressors.builder(hourly.start(), hourly.step(), n).events("m", windows, 0, 0).build()
                .column("m");
        double[] y = hourly.values();
        double[] logY = Arrays.stream(y).map(Math::log).toArray();
        TimeSeries logSeries = TimeSeries.of(hourly.start(), hourly.step(), logY);
        TimeSeries lstmSeries = LSTM_LOG ? logSeries : hourly;
        System.out.printf(Locale.ROOT, "%d hours from %s; %d matches%n", n, hourly.start(), windows.size());

        String[] names = {"ARIMA(2,0,1)(0,1,1)[24]", "ARIMA(2,0,1)(0,1,1)[24] + match", "LSTM", "LSTM + match"};
        Score[] scores = new Score[names.length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = new Score();
        }
        LstmConfig lstm = LstmConfig.builder().inputWindow(168).chunk(24).seasonalPeriod(24).horizon(HORIZON)
                .hiddenSize(32).maxEpochs(40).patience(8).learningRate(0.003).quantiles(0.1, 0.5, 0.9).seed(7)
                .build();
        Forecaster arima = Forecasters.arima(io.fleetpredict.forecast.ArimaOrder.of(2, 0, 1, 0, 1, 1, 24));
        FittedModel lstmPlain = null;
        FittedModel lstmMatch = null;
        long[] nanos = new long[names.length];
        int firstOrigin = index(hourly, FIRST_ORIGIN);
        int lastOrigin = index(hourly, LAST_ORIGIN);
        for (int o = firstOrigin; o <= lastOrigin; o += HORIZON) {
            int from = o - ARIMA_DAYS * 24;
            Forecast[] f = new Forecast[names.length];
            long t0 = System.nanoTime();
            f[0] = arima.fit(logSeries.slice(from, o)).forecast(HORIZON);
            long t1 = System.nanoTime();
            FittedModel am = arima.fit(logSeries.slice(from, o), match.slice(from, o));
            f[1] = am.forecast(HORIZON, match.slice(o, o + HORIZON));
            long t2 = System.nanoTime();
            boolean retrain = (o - firstOrigin) % (7 * 24) == 0;
            if (retrain) {
                lstmPlain = Forecasters.lstm(lstm).fit(lstmSeries.head(o));
            } else {
                lstmPlain = lstmPlain.update(lstmSeries.slice(lstmPlain.history().size(), o));
            }
            f[2] = lstmPlain.forecast(HORIZON);
            long t3 = System.nanoTime();
            if (retrain) {
                lstmMatch = Forecasters.lstm(lstm).fit(lstmSeries.head(o), match.head(o));
            } else {
                int h = lstmMatch.history().size();
                lstmMatch = lstmMatch.update(lstmSeries.slice(h, o), match.slice(h, o));
            }
            f[3] = lstmMatch.forecast(HORIZON, match.slice(o, o + HORIZON));
            long t4 = System.nanoTime();
            nanos[0] += t1 - t0;
            nanos[1] += t2 - t1;
            nanos[2] += t3 - t2;
            nanos[3] += t4 - t3;
            for (int k = 0; k < names.length; k++) {
                for (int h = 0; h < HORIZON; h++) {
                    double v = k < 2 || LSTM_LOG ? Math.exp(f[k].mean(h)) : f[k].mean(h);
                    scores[k].add(y[o + h], v, matchHour[o + h] > 0);
                }
            }
            System.out.printf(Locale.ROOT, "origin %s: ARIMA match coefficient %.3f%n", hourly.timeAt(o),
                    am.parameters().get("match"));
        }
        System.out.println();
        System.out.println("| model | MAE match hours | sMAPE % match hours | MAE all hours | sMAPE % all hours | seconds |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (int k = 0; k < names.length; k++) {
            Score s = scores[k];
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.0f | %.2f | %.1f |%n", names[k],
                    s.maeEvent / s.nEvent, 100 * s.smapeEvent / s.nEvent, s.mae / s.n, 100 * s.smape / s.n,
                    nanos[k] / 1e9);
        }
        System.out.printf(Locale.ROOT, "%d origins, %d hours scored, %d of them match hours%n",
                (lastOrigin - firstOrigin) / HORIZON + 1, scores[0].n, scores[0].nEvent);
    }

    private static int index(TimeSeries s, Instant t) {
        return (int) (Duration.between(s.start(), t).toHours());
    }

    /** Hourly sums from 1998-05-01T00:00Z to the last complete hour, missing minutes filled linearly. */
    static TimeSeries hourly(Path csv) throws IOException {
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        Instant start = Instant.parse("1998-05-01T00:00:00Z");
        List<String> lines = Files.readAllLines(csv);
        Instant last = LocalDateTime.parse(lines.get(lines.size() - 1).split(",")[0], fmt).toInstant(ZoneOffset.UTC);
        int minutes = (int) Duration.between(start, last).toMinutes() + 1;
        double[] raw = new double[minutes];
        Arrays.fill(raw, Double.NaN);
        for (String line : lines.subList(1, lines.size())) {
            String[] p = line.split(",");
            Instant t = LocalDateTime.parse(p[0], fmt).toInstant(ZoneOffset.UTC);
            long i = Duration.between(start, t).toMinutes();
            if (i >= 0) {
                raw[(int) i] = Double.parseDouble(p[1]);
            }
        }
        double[] filled = TimeSeries.filled(start, Duration.ofMinutes(1), raw, GapPolicy.LINEAR).values();
        int hours = minutes / 60;
        double[] h = new double[hours];
        for (int i = 0; i < hours * 60; i++) {
            h[i / 60] += filled[i];
        }
        return TimeSeries.of(start, Duration.ofHours(1), h);
    }

    private static final class Score {
        double mae;
        double smape;
        int n;
        double maeEvent;
        double smapeEvent;
        int nEvent;

        void add(double actual, double forecast, boolean event) {
            double err = Math.abs(actual - forecast);
            double sm = 2 * err / (Math.abs(actual) + Math.abs(forecast));
            mae += err;
            smape += sm;
            n++;
            if (event) {
                maeEvent += err;
                smapeEvent += sm;
                nEvent++;
            }
        }
    }
}
