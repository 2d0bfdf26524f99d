package io.fleetpredict.core.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.ResourceAmount;
import io.fleetpredict.core.ResourceUnit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code sample in docs/documents.md, compiled and run here so it cannot rot. */
class DocumentsUsageTest {

    @Test
    void sample_readConvertWriteAndReportErrors() {
        String json = DocumentFixtures.SEED;
        String invalidJson = json.replace("\"GB\"", "\"Mb\"");
        // tag::sample[]
        PredictedFleetState predicted = Documents.read(json, PredictedFleetState.class);
        ResourceAmount memory = predicted.resourceRequirements().get(1).amount();
        double memoryGiB = memory.to(ResourceUnit.GIB).amount();          // 200 GB = 186.26 GiB
        String written = Documents.write(predicted);                       // the seed, indented

        try {
            Documents.read(invalidJson, PredictedFleetState.class);
        } catch (InvalidDocumentException e) {
            String where = e.jsonPath();       // $.resource_requirements[1].units
            String what = e.getMessage();      // predicted fleet state $.resource_requirements[1].units: unknown unit "Mb" ...
        }
        // end::sample[]
        assertEquals(186.264514923095703125, memoryGiB, 1e-12);
        assertEquals(DocumentFixtures.tree(json), DocumentFixtures.tree(written));
    }

    @Test
    void sample_isQuotedVerbatimInTheDocs() throws IOException {
        Path source = Path.of("src/test/java/io/fleetpredict/core/document/DocumentsUsageTest.java");
        List<String> lines = Files.readAllLines(source);
        int from = lines.indexOf("        // tag::sample[]");
        int to = lines.indexOf("        // end::sample[]");
        String sample = String.join("\n", lines.subList(from + 1, to).stream().map(l -> l.isEmpty() ? l : l.substring(8)).toList());

        String page = Files.readString(DocumentFixtures.docs().resolve("documents.md"));

        assertTrue(page.contains(sample), "docs/documents.md must quote the sample in DocumentsUsageTest:\n" + sample);
    }
}
