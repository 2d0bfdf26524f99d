package io.fleetpredict.core.predict;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.FleetEvent;
import io.fleetpredict.core.document.Horizon;
import io.fleetpredict.forecast.Forecast;
import io.fleetpredict.forecast.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The event-aware prediction against the same model without events on the NYC taxi trace (NAB
 * {@code realKnownCause/nyc_taxi.csv}, 30-minute passenger counts, 2014-07-01 to 2015-01-31), with the
 * holidays, the marathon and the snow storm of {@code docs/examples/nyc-taxi-events.json}. The counts stand in
 * for one service's demand (as "CPU" in "cores", one per passenger). For every event with at least four weeks
 * of history before it, the medium-term prediction (hourly peaks, two days) is made at the event's start with
 * and without the feed, and its mean is scored against the actual hourly peaks inside the event's window.
 *
 * <p>Skipped when {@code /work/shared/data/traces/nyc-taxi} is absent; the figures go to
 * {@code docs/results/events.md}.
 */
class NycTaxiEventsTest {

    private static final Path TRACE = Path.of("/work/shared/data/traces/nyc-taxi/nyc_taxi.csv");
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void predict_nycTaxiEventWindows_eventAwareHasLowerError() throws IOException {
        assumeTrue(Files.isRegularFile(TRACE), "NYC taxi trace not present");
        List<String> lines = Files.readAllLines(TRACE);
        double[] v = new double[lines.size() - 1];
        Instant start = LocalDateTime.parse(lines.get(1).split(",")[0].replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        for (int i = 1; i < lines.size(); i++) {
            v[i - 1] = Double.parseDouble(lines.get(i).split(",")[1]);
        }
        FleetHistory history = FleetHistory.builder()
                .usage("taxi", ResourceType.CPU, ResourceUnit.CORES, start, Duration.ofMinutes(30), v).build();
        TimeSeries actual = BucketAggregation.aggregate(history.usage("taxi").get(ResourceType.CPU), HOUR,
                HorizonSpec.Aggregation.PEAK);
        Path docs = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(docs.resolve("docs/examples"))) {
            docs = docs.getParent();
        }
        EventFeed feed = Documents.read(docs.resolve("docs/examples/nyc-taxi-events.json"), EventFeed.class);
        Predictor p = Predictor.builder().horizons(List.of(HorizonSpec.mediumTerm())).build();

        double[] sumAbs = new double[2];
        double[] sumPct = new double[2];
        int n = 0;
        StringBuilder table = new StringBuilder();
        for (FleetEvent e : feed.events()) {
            if (Duration.between(start, e.start()).toDays() < 28) {
                continue;
            }
            Forecast with = p.fit(history, feed, e.start()).predict()
                    .horizon(Horizon.MEDIUM_TERM).forecast("taxi", ResourceType.CPU).forecast();
            Forecast without = p.fit(history, new EventFeed(1, List.of()), e.start()).predict()
                    .horizon(Horizon.MEDIUM_TERM).forecast("taxi", ResourceType.CPU).forecast();
            double[] ev = new double[2];
            int k = 0;
            for (int h = 0; h < with.horizon(); h++) {
                Instant t = with.start().plus(HOUR.multipliedBy(h));
                if (t.isBefore(e.start()) || !t.isBefore(e.end())) {
                    continue;
                }
                double y = actual.get((int) Duration.between(actual.start(), t).dividedBy(HOUR));
                double[] f = {with.mean(h), without.mean(h)};
                for (int m = 0; m < 2; m++) {
                    ev[m] += Math.abs(f[m] - y);
                    sumAbs[m] += Math.abs(f[m] - y);
                    sumPct[m] += Math.abs(f[m] - y) / y;
                }
                k++;
                n++;
            }
            table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f |%n",
                    e.id(), e.start().toString().substring(0, 10), k, ev[0] / k, ev[1] / k));
        }
        System.out.print(table);
        System.out.printf(Locale.ROOT, "nyc-taxi inside event windows (%d hourly steps): MAE with events %.1f, without %.1f;"
                + " MAPE with %.2f%%, without %.2f%%%n", n, sumAbs[0] / n, sumAbs[1] / n, 100 * sumPct[0] / n,
                100 * sumPct[1] / n);
        assertTrue(sumAbs[0] < sumAbs[1], "MAE with events " + sumAbs[0] / n + ", without " + sumAbs[1] / n);
    }
}
