package io.fleetpredict.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fleetpredict.core.document.InvalidDocumentException;
import io.fleetpredict.core.ResourceType;
import io.fleetpredict.core.ResourceUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuerySetTest {

    @Test
    void example_validatesAgainstTheSchema_andReads() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Path docs = Path.of("..", "docs");
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                mapper.readTree(Files.readString(docs.resolve("schemas/prometheus-queries.schema.json"))));
        Path example = docs.resolve("examples/integrations/prometheus-queries.json");
        assertEquals(Set.of(), schema.validate(mapper.readTree(Files.readString(example))));
        QuerySet set = QuerySet.read(example);
        assertEquals(8, set.queries().size());
        assertEquals(Duration.ofMinutes(15), set.step());
        assertEquals(Dating.STEP_START, set.dating(), "the example's expressions are windows over the step");
    }

    @Test
    void parse_dating_isEvaluationTimeWithoutTheField_andNamedWhenBad() {
        String queries = "\"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}]}";
        assertEquals(Dating.EVALUATION_TIME, QuerySet.parse("{\"schema_version\": 1, \"step\": \"PT1M\", " + queries).dating());
        assertEquals(Dating.EVALUATION_TIME, QuerySet.parse("{\"schema_version\": 1, \"step\": \"PT1M\", "
                + "\"dating\": \"evaluation_time\", " + queries).dating());
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse(
                "{\"schema_version\": 1, \"step\": \"PT1M\", \"dating\": \"end\", " + queries));
        assertEquals("$.dating", e.jsonPath());
        assertEquals("must be \"step_start\" or \"evaluation_time\", was \"end\"", e.problem());
        assertThrows(NullPointerException.class, () -> new QuerySet(Duration.ofMinutes(1),
                List.of(new SeriesQuery.Activity("a", "x", "q")), null));
    }

    @Test
    void read_badFile_namesTheFileAndPath() throws IOException {
        Path bad = Files.createTempFile("queries", ".json");
        Files.writeString(bad, "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\"}]}");
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("$.queries[0].promql"),
                e.getMessage());
        Files.delete(bad);
    }

    @Test
    void read_fileNotInUtf8_namesTheFileAndWhereTheBadBytesAre() throws IOException {
        // "café" written in Latin-1: the é is the single byte 0xE9, which UTF-8 never has alone
        byte[] head = "{\"schema_version\": 1, \"step\": \"PT1M\",\n\"queries\": [{\"service\": \"caf"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\", \"activity\": \"x\", \"promql\": \"q\"}]}".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Path latin1 = Files.createTempFile("queries", ".json");
        Files.write(latin1, bytes);
        try {
            InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.read(latin1));
            assertEquals("$", e.jsonPath());
            assertEquals(latin1 + ": not UTF-8 at byte offset " + head.length + " (line 2): 0xE9",
                    e.problem());
        } finally {
            Files.delete(latin1);
        }
    }

    @Test
    void read_fileCutInsideACharacter_namesTheEnd() throws IOException {
        // the first two of the three bytes of "€", then the end of the file
        byte[] start = "{\"schema_version\": 1".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(start, start.length + 2);
        bytes[start.length] = (byte) 0xE2;
        bytes[start.length + 1] = (byte) 0x82;
        Path cut = Files.createTempFile("queries", ".json");
        Files.write(cut, bytes);
        try {
            InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.read(cut));
            assertEquals(cut + ": not UTF-8 at byte offset " + start.length + " (line 1): 0xE2 0x82", e.problem());
        } finally {
            Files.delete(cut);
        }
    }

    @Test
    void read_fileWithAByteOrderMark_reads() throws IOException {
        // editors on Windows start a UTF-8 file with EF BB BF
        Path marked = Files.createTempFile("queries", ".json");
        Files.writeString(marked, "\uFEFF{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\","
                + " \"activity\": \"x\", \"promql\": \"q\"}]}", StandardCharsets.UTF_8);
        try {
            assertEquals(List.of(new SeriesQuery.Activity("a", "x", "q")), QuerySet.read(marked).queries());
        } finally {
            Files.delete(marked);
        }
    }

    @Test
    void read_fileLargerThanAnyQueryFile_isRefusedWithoutReadingItAll() throws IOException {
        // a path given by mistake (a dump, a log) must not fill the memory before it is refused
        Path huge = Files.createTempFile("queries", ".json");
        try (java.io.OutputStream out = Files.newOutputStream(huge)) {
            byte[] blanks = new byte[1 << 20];
            java.util.Arrays.fill(blanks, (byte) ' ');
            for (int i = 0; i < 9; i++) {
                out.write(blanks);
            }
        }
        try {
            InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.read(huge));
            assertEquals(huge + ": larger than 8388608 bytes; a query file is far smaller", e.problem());
        } finally {
            Files.delete(huge);
        }
    }

    @Test
    void parse_usageAndActivity_mapsEachQuery() {
        QuerySet set = QuerySet.parse("""
                {"schema_version": 1, "step": "PT15M", "queries": [
                  {"service": "checkout", "resource": "CPU", "unit": "millicores", "promql": "sum(cpu)"},
                  {"service": "checkout", "activity": "transactions", "promql": "sum(tx)"}]}
                """);
        assertEquals(Duration.ofMinutes(15), set.step());
        assertEquals(List.of(new SeriesQuery.Usage("checkout", ResourceType.CPU, ResourceUnit.MILLICORES, "sum(cpu)"),
                new SeriesQuery.Activity("checkout", "transactions", "sum(tx)")), set.queries());
        assertEquals("checkout.cpu.millicores", set.queries().get(0).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"schema_version\": 2, \"step\": \"PT1M\", \"queries\": []}|$.schema_version",
        "{\"schema_version\": 1, \"step\": \"15m\", \"queries\": []}|$.step",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": []}|$.queries",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"querys\": []}|$.querys",
        "{\"schema_version\": 1, \"step\": \"-PT1M\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}]}|$.step",
        "{\"schema_version\": 1, \"step\": \"PT2562047788015215H\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}]}|$.step",
        "{\"schema_version\": 1, \"step\": \"P999999999D\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}]}|$.step",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"resource\": \"gpu\", \"unit\": \"cores\", \"promql\": \"q\"}]}|$.queries[0].resource",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"resource\": \"cpu\", \"unit\": \"GiB\", \"promql\": \"q\"}]}|$.queries[0].unit",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"resource\": \"cpu\", \"unit\": \"furlongs\", \"promql\": \"q\"}]}|$.queries[0].unit",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"resource\": \"cpu\", \"activity\": \"x\", \"promql\": \"q\"}]}|$.queries[0]",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \" \"}]}|$.queries[0].promql",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}, {\"service\": \"a\", \"activity\": \"x\", \"promql\": \"r\"}]}|$.queries",
        "[1, 2]|$",
        "{not json|$"})
    void parse_badFile_namesTheField(String json, String path) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse(json));
        assertEquals(path, e.jsonPath(), e.getMessage());
    }

    @Test
    void parse_stepOfCenturies_isRead() {
        QuerySet set = QuerySet.parse("""
                {"schema_version": 1, "step": "PT2628000H", "queries": [
                  {"service": "a", "activity": "x", "promql": "q"}]}
                """);
        assertEquals(Duration.ofHours(2_628_000), set.step());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"service\": \"b\", \"activity\": \"x\", \"promql\": \"q\"}]}|line 1, column 77: Duplicate field 'service'",
        "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"activity\": \"x\", \"promql\": \"q\"}]} ]|line 1, column 102: Unexpected close marker ']'"})
    void parse_duplicateFieldOrContentAfterTheDocument_isRefused(String json, String problem) {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse(json));
        assertEquals("$", e.jsonPath(), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    /** Jackson's own description of where the text came from says nothing to the person who wrote the file. */
    @Test
    void parse_documentCutShort_saysWhereWithoutTheParsersSourceNote() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class,
                () -> QuerySet.parse("{\"schema_version\": 1, \"step\": \"PT1M\""));
        assertTrue(e.problem().endsWith("Unexpected end-of-input: expected close marker for Object"), e.problem());
        assertFalse(e.problem().contains("Source:"), e.problem());
    }

    @Test
    void parse_stepOfWholeMillisecondsBelowASecond_isRead_andOfLessIsNot() {
        assertEquals(Duration.ofMillis(500), QuerySet.parse("""
                {"schema_version": 1, "step": "PT0.5S", "queries": [
                  {"service": "a", "activity": "x", "promql": "q"}]}
                """).step());
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse("""
                {"schema_version": 1, "step": "PT0.0005S", "queries": [
                  {"service": "a", "activity": "x", "promql": "q"}]}
                """));
        assertEquals("$.step", e.jsonPath());
        assertEquals("step must be positive whole milliseconds, was PT0.0005S", e.problem());
    }

    /** A step longer than the 10,000 years a document's times span is refused at $.step, not overflowed later. */
    @Test
    void parse_stepOfTenThousandYears_isRead_andOneLongerIsNot() {
        assertEquals(Duration.ofDays(3_652_425), QuerySet.parse("""
                {"schema_version": 1, "step": "P3652425D", "queries": [
                  {"service": "a", "activity": "x", "promql": "q"}]}
                """).step());
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse("""
                {"schema_version": 1, "step": "PT2562047788015215H", "queries": [
                  {"service": "a", "activity": "x", "promql": "q"}]}
                """));
        assertEquals("$.step", e.jsonPath());
        assertEquals("step must be at most 3652425 days (10,000 years, the span of the times a document holds), was "
                + "PT2562047788015215H", e.problem());
    }

    @Test
    void parse_unknownFieldOfAQuery_isNamed() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse("""
                {"schema_version": 1, "step": "PT1M", "queries": [
                  {"service": "a", "activity": "x", "promql": "q", "labels": {"team": "b"}}]}
                """));
        assertEquals("$.queries[0].labels", e.jsonPath());
    }

    @Test
    void parse_twoUsageQueriesOfAServiceResourceInOtherUnits_areOneSeriesTwice() {
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> QuerySet.parse("""
                {"schema_version": 1, "step": "PT1M", "queries": [
                  {"service": "a", "resource": "cpu", "unit": "cores", "promql": "q"},
                  {"service": "a", "resource": "cpu", "unit": "millicores", "promql": "r"}]}
                """));
        assertEquals("$.queries", e.jsonPath());
    }

    @Test
    void read_fileOfTheLargestSize_reads() throws IOException {
        byte[] document = "{\"schema_version\": 1, \"step\": \"PT1M\", \"queries\": [{\"service\": \"a\", \"activity\":"
                .concat(" \"x\", \"promql\": \"q\"}]}").getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[8 << 20];
        java.util.Arrays.fill(bytes, (byte) ' ');
        System.arraycopy(document, 0, bytes, 0, document.length);
        Path largest = Files.createTempFile("queries", ".json");
        Files.write(largest, bytes);
        try {
            assertEquals(List.of(new SeriesQuery.Activity("a", "x", "q")), QuerySet.read(largest).queries());
        } finally {
            Files.delete(largest);
        }
    }
}
