import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replays every M4 hourly series as a demand trace under {@code fleetpredict replay} and sums up the loop
 * against the reference policies (replay-m4.md):
 *
 * <pre>java -cp fleetpredict-cli/target/fleetpredict.jar docs/results/ReplayM4.java \
 *     Hourly-train.csv Hourly-test.csv SLA_TARGET OUT_DIR [PARALLEL]</pre>
 *
 * Each series (its training values, then its 48 test values) becomes {@code OUT_DIR/traces/NAME.csv}, one value
 * an hour from Monday 2015-01-05 00:00 UTC; one instance serves a twentieth of the series' highest value in its
 * first week (the replay's warm-up), at least 1, so that every fleet starts near twenty instances. The replay
 * runs with a 5-minute boot and the given SLA target, its JSON in {@code OUT_DIR/NAME.json} (a series whose JSON is
 * there already is not replayed again, so an interrupted run resumes); the summary goes to standard output and
 * one line a series to {@code OUT_DIR/summary.csv}.
 */
public class ReplayM4 {

    private static final LocalDateTime START = LocalDateTime.of(2015, 1, 5, 0, 0);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    record Row(String name, double cost, double violation, double reactiveBest, double staticBest,
               double reactiveDefault, double reactiveDefaultViolation, double staticDefault) {}

    public static void main(String[] a) throws Exception {
        List<String> train = Files.readAllLines(Path.of(a[0]));
        List<String> test = Files.readAllLines(Path.of(a[1]));
        String target = a[2];
        double allowed = 1 - Double.parseDouble(target);
        Path out = Path.of(a[3]);
        int parallel = a.length > 4 ? Integer.parseInt(a[4]) : 2;
        Files.createDirectories(out.resolve("traces"));
        String jar = System.getProperty("java.class.path");
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        List<Future<Row>> rows = new ArrayList<>();
        for (int i = 1; i < train.size(); i++) {
            String[] tr = fields(train.get(i));
            String[] te = fields(test.get(i));
            String name = tr[0];
            double[] values = new double[tr.length - 1 + te.length - 1];
            for (int k = 1; k < tr.length; k++) {
                values[k - 1] = Double.parseDouble(tr[k]);
            }
            for (int k = 1; k < te.length; k++) {
                values[tr.length - 2 + k] = Double.parseDouble(te[k]);
            }
            double firstWeekPeak = Arrays.stream(values, 0, 168).max().orElseThrow();
            long perInstance = Math.max(1, (long) Math.ceil(firstWeekPeak / 20));
            Path trace = out.resolve("traces").resolve(name + ".csv");
            try (PrintWriter w = new PrintWriter(trace.toFile(), StandardCharsets.UTF_8)) {
                w.print("timestamp,value\n");
                for (int k = 0; k < values.length; k++) {
                    w.print(START.plus(Duration.ofHours(k)).format(TIME) + "," + values[k] + "\n");
                }
            }
            rows.add(pool.submit(() -> replay(jar, name, trace, perInstance, target, out, allowed)));
        }
        List<Row> done = new ArrayList<>();
        for (Future<Row> f : rows) {
            done.add(f.get());
        }
        pool.shutdown();
        try (PrintWriter w = new PrintWriter(out.resolve("summary.csv").toFile(), StandardCharsets.UTF_8)) {
            w.print("series,cost,violation_share,reactive_best,static_best,reactive_default,"
                    + "reactive_default_violation_share,static_default\n");
            for (Row r : done) {
                w.printf(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%s,%s%n", r.name(), r.cost(), r.violation(), r.reactiveBest(),
                        r.staticBest(), r.reactiveDefault(), r.reactiveDefaultViolation(), r.staticDefault());
            }
        }
        summarise(done, allowed, target);
    }

    private static String[] fields(String line) {
        return Arrays.stream(line.split(",")).map(s -> s.replace("\"", "")).filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }

    private static Row replay(String jar, String name, Path trace, long perInstance, String target, Path out,
            double allowed) throws IOException, InterruptedException {
        Path json = out.resolve(name + ".json");
        if (Files.exists(json) && Files.size(json) > 0) {
            return row(name, new ObjectMapper().readTree(json.toFile()), allowed);
        }
        Process p = new ProcessBuilder("java", "-jar", jar, "replay", "--trace", trace.toString(), "--per-instance",
                Long.toString(perInstance), "--boot-time", "5m", "--sla-target", target, "--format", "json", "-q")
                .redirectOutput(json.toFile()).redirectError(new File(out.resolve(name + ".err").toString()))
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(name + ": replay exited " + p.exitValue() + ", see " + name + ".err");
        }
        return row(name, new ObjectMapper().readTree(json.toFile()), allowed);
    }

    private static Row row(String name, JsonNode d, double allowed) {
        JsonNode fp = policy(d, "fleetpredict");
        return new Row(name, fp.get("cost").asDouble(), fp.get("violation_share").asDouble(),
                cheapest(d, "reactive", allowed), cheapest(d, "static", allowed), policy(d, "reactive").get("cost")
                .asDouble(), policy(d, "reactive").get("violation_share").asDouble(), policy(d, "static").get("cost")
                .asDouble());
    }

    private static JsonNode policy(JsonNode d, String name) {
        for (JsonNode p : d.get("policies")) {
            if (p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new IllegalStateException("no policy " + name);
    }

    /** The cheapest point of a family's sweep whose violation share is within the allowed share; NaN if none. */
    private static double cheapest(JsonNode d, String family, double allowed) {
        double best = Double.NaN;
        for (JsonNode p : d.get("frontier")) {
            if (p.get("policy").asText().equals(family) && p.get("violation_share").asDouble() <= allowed + 1e-12
                    && !(p.get("cost").asDouble() >= best)) {
                best = p.get("cost").asDouble();
            }
        }
        return best;
    }

    private static void summarise(List<Row> rows, double allowed, String target) {
        int n = rows.size();
        long withinTarget = rows.stream().filter(r -> r.violation() <= allowed + 1e-12).count();
        long withinBar = rows.stream().filter(r -> r.violation() <= 1.5 * allowed + 1e-12).count();
        List<Row> withReactive = rows.stream().filter(r -> !Double.isNaN(r.reactiveBest())).toList();
        long underReactive = withReactive.stream().filter(r -> r.cost() <= r.reactiveBest() + 1e-9).count();
        double[] ratios = withReactive.stream().mapToDouble(r -> r.cost() / r.reactiveBest()).sorted().toArray();
        double geo = Math.exp(Arrays.stream(ratios).map(Math::log).average().orElse(Double.NaN));
        double median = ratios.length % 2 == 1 ? ratios[ratios.length / 2]
                : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
        double sumLoop = withReactive.stream().mapToDouble(Row::cost).sum();
        double sumReactive = withReactive.stream().mapToDouble(Row::reactiveBest).sum();
        List<Row> withStatic = rows.stream().filter(r -> !Double.isNaN(r.staticBest())).toList();
        long underStatic = withStatic.stream().filter(r -> r.cost() <= 1.1 * r.staticBest() + 1e-9).count();
        long allBars = rows.stream().filter(r -> r.violation() <= 1.5 * allowed + 1e-12
                && (Double.isNaN(r.reactiveBest()) || r.cost() <= r.reactiveBest() + 1e-9)
                && (Double.isNaN(r.staticBest()) || r.cost() <= 1.1 * r.staticBest() + 1e-9)).count();
        double meanViolation = rows.stream().mapToDouble(Row::violation).average().orElse(Double.NaN);
        long reactiveMeets = rows.stream().filter(r -> r.reactiveDefaultViolation() <= allowed + 1e-12).count();
        long cheaperThanReactive = rows.stream().filter(r -> r.cost() <= r.reactiveDefault()).count();
        double sumReactiveDefault = rows.stream().mapToDouble(Row::reactiveDefault).sum();
        double sumAll = rows.stream().mapToDouble(Row::cost).sum();
        double meanReactiveViolation = rows.stream().mapToDouble(Row::reactiveDefaultViolation).average().orElse(0);
        System.out.printf(Locale.ROOT, "SLA target %s: %d traces%n", target, n);
        System.out.printf(Locale.ROOT, "fleetpredict: violation share within the target on %d, within 1.5x on %d; "
                + "mean violation share %.5f (allowed %.5f)%n", withinTarget, withinBar, meanViolation, allowed);
        System.out.printf(Locale.ROOT, "cost at most reactive's cheapest point meeting the target: %d of %d; cost "
                + "ratio geometric mean %.4f, median %.4f; summed %.4f%n", underReactive, withReactive.size(), geo,
                median, sumLoop / sumReactive);
        System.out.printf(Locale.ROOT, "cost at most 1.1x static's cheapest point meeting the target: %d of %d%n",
                underStatic, withStatic.size());
        System.out.printf(Locale.ROOT, "all three bars: %d of %d%n", allBars, n);
        System.out.printf(Locale.ROOT, "reactive at its default target 0.7: meets the target on %d of %d (mean "
                + "violation share %.5f); fleetpredict cheaper on %d; summed cost ratio %.4f%n", reactiveMeets, n,
                meanReactiveViolation, cheaperThanReactive, sumAll / sumReactiveDefault);
    }
}
