package io.fleetpredict.bench;

import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.forecast.ArimaOrder;
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
import org.jspecify.annotations.Nullable;

/**
 * Scores ARIMA and the LSTM on the 1998 World Cup web trace at hourly resolution, each with and without the
 * match schedule as regressors, by rolling-origin forecasts of the next 24 hours from every midnight (UTC) of
 * the tournament from 12 June to 12 July 1998.
 *
 * <p>The per-minute request counts are summed per hour (the 10 missing minutes filled linearly); forecasts are
 * scored on the original scale. {@code -Ddesign=} picks the pair of models:
 * <ul>
 * <li>{@code arimaweek} (default), {@code arimaweek0}: ARIMA(2,1,1) with drift (or (2,0,1) with mean) errors
 * on log counts, regressors 23 hour-of-day dummies and a weekend dummy; "with" adds the match window on
 * workdays, the match window at weekends and the hour after a window;</li>
 * <li>{@code arima}, {@code arima0}: the same without the weekend dummy and with one match indicator;</li>
 * <li>{@code seasonal}: ARIMA(2,0,1)(0,1,1)[24] on log counts with one indicator widened by {@code -Dlead=}
 * hours before and {@code -Dlag=} after;</li>
 * <li>{@code lstm}, {@code lstmlog}: the LSTM on counts (or on log counts); "with" adds the hour before, the
 * match window and the hour after, or with {@code -Dsplit=true} (default) the match window on workdays, at
 * weekends and the hour after. Its point forecast (the median) is clipped to half the minimum and twice the
 * maximum of the last 28 days. {@code -Dseed=} sets its seed (7).</li>
 * </ul>
 * ARIMA is refitted at every origin on the 28 days ({@code -Ddays=}) before it, leaving out an indicator
 * that is 0 throughout those days; the LSTM is trained on all data before the origin once a week (12, 19,
 * 26 June, 3 and 10 July) and updated with the new data in between. "Match hours" are the hours overlapping
 * a match window.
 *
 * <p>Not part of the build. Run it from the repository root after {@code mvn -pl fleetpredict-bench -am
 * package -DskipTests}:
 * <pre>
 * java -Ddesign=arimaweek -cp fleetpredict-bench/target/benchmarks.jar \
 *     io.fleetpredict.bench.WorldCupRegressorsEvaluation \
 *     /work/shared/data/traces/worldcup98/invocation_count.csv docs/examples/worldcup98-matches.json
 * </pre>
 */
public final class WorldCupRegressorsEvaluation {

    private static final int HORIZON = 24;
    private static final int ARIMA_DAYS = Integer.getInteger("days", 28);
    private static final int LEAD = Integer.getInteger("lead", 0);
    private static final int LAG = Integer.getInteger("lag", 0);
    private static final String DESIGN = System.getProperty("design", "arimaweek");
    private static final int LSTM_CLIP_DAYS = 28;
    private static final long SEED = Long.getLong("seed", 7);
    private static final boolean LSTM_SPLIT = Boolean.parseBoolean(System.getProperty("split", "true"));
    private static final List<String> MATCH_NAMES =
            List.of("match", "matchWorkday", "matchWeekend", "after", "before");
    private static final Instant FIRST_ORIGIN = Instant.parse(System.getProperty("from", "1998-06-12T00:00:00Z"));
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
        double[] matchHour = Regressors.builder(hourly.start(), hourly.step(), n).events("m", windows, 0, 0).build()
                .column("m");
        double[] y = hourly.values();
        double[] logY = Arrays.stream(y).map(Math::log).toArray();
        TimeSeries logSeries = TimeSeries.of(hourly.start(), hourly.step(), logY);
        System.out.printf(Locale.ROOT, "%d hours from %s; %d matches; design %s%n", n, hourly.start(),
                windows.size(), DESIGN);
        Design design = switch (DESIGN) {
            case "seasonal" -> seasonalArima(hourly, windows);
            case "arima" -> dummyArima(hourly, windows, ArimaOrder.of(2, 1, 1), true);
            case "arima0" -> dummyArima(hourly, windows, ArimaOrder.of(2, 0, 1), true);
            case "arimaweek" -> weekArima(hourly, windows, ArimaOrder.of(2, 1, 1), true);
            case "arimaweek0" -> weekArima(hourly, windows, ArimaOrder.of(2, 0, 1), true);
            case "lstm" -> lstm(hourly, windows, false);
            case "lstmlog" -> lstm(hourly, windows, true);
            default -> throw new IllegalArgumentException("unknown design " + DESIGN);
        };
        TimeSeries series = design.log ? logSeries : hourly;
        Score[] scores = {new Score(), new Score()};
        long[] nanos = new long[2];
        FittedModel[] lstmModels = new FittedModel[2];
        int firstOrigin = index(hourly, FIRST_ORIGIN);
        int lastOrigin = index(hourly, LAST_ORIGIN);
        for (int o = firstOrigin; o <= lastOrigin; o += HORIZON) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "origin %s:", hourly.timeAt(o)));
            for (int k = 0; k < 2; k++) {
                Regressors x = k == 0 ? design.without : design.with;
                long t0 = System.nanoTime();
                Forecast f;
                FittedModel m;
                int from;
                if (design.lstm) {
                    from = Math.max(0, o - LSTM_CLIP_DAYS * 24);
                    boolean retrain = (o - firstOrigin) % (7 * 24) == 0;
                    if (retrain) {
                        m = x == null ? design.forecaster.fit(series.head(o))
                                : design.forecaster.fit(series.head(o), x.head(o));
                    } else {
                        int h = lstmModels[k].history().size();
                        m = x == null ? lstmModels[k].update(series.slice(h, o))
                                : lstmModels[k].update(series.slice(h, o), x.slice(h, o));
                    }
                    lstmModels[k] = m;
                    f = x == null ? m.forecast(HORIZON) : m.forecast(HORIZON, x.slice(o, o + HORIZON));
                } else {
                    from = o - ARIMA_DAYS * 24;
                    if (x == null) {
                        m = design.forecaster.fit(series.slice(from, o));
                        f = m.forecast(HORIZON);
                    } else {
                        // An indicator that is 0 throughout the fitting window (no weekend match yet) has no
                        // estimable effect: leave it out of that fit and its forecast.
                        Regressors used = withoutEmpty(x.slice(from, o + HORIZON), o - from);
                        m = design.forecaster.fit(series.slice(from, o), used.head(o - from));
                        f = m.forecast(HORIZON, used.slice(o - from, o - from + HORIZON));
                    }
                }
                nanos[k] += System.nanoTime() - t0;
                // A sane range for the point forecast: the range of the last LSTM_CLIP_DAYS days widened by a
                // factor 2 each way, so that an error in log units cannot blow up through exp.
                double originError = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = from; i < o; i++) {
                    lo = Math.min(lo, y[i]);
                    hi = Math.max(hi, y[i]);
                }
                for (int h = 0; h < HORIZON; h++) {
                    double v = design.log ? Math.exp(f.mean(h)) : f.mean(h);
                    if (design.clip) {
                        v = Math.max(lo / 2, Math.min(2 * hi, v));
                    }
                    scores[k].add(y[o + h], v, matchHour[o + h] > 0);
                    originError += Math.abs(y[o + h] - v) / HORIZON;
                }
                line.append(String.format(Locale.ROOT, " MAE %.0f", originError));
                if (k == 1) {
                    for (String name : MATCH_NAMES) {
                        Double c = m.parameters().get(name);
                        if (c != null) {
                            line.append(String.format(Locale.ROOT, " %s %.3f", name, c));
                        }
                    }
                }
            }
            System.out.println(line);
        }
        System.out.println();
        System.out.println("| model | MAE match hours | sMAPE % match hours | MAE all hours | sMAPE % all hours | seconds |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (int k = 0; k < 2; k++) {
            Score s = scores[k];
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.0f | %.2f | %.1f |%n",
                    design.name + (k == 0 ? "" : " + " + design.matchLabel), s.maeEvent / s.nEvent,
                    100 * s.smapeEvent / s.nEvent, s.mae / s.n, 100 * s.smape / s.n, nanos[k] / 1e9);
        }
        System.out.printf(Locale.ROOT, "%d origins, %d hours scored, %d of them match hours%n",
                (lastOrigin - firstOrigin) / HORIZON + 1, scores[0].n, scores[0].nEvent);
    }

    /** The previous design: seasonal ARIMA on logs with one indicator, widened by -Dlead and -Dlag. */
    private static Design seasonalArima(TimeSeries hourly, List<Regressors.Window> windows) {
        Regressors with = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .events("match", windows, LEAD, LAG).build();
        return new Design("ARIMA(2,0,1)(0,1,1)[24]", "match", true, false,
                Forecasters.arima(ArimaOrder.of(2, 0, 1, 0, 1, 1, 24)), false, null, with);
    }

    /**
     * ARIMA errors without seasonal differencing; the daily shape is 23 hour-of-day dummies, so the match
     * indicators are level shifts on the log scale against that shape, identified at every kick-off and
     * final whistle rather than only where the schedule changes from one day to the next.
     */
    private static Design dummyArima(TimeSeries hourly, List<Regressors.Window> windows, ArimaOrder order,
            boolean constant) {
        Regressors without = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .hourOfDay("hour", ZoneOffset.UTC).build();
        Regressors m = matchColumns(hourly, windows);
        Regressors with = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .hourOfDay("hour", ZoneOffset.UTC).column("match", m.column("match"))
                .column("after", m.column("after")).build();
        String name = String.format(Locale.ROOT, "ARIMA(%d,%d,%d)%s + hour dummies", order.p(), order.d(),
                order.q(), constant ? (order.d() == 0 ? " with mean" : " with drift") : "");
        return new Design(name, "match + after", true, false, Forecasters.arima(order, constant), false,
                without, with);
    }

    /**
     * As {@link #dummyArima}, with a weekend dummy in both models and the match window split by the day it
     * falls on: on working days matches are followed on the web at work and the surge is large, at the
     * weekend they are watched on television and it is small (10 to 13 June: factor 3 to 5 on Wednesday to
     * Friday, under 2 on Saturday).
     */
    private static Design weekArima(TimeSeries hourly, List<Regressors.Window> windows, ArimaOrder order,
            boolean constant) {
        double[] weekend = weekend(hourly);
        Regressors without = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .hourOfDay("hour", ZoneOffset.UTC).column("weekend", weekend).build();
        Regressors m = matchColumns(hourly, windows);
        double[] match = m.column("match");
        double[] workday = new double[match.length];
        double[] restday = new double[match.length];
        for (int i = 0; i < match.length; i++) {
            workday[i] = match[i] * (1 - weekend[i]);
            restday[i] = match[i] * weekend[i];
        }
        Regressors with = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .hourOfDay("hour", ZoneOffset.UTC).column("weekend", weekend).column("matchWorkday", workday)
                .column("matchWeekend", restday).column("after", m.column("after")).build();
        String name = String.format(Locale.ROOT, "ARIMA(%d,%d,%d)%s + hour dummies + weekend", order.p(),
                order.d(), order.q(), constant ? (order.d() == 0 ? " with mean" : " with drift") : "");
        return new Design(name, "match on workdays + match at weekends + after", true, false,
                Forecasters.arima(order, constant), false, without, with);
    }

    /** The columns of {@code x} that are not all 0 in its first {@code fit} steps. */
    private static Regressors withoutEmpty(Regressors x, int fit) {
        java.util.Map<String, double[]> kept = new java.util.LinkedHashMap<>();
        for (String name : x.names()) {
            double[] c = x.column(name);
            if (Arrays.stream(c, 0, fit).anyMatch(v -> v != 0)) {
                kept.put(name, c);
            }
        }
        return Regressors.of(x.start(), x.step(), kept);
    }

    /** 1 on Saturdays and Sundays (UTC), 0 on other days. */
    private static double[] weekend(TimeSeries hourly) {
        double[] v = new double[hourly.size()];
        for (int i = 0; i < v.length; i++) {
            java.time.DayOfWeek d = hourly.timeAt(i).atZone(ZoneOffset.UTC).getDayOfWeek();
            v[i] = d == java.time.DayOfWeek.SATURDAY || d == java.time.DayOfWeek.SUNDAY ? 1 : 0;
        }
        return v;
    }

    /** The LSTM with the match window, the hour before and the hour after as separate inputs. */
    private static Design lstm(TimeSeries hourly, List<Regressors.Window> windows, boolean log) {
        LstmConfig config = LstmConfig.builder().inputWindow(168).chunk(24).seasonalPeriod(24).horizon(HORIZON)
                .hiddenSize(32).maxEpochs(40).patience(8).learningRate(0.003).quantiles(0.1, 0.5, 0.9).seed(SEED)
                .build();
        Regressors m = matchColumns(hourly, windows);
        double[] before = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .events("b", windows, 1, 0).build().column("b");
        double[] match = m.column("match");
        for (int i = 0; i < before.length; i++) {
            before[i] -= match[i];
        }
        Regressors with;
        String label;
        if (LSTM_SPLIT) {
            double[] weekend = weekend(hourly);
            double[] workday = new double[match.length];
            double[] restday = new double[match.length];
            for (int i = 0; i < match.length; i++) {
                workday[i] = match[i] * (1 - weekend[i]);
                restday[i] = match[i] * weekend[i];
            }
            with = Regressors.builder(hourly.start(), hourly.step(), hourly.size()).column("matchWorkday", workday)
                    .column("matchWeekend", restday).column("after", m.column("after")).build();
            label = "match on workdays + match at weekends + after";
        } else {
            with = Regressors.builder(hourly.start(), hourly.step(), hourly.size()).column("before", before)
                    .column("match", match).column("after", m.column("after")).build();
            label = "before + match + after";
        }
        return new Design(log ? "LSTM on log counts, clipped" : "LSTM on counts", label, log,
                true, Forecasters.lstm(config), true, null, with);
    }

    /** {@code match}: the hours overlapping a window; {@code after}: the hour after a window, if not a match. */
    private static Regressors matchColumns(TimeSeries hourly, List<Regressors.Window> windows) {
        double[] match = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .events("m", windows, 0, 0).build().column("m");
        double[] after = Regressors.builder(hourly.start(), hourly.step(), hourly.size())
                .events("a", windows, 0, 1).build().column("a");
        for (int i = 0; i < after.length; i++) {
            after[i] -= match[i];
        }
        return Regressors.builder(hourly.start(), hourly.step(), hourly.size()).column("match", match)
                .column("after", after).build();
    }

    /**
     * A model compared with and without the match regressors: {@code lstm} when it is retrained weekly and
     * updated in between (ARIMA is refitted at every origin); {@code without} null when the comparison model
     * has no regressors at all.
     */
    private record Design(String name, String matchLabel, boolean log, boolean clip, Forecaster forecaster,
            boolean lstm, @Nullable Regressors without, Regressors with) {
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
