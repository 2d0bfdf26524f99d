package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.DocumentKind;
import io.fleetpredict.core.document.Documents;
import io.fleetpredict.core.document.SchemaCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @TempDir
    Path tmp;

    /**
     * The help names what the demo's simulated cloud sells from without --catalog: the sample's catalogue (its plan
     * buys c6i.2xlarge in eu-west-1, which the built-in catalogue does not sell), not the built-in one.
     */
    @Test
    void help_catalogDefault_isTheSamplesCatalogue() {
        CommandRun help = CommandRun.of("demo", "--help");

        assertEquals(ExitCodes.OK, help.code(), help::toString);
        String catalog = help.out().substring(help.out().indexOf("--catalog"), help.out().indexOf("-h, --help"));
        assertTrue(catalog.replaceAll("\\s+", " ").contains("for demo, the bundled sample's instance-catalogue.json"),
                catalog);
    }

    @Test
    void demo_bundledSample_runsEveryStepAndWritesValidDocuments() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "demo", "--out", tmp.toString());

        assertEquals(ExitCodes.OK, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("== 1. Predict"), text);
        assertTrue(text.contains("== 2. Project"), text);
        assertTrue(text.contains("== 3. Provision"), text);
        // The sample proposes one change: said in the singular.
        assertTrue(text.contains("under the threshold: the 1 proposed change approved"), text);
        List<Path> written;
        try (var files = Files.list(tmp)) {
            written = files.sorted().toList();
        }
        assertTrue(written.size() >= 4, written.toString());
        for (Path file : written) {
            String json = Files.readString(file);
            DocumentKind kind = Documents.detect(json);
            assertEquals(Set.of(), SchemaCheck.errors(kind, json), file.toString());
            assertEquals(kind, Documents.read(json).kind());
        }
    }
}
