package io.fleetpredict.core.predict;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.EventFeed;
import io.fleetpredict.core.document.EventType;
import io.fleetpredict.core.document.ExpectedImpact;
import io.fleetpredict.core.document.FleetEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The bundled sample fleet: four weeks at a 15-minute step of three services with a known demand relation,
 * a campaign that recurs weekly (three times in the history, once after it) and maintenance.
 *
 * <ul>
 *   <li>{@code checkout}: transactions and sessions; CPU cores = 2 + 0.02 transactions + 0.001 sessions
 *       + N(0, 0.4); memory GiB = 8 + 0.004 sessions + N(0, 0.2).</li>
 *   <li>{@code catalogue}: page views; CPU cores = 1 + 0.005 page views + N(0, 0.3); memory GiB = 16
 *       + N(0, 0.3), unrelated to the activity (a poor fit that falls back to a direct forecast).</li>
 *   <li>{@code search}: no activity metrics; CPU cores = 10 + 6 daily profile + N(0, 0.5).</li>
 * </ul>
 *
 * <p>Activity follows a daily profile (trough at 04:00, peak at 16:00 UTC), 30% lower at weekends, with 5%
 * log-normal noise. The "Spring sale" campaign (scope checkout and catalogue) multiplies activity by 1.6
 * from 10:00 to 22:00 on 2024-03-06, 03-13 and 03-20, and its declared impact is 1.5. Seed 20240226.
 *
 * <p>{@code main(dir)} writes the CSVs and the event feed that fleetpredict-cli bundles under
 * {@code src/main/resources/sample/}.
 */
final class SampleFleet {

    static final Instant START = Instant.parse("2024-02-26T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(15);
    static final int STEPS = 4 * 7 * 96;
    static final double UPLIFT = 1.6;
    static final long SEED = 20240226L;
    static final List<Instant> SALE_DAYS = List.of(Instant.parse("2024-03-06T00:00:00Z"),
            Instant.parse("2024-03-13T00:00:00Z"), Instant.parse("2024-03-20T00:00:00Z"),
            Instant.parse("2024-03-25T00:00:00Z"));

    private SampleFleet() {
    }

    /** The series by file stem ({@code service.resource.unit} or {@code service.activity.metric}). */
    static Map<String, double[]> series() {
        Random rnd = new Random(SEED);
        double[] tx = new double[STEPS];
        double[] sessions = new double[STEPS];
        double[] views = new double[STEPS];
        double[] coCpu = new double[STEPS];
        double[] coMem = new double[STEPS];
        double[] caCpu = new double[STEPS];
        double[] caMem = new double[STEPS];
        double[] seCpu = new double[STEPS];
        for (int i = 0; i < STEPS; i++) {
            Instant t = START.plus(STEP.multipliedBy(i));
            double hour = t.atZone(ZoneOffset.UTC).getHour() + t.atZone(ZoneOffset.UTC).getMinute() / 60.0;
            DayOfWeek d = t.atZone(ZoneOffset.UTC).getDayOfWeek();
            double daily = 0.5 * (1 - Math.cos(2 * Math.PI * (hour - 4) / 24)); // 0 at 04:00, 1 at 16:00
            double week = d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? 0.7 : 1.0;
            double sale = inSale(t) ? UPLIFT : 1.0;
            tx[i] = round(week * sale * (400 + 1600 * daily) * Math.exp(0.05 * rnd.nextGaussian()));
            sessions[i] = round(week * sale * (1500 + 4500 * daily) * Math.exp(0.05 * rnd.nextGaussian()));
            views[i] = round(week * sale * (2000 + 8000 * daily) * Math.exp(0.05 * rnd.nextGaussian()));
            coCpu[i] = round(2 + 0.02 * tx[i] + 0.001 * sessions[i] + 0.4 * rnd.nextGaussian());
            coMem[i] = round(8 + 0.004 * sessions[i] + 0.2 * rnd.nextGaussian());
            caCpu[i] = round(1 + 0.005 * views[i] + 0.3 * rnd.nextGaussian());
            caMem[i] = round(16 + 0.3 * rnd.nextGaussian());
            seCpu[i] = round(10 + 6 * daily + 0.5 * rnd.nextGaussian());
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        out.put("checkout.activity.transactions", tx);
        out.put("checkout.activity.sessions", sessions);
        out.put("checkout.cpu.cores", coCpu);
        out.put("checkout.memory.GiB", coMem);
        out.put("catalogue.activity.page_views", views);
        out.put("catalogue.cpu.cores", caCpu);
        out.put("catalogue.memory.GiB", caMem);
        out.put("search.cpu.cores", seCpu);
        return out;
    }

    static boolean inSale(Instant t) {
        return SALE_DAYS.stream().anyMatch(d -> !t.isBefore(d.plus(Duration.ofHours(10)))
                && t.isBefore(d.plus(Duration.ofHours(22))));
    }

    static FleetHistory history() {
        FleetHistory.Builder b = FleetHistory.builder();
        series().forEach((stem, v) -> {
            String[] p = stem.split("\\.");
            if (p[1].equals("activity")) {
                b.activity(p[0], p[2], START, STEP, v);
            } else {
                b.usage(p[0], ResourceType.find(p[1]).orElseThrow(), ResourceUnit.find(p[2]).orElseThrow(), START, STEP, v);
            }
        });
        return b.build();
    }

    static EventFeed events() {
        List<FleetEvent> events = new ArrayList<>();
        for (int k = 0; k < SALE_DAYS.size(); k++) {
            Instant d = SALE_DAYS.get(k);
            events.add(new FleetEvent("spring-sale-" + (k + 1), EventType.CAMPAIGN, "Spring sale",
                    d.plus(Duration.ofHours(10)), d.plus(Duration.ofHours(22)), List.of("checkout", "catalogue"),
                    new ExpectedImpact(1.5, null, null, null)));
        }
        events.add(new FleetEvent("db-failover-drill", EventType.MAINTENANCE, "Database failover drill",
                Instant.parse("2024-03-12T02:00:00Z"), Instant.parse("2024-03-12T04:00:00Z"), List.of("catalogue"),
                new ExpectedImpact(null, null, null, 2)));
        events.add(new FleetEvent("zone-drain", EventType.MAINTENANCE, "Availability zone drain",
                Instant.parse("2024-03-26T03:00:00Z"), Instant.parse("2024-03-26T05:00:00Z"), List.of(),
                new ExpectedImpact(null, null, List.of(new ResourceAmount(ResourceType.CPU, 16, ResourceUnit.CORES)), null)));
        return new EventFeed(1, events);
    }

    /** The sample history without the sale's effect: what an event-free model would have seen. */
    static EventFeed noEvents() {
        return new EventFeed(1, List.of());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * Writes the sample into a directory.
     *
     * @param args the directory
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, double[]> e : series().entrySet()) {
            StringBuilder sb = new StringBuilder("timestamp,value\n");
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                sb.append(START.plus(STEP.multipliedBy(i))).append(',')
                        .append(String.format(Locale.ROOT, "%s", v[i])).append('\n');
            }
            Files.writeString(dir.resolve(e.getKey() + ".csv"), sb, StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("events.json"), Documents.write(events()), StandardCharsets.UTF_8);
    }
}
