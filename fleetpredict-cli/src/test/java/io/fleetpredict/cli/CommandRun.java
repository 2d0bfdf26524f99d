package io.fleetpredict.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One in-process run of the command: its exit code and what it printed. */
record CommandRun(int code, String out, String err) {

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CommandRun(code, out.toString(), err.toString());
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
