package io.fleetpredict.forecast;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the reference tables under {@code src/test/resources/io/fleetpredict/forecast/reference},
 * written by {@code make-references.R} there (R 4.2.2, forecast 8.20). Lines starting with {@code #}
 * record the tool and the exact call; the first other line names the columns.
 */
final class RReference {

    private final List<String> columns;
    private final double[][] data;

    private RReference(List<String> columns, double[][] data) {
        this.columns = columns;
        this.data = data;
    }

    static RReference load(String name) {
        String path = "reference/" + name;
        try (InputStream in = RReference.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = null;
            List<double[]> rows = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                if (header == null) {
                    header = Arrays.asList(cells);
                } else {
                    rows.add(Arrays.stream(cells).mapToDouble(Double::parseDouble).toArray());
                }
            }
            double[][] byColumn = new double[header.size()][rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < header.size(); j++) {
                    byColumn[j][i] = rows.get(i)[j];
                }
            }
            return new RReference(header, byColumn);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double[] column(String name) {
        int j = columns.indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return data[j].clone();
    }

    static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
