package io.fleetpredict.cli;

import io.fleetpredict.forecast.TimeSeries;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the M4 competition's CSV layout, for {@code fleetpredict evaluate}: a header row, then one series a row, the id first and the
 * values after it, each double-quoted, shorter rows padded with empty fields.
 *
 * <p>M4 has no timestamps; the series are given hourly steps from the epoch
 * ({@link TimeSeries#ofValues}), which only matters to code that reads their times.
 */
final class M4Data {

    /** A row's limit: M4's longest series, 9,919 daily values, takes about 100 kB; a longer line is another file. */
    static final int MAX_LINE_BYTES = 16 << 20;

    private static final String ROW_HOLDS = "a row holds a series id and its values";

    private M4Data() {
    }

    /**
     * Reads a training file and its hold-out file and pairs their rows by id.
     *
     * @param train the training CSV (such as {@code Hourly-train.csv})
     * @param test the hold-out CSV (such as {@code Hourly-test.csv}) with the same ids
     * @return the series in the order of the training file
     * @throws InvalidInputException if a file cannot be read, or its header is separated by semicolons
     * @throws IllegalArgumentException if a row is malformed (the message names the file and line) or an
     *     id of either file is missing from the other (the message names the first five and the count)
     */
    static List<M4Series> read(Path train, Path test) {
        Map<String, double[]> trainRows = rows(train);
        Map<String, double[]> testRows = rows(test);
        if (trainRows.isEmpty()) {
            throw new IllegalArgumentException(train + ": no series (the file is empty or holds only a header)");
        }
        // Refused both ways: a hold-out row without training is as much a sign of mismatched files as the reverse.
        unpaired(trainRows, testRows, train, test);
        unpaired(testRows, trainRows, test, train);
        List<M4Series> out = new ArrayList<>(trainRows.size());
        for (Map.Entry<String, double[]> e : trainRows.entrySet()) {
            double[] hold = java.util.Objects.requireNonNull(testRows.get(e.getKey()), "paired above");
            TimeSeries tr = TimeSeries.ofValues(e.getValue());
            out.add(new M4Series(e.getKey(), tr, TimeSeries.of(tr.end(), tr.step(), hold)));
        }
        return out;
    }

    /** How many unpaired ids a message names before it gives only their count. */
    private static final int IDS_NAMED = 5;

    /** Refuses the ids of {@code from} that {@code other} lacks, naming the first few in file order and the count. */
    private static void unpaired(Map<String, double[]> from, Map<String, double[]> other, Path fromFile,
            Path otherFile) {
        List<String> ids = from.keySet().stream().filter(id -> !other.containsKey(id)).toList();
        if (ids.isEmpty()) {
            return;
        }
        String named = String.join(", ", ids.subList(0, Math.min(IDS_NAMED, ids.size())))
                + (ids.size() > IDS_NAMED ? String.format(Locale.ROOT, " and %d more", ids.size() - IDS_NAMED) : "");
        throw new IllegalArgumentException(ids.size() == 1
                ? String.format(Locale.ROOT, "series %s of %s has no row in %s", named, fromFile, otherFile)
                : String.format(Locale.ROOT, "%d series of %s have no row in %s: %s", ids.size(), fromFile, otherFile,
                        named));
    }

    private static Map<String, double[]> rows(Path file) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        // Line by line as bytes, so that a byte that is not UTF-8 is named by its own line.
        try (BufferedInputStream r = new BufferedInputStream(Files.newInputStream(file))) {
            String line = SeriesCsv.nextLine(r, file, 1, MAX_LINE_BYTES, ROW_HOLDS);
            if (line != null) {
                SeriesCsv.checkCommaSeparated(file, 1, line);
            }
            int lineNo = 1;
            while (line != null && (line = SeriesCsv.nextLine(r, file, lineNo + 1, MAX_LINE_BYTES, ROW_HOLDS)) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split(",", -1);
                String id = unquote(fields[0]);
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: empty series id", file, lineNo));
                }
                double[] values = new double[fields.length - 1];
                int n = 0;
                for (int i = 1; i < fields.length; i++) {
                    String f = unquote(fields[i].trim());
                    if (f.isEmpty()) {
                        continue;
                    }
                    if (n < i - 1) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s:%d: value in column %d after an empty field", file, lineNo, i + 1));
                    }
                    try {
                        values[n++] = DecimalNumbers.parse(f);
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s:%d: column %d: value '%s' is not a number", file, lineNo, i + 1, f), ex);
                    }
                    if (!Double.isFinite(values[n - 1])) {
                        throw new IllegalArgumentException(String.format(Locale.ROOT,
                                "%s:%d: column %d: value '%s' is out of range", file, lineNo, i + 1, f));
                    }
                }
                if (n == 0) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: series %s has no values",
                            file, lineNo, id));
                }
                if (rows.put(id, Arrays.copyOf(values, n)) != null) {
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "%s:%d: duplicate series id %s",
                            file, lineNo, id));
                }
            }
        } catch (IOException e) {
            throw InvalidInputException.unreadable(file, e);
        }
        return rows;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
