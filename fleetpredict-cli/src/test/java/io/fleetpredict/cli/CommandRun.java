package io.fleetpredict.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One in-process run of the command: its exit code and what it printed. */
record CommandRun(int code, String out, String err) {

    static CommandRun of(String... args) {
        return shown(Display.PLAIN, args);
    }

    /** A run whose progress is shown as {@code display} says. */
    static CommandRun shown(Display display, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), display, args);
        return new CommandRun(code, out.toString(), err.toString());
    }

    /** Plain progress lines from the first unit of work on, each time one is done. */
    static final Display EVERY_UNIT = new Display(false, java.time.Duration.ZERO, java.time.Duration.ZERO);

    /** A small fleet history folder: a service's CPU and memory, hourly over three weeks with a daily cycle. */
    static Path smallHistory(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        java.time.Instant t0 = java.time.Instant.parse("2024-03-01T00:00:00Z");
        java.util.Random random = new java.util.Random(5);
        StringBuilder cpu = new StringBuilder("timestamp,value\n");
        StringBuilder memory = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 21 * 24; i++) {
            double day = Math.sin(2 * Math.PI * i / 24);
            String t = t0.plusSeconds(3600L * i).toString();
            cpu.append(t).append(',').append(String.format(java.util.Locale.ROOT, "%.2f",
                    40 + 15 * day + random.nextGaussian())).append('\n');
            memory.append(t).append(',').append(String.format(java.util.Locale.ROOT, "%.2f",
                    1200 + 200 * day + 10 * random.nextGaussian())).append('\n');
        }
        java.nio.file.Files.writeString(dir.resolve("web.cpu.cores.csv"), cpu);
        java.nio.file.Files.writeString(dir.resolve("web.memory.GiB.csv"), memory);
        return dir;
    }

    /** A fixture of src/test/resources/cli. */
    static Path fixture(String name) {
        try {
            return Path.of(CommandRun.class.getResource("/cli/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository's docs/examples folder, found upwards from the working directory. */
    static Path examples() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dir.resolve("docs/examples"))) {
            dir = dir.getParent();
        }
        return dir.resolve("docs/examples");
    }

    @Override
    public String toString() {
        return "exit " + code + "\nout:\n" + out + "\nerr:\n" + err;
    }
}
