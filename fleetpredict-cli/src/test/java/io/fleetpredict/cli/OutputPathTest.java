package io.fleetpredict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One rule for every path a command writes: missing parent folders are created; a path that cannot be written is
 * invalid input (exit 3) saying why, found before the work where it can be; and an audit log never records a
 * change that was not written.
 */
class OutputPathTest {

    @TempDir
    Path tmp;

    private static String example(String name) {
        return CommandRun.examples().resolve(name).toString();
    }

    private Path aFile() throws IOException {
        return Files.writeString(tmp.resolve("afile"), "not a folder");
    }

    private static void assertCannotWrite(CommandRun r, Path path, String why) {
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(r.err().startsWith("fleetpredict "), r::toString);
        assertTrue(r.err().contains(path + ": cannot write: "), r::toString);
        assertTrue(r.err().contains(why), () -> "expected '" + why + "' in\n" + r);
        assertEquals(1, r.err().split(path.toString(), -1).length - 1, () -> "the path once in\n" + r);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    private String[] addArgs(Path overrides, Path audit) {
        return new String[] {"override", "add", "--overrides", overrides.toString(), "--audit", audit.toString(),
            "--id", "z1", "--action", "disable", "--start", "2024-11-29T00:00:00Z", "--expiry", "2024-11-30T00:00:00Z",
            "--author", "a.tester", "--reason", "test"};
    }

    /** A name the file system takes is written, however long: its temporary name beside it is cut to fit. */
    @ParameterizedTest(name = "{0} bytes")
    @MethodSource("longNames")
    void write_nameNearTheLongestAFileSystemTakes_writtenAndNothingLeftBeside(int bytes, String name)
            throws IOException {
        Path file = tmp.resolve(name);

        OutputFiles.write(file, "{}\n");

        assertEquals("{}\n", Files.readString(file));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    static Stream<Arguments> longNames() {
        String ascii = "p".repeat(250) + ".json";
        String accented = "é".repeat(125) + ".json"; // two bytes each
        return Stream.of(Arguments.of(ascii.length(), ascii),
                Arguments.of(accented.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, accented));
    }

    @Test
    void overrideAdd_overridesCannotBeWritten_nothingAudited() throws IOException {
        Path audit = tmp.resolve("audit.jsonl");
        Path overrides = aFile().resolve("ov.json");

        CommandRun r = CommandRun.of(addArgs(overrides, audit));

        assertCannotWrite(r, overrides, "is a file, not a folder");
        assertFalse(Files.exists(audit) && Files.size(audit) > 0, "an audit line for an override never saved");
    }

    @Test
    void overrideAdd_auditCannotBeWritten_overrideNotSaved() throws IOException {
        Path overrides = tmp.resolve("ov.json");
        Path audit = aFile().resolve("audit.jsonl");

        CommandRun r = CommandRun.of(addArgs(overrides, audit));

        assertCannotWrite(r, audit, "is a file, not a folder");
        assertFalse(Files.exists(overrides), "an override saved without its audit line");
    }

    @Test
    void overrideAdd_missingFolders_createdAndAudited() throws IOException {
        Path overrides = tmp.resolve("new/deeper/ov.json");
        Path audit = tmp.resolve("logs/audit.jsonl");

        CommandRun r = CommandRun.of(addArgs(overrides, audit));

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(Files.readString(overrides).contains("\"z1\""));
        assertEquals(1, Files.readAllLines(audit).size());
        assertTrue(Files.readString(audit).contains("\"override_added\""));
    }

    @Test
    void overrideApply_outputCannotBeWritten_nothingAudited() throws IOException {
        Path audit = tmp.resolve("audit.jsonl");
        Path output = aFile().resolve("applied.json");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", example("overrides.json"), "--predicted",
                example("predicted-fleet-state.json"), "--audit", audit.toString(), "--output", output.toString());

        assertCannotWrite(r, output, "is a file, not a folder");
        assertFalse(Files.exists(audit) && Files.size(audit) > 0, "override_applied lines for an output never written");
    }

    @Test
    void overrideApply_outputWritten_thenAudited() throws IOException {
        Path audit = tmp.resolve("audit.jsonl");
        Path output = tmp.resolve("out/applied.json");

        CommandRun r = CommandRun.of("override", "apply", "--overrides", example("overrides.json"), "--predicted",
                example("predicted-fleet-state.json"), "--audit", audit.toString(), "--output", output.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(Files.exists(output));
        assertFalse(Files.readAllLines(audit).isEmpty());
        // The example's disable of "reports", a service the prediction lacks, is audited as unmatched.
        assertTrue(Files.readAllLines(audit).stream()
                .allMatch(l -> l.contains("\"override_applied\"") || l.contains("\"override_unmatched\"")));
    }

    @Test
    void plan_outUnderAFile_exit3BeforeReadingTheInputs() throws IOException {
        Path out = aFile().resolve("p.json");

        CommandRun r = CommandRun.of("plan", "--predicted", "no-such-prediction.json", "--fleet", "no-such-fleet.json",
                "--catalog", "no-such-catalogue.json", "--out", out.toString());

        assertCannotWrite(r, out, "is a file, not a folder");
    }

    @Test
    void plan_outInAMissingFolder_createsIt() throws IOException {
        Path out = tmp.resolve("plans/today/p.json");

        CommandRun r = CommandRun.of("plan", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                example("fleet-state.json"), "--catalog", example("instance-catalogue.json"), "--out", out.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(Files.readString(out).contains("\"provisional_changes\""));
    }

    @Test
    void plan_outIsAFolder_saysSo() {
        CommandRun r = CommandRun.of("plan", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                example("fleet-state.json"), "--catalog", example("instance-catalogue.json"), "--out", tmp.toString());

        assertCannotWrite(r, tmp, "is a folder, not a file");
    }

    static Stream<List<String>> folderOutputs() {
        return Stream.of(
                List.of("demo", "-q"),
                List.of("replay", "--trace", "no-such-trace.csv", "--per-instance", "100"),
                List.of("predict", "--history", "no-such-history"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("folderOutputs")
    void outFolderIsAFile_exit3BeforeAnyWork(List<String> command) throws IOException {
        Path out = aFile();
        String[] args = Stream.concat(command.stream(), Stream.of("--out", out.toString())).toArray(String[]::new);

        CommandRun r = CommandRun.of(args);

        assertCannotWrite(r, out, "is a file, not a folder");
        assertEquals("", r.out(), "no work done before the output was checked");
    }

    static Stream<Arguments> filesInTheOutFolder() {
        return Stream.of(
                Arguments.of(List.of("demo", "-q"), "provisional-fleet-state.json"),
                Arguments.of(List.of("predict", "--history", "no-such-history"), "predicted-fleet-state-medium_term.json"));
    }

    /** Every file the folder receives is checked with it: one found unwritable after the work would leave half. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("filesInTheOutFolder")
    void fileInTheOutFolderIsAFolder_exit3BeforeAnyWorkAndNothingWritten(List<String> command, String file)
            throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path blocked = Files.createDirectories(out.resolve(file));
        String[] args = Stream.concat(command.stream(), Stream.of("--out", out.toString())).toArray(String[]::new);

        CommandRun r = CommandRun.of(args);

        assertCannotWrite(r, blocked, "is a folder, not a file");
        assertEquals("", r.out(), "no work done before the output was checked");
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(blocked), files.toList(), "nothing written beside the file that could not be");
        }
    }

    @Test
    void predict_plotUnderAFile_exit3BeforeAnyWork() throws IOException {
        Path plot = aFile().resolve("p.svg");

        CommandRun r = CommandRun.of("predict", "--history", "no-such-history", "--plot", plot.toString());

        assertCannotWrite(r, plot, "is a file, not a folder");
    }

    /**
     * A parent folder that is a symbolic link to nothing is named as such, with where it points: it was reported as
     * "is a file, not a folder", which it is not, so the reader looked for a file that was not there.
     */
    @ParameterizedTest
    @ValueSource(strings = {"f.svg", "a/b/f.svg"})
    void forecast_plotUnderADanglingLink_exit3SayingWhereTheLinkLeads(String under) throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("gone"));
        Path plot = link.resolve(under);

        CommandRun r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3", "--plot",
                plot.toString());

        assertCannotWrite(r, plot, link + " is a symbolic link to " + tmp.resolve("gone") + ", which is not there");
        assertFalse(r.err().contains("is a file"), r::toString);
        assertFalse(Files.exists(tmp.resolve("gone")), "a folder made where the link leads");
    }

    @Test
    void forecast_plotUnderALoopOfLinks_exit3SayingSo() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("one"), tmp.resolve("two"));
        Files.createSymbolicLink(tmp.resolve("two"), link);
        Path plot = link.resolve("f.svg");

        CommandRun r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3", "--plot",
                plot.toString());

        assertCannotWrite(r, plot, link + " is a symbolic link in a loop of links");
        assertFalse(r.err().contains("is a file"), r::toString);
    }

    @Test
    void forecast_plotUnderAFile_exit3BeforeReadingTheSeries() throws IOException {
        Path plot = aFile().resolve("f.svg");

        CommandRun r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3", "--plot",
                plot.toString());

        assertCannotWrite(r, plot, "is a file, not a folder");
        assertEquals("", r.out(), "no forecast printed before the plot's path was checked");
    }

    @Test
    void refusedRun_takesBackTheEmptyFoldersItCreated_notThoseThatWereThere() throws IOException {
        // The plot's folders are made when its path is checked, before the series is found missing.
        Path made = tmp.resolve("made");
        CommandRun r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3", "--plot",
                made.resolve("deeper/f.svg").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(Files.exists(made), "a refused run left the folder it created");
        assertTrue(Files.isDirectory(tmp), "the folder that was there before stays");

        Path there = Files.createDirectories(tmp.resolve("there"));
        r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3", "--plot",
                there.resolve("new/f.svg").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertFalse(Files.exists(there.resolve("new")));
        assertTrue(Files.isDirectory(there), "the folder that was there before stays");

        // A run that succeeds keeps its folders, and a later refused run does not take them back.
        Path kept = tmp.resolve("kept");
        r = CommandRun.of("forecast", "--input", CommandRun.smallHistory(tmp.resolve("history")).resolve("web.cpu.cores.csv").toString(), "--horizon", "3", "--plot",
                kept.resolve("f.svg").toString());
        assertEquals(ExitCodes.OK, r.code(), r::toString);
        Files.delete(kept.resolve("f.svg"));
        r = CommandRun.of("forecast", "--input", "no-such-series.csv", "--horizon", "3");
        assertEquals(ExitCodes.INVALID_INPUT, r.code(), r::toString);
        assertTrue(Files.isDirectory(kept), "a folder of an earlier run, empty or not, is not this run's");
    }

    @Test
    void write_replacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("x/y.json");
        OutputFiles.write(file, "one");
        OutputFiles.write(file, "two");

        assertEquals("two", Files.readString(file));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    /**
     * A written file gets the permissions any new file in its folder gets, as a shell's redirect would give it (not
     * the owner-only mode of a temporary file), so the scheduler or web server that reads the documents can.
     */
    @Test
    void write_newFile_hasTheModeOfAnyNewFile() throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class));
        Path reference = Files.createFile(tmp.resolve("reference"));
        Path file = tmp.resolve("written.json");

        OutputFiles.write(file, "{}");

        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
    }

    @Test
    void write_existingFile_keepsItsMode() throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class));
        Path file = Files.writeString(tmp.resolve("shared.json"), "old");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-rw-r--");
        Files.setPosixFilePermissions(file, mode);

        OutputFiles.write(file, "new");

        assertEquals("new", Files.readString(file));
        assertEquals(mode, Files.getPosixFilePermissions(file));
    }

    /** A symbolic link is written through: its target gets the content, and the link stays a link to it. */
    @Test
    void write_symbolicLink_replacesItsTargetAndKeepsTheLink() throws IOException {
        Path target = Files.writeString(tmp.resolve("target.json"), "{}");
        Path link = Files.createSymbolicLink(tmp.resolve("link.json"), Path.of("target.json"));

        OutputFiles.write(link, "new");

        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertEquals(Path.of("target.json"), Files.readSymbolicLink(link));
        assertEquals("new", Files.readString(target));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(Set.of(target, link), Set.copyOf(files.toList()), "nothing left beside them");
        }
    }

    /** A link to a file not there yet, in another folder, creates that file where the link points. */
    @Test
    void write_linkToAFileNotThereYet_createsTheTarget() throws IOException {
        Path target = tmp.resolve("elsewhere/plan.json");
        Files.createDirectories(target.getParent());
        Path link = Files.createSymbolicLink(tmp.resolve("plan.json"), target);

        CommandRun r = CommandRun.of("plan", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                example("fleet-state.json"), "--catalog", example("instance-catalogue.json"), "--out", link.toString());

        assertEquals(ExitCodes.OK, r.code(), r::toString);
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertTrue(Files.readString(target).contains("\"provisional_changes\""));
    }

    /** A pipe (as a device) is not a file to replace: refused naming it, and it stays what it was. */
    @Test
    void plan_outIsAPipe_refusedNamingItAndLeftAlone() throws IOException, InterruptedException {
        Path fifo = tmp.resolve("fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeTrue(mkfifo != null && mkfifo.waitFor() == 0, "mkfifo is not available");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), fifo);

        for (Path out : List.of(fifo, link)) {
            CommandRun r = CommandRun.of("plan", "--predicted", example("predicted-fleet-state.json"), "--fleet",
                    example("fleet-state.json"), "--catalog", example("instance-catalogue.json"), "--out",
                    out.toString());

            assertCannotWrite(r, out, "not a regular file");
        }
        assertFalse(Files.isRegularFile(fifo), "the pipe was replaced by a file");
        assertTrue(Files.exists(fifo));
        assertTrue(Files.isSymbolicLink(link));
    }
}
